import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { newEvent } from '../../shared/events/envelope.js';
import { CheckoutHarness } from '../../test-support/checkout-harness.js';
import { eventually } from '../../test-support/eventually.js';
import type { OrderDoc } from '../orders/order-document.js';
import { OrderStore } from '../orders/order-store.js';

/**
 * The promise end to end, with the emulator in process: a record that keeps failing holds up
 * its own partition only, is dead-lettered after its retries, and the order it was about is
 * settled by the repair sweep.
 */
describe('a record that keeps failing (real Kafka, database and gRPC inventory)', () => {
  let harness: CheckoutHarness;
  const SKU = 'STUCK-MUG';

  before(async () => {
    harness = await CheckoutHarness.start({
      // Eight retries: about 16 s of backoff, long enough to see the others go by; the repair
      // sweep acts later than that, so that the record is dead-lettered first.
      eventSourceErrorHandling: { maxRetryAttempts: 8 },
      repairAfterSeconds: 25,
    });
    await harness.addProduct(SKU, 1000, 100);
  });

  after(async () => {
    await harness?.stop();
  });

  it('holds up only its partition while orders on the others reach CONFIRMED, then goes to the dead-letter topic and its order is settled', async () => {
    // An order stored PENDING whose OrderPlaced never went out (a rollback, say): placed
    // without a publisher, and its outbox emptied before the relay's grace second is over.
    const { order } = await new OrderStore(harness.db).place({
      userId: 'stuck-buyer',
      idempotencyKey: 'stuck-order-key-1',
      items: [{ sku: SKU, name: 'Stuck mug', quantity: 1, unitPriceCents: 1000 }],
      currency: 'EUR',
      shippingAddress: {},
      paymentToken: 'tok_visa',
    });
    const stuckId = order.id;
    await harness.db
      .collection<OrderDoc>('orders')
      .updateOne({ _id: new ObjectId(stuckId) }, { $set: { outbox: [] } });
    // ... and a payment result for it, which the saga can never apply while it is PENDING.
    const early = newEvent(
      'PaymentAuthorized',
      {
        orderId: stuckId,
        userId: 'stuck-buyer',
        paymentId: 'ch_x',
        amountCents: 1000,
        currency: 'EUR',
      },
      { source: 'test', subject: stuckId },
    );
    const payments = harness.platform.topics.of('payments');
    await harness.bus.producer.send({
      topic: payments,
      messages: [{ partition: 0, key: stuckId, value: JSON.stringify(early) }],
    });

    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await harness.checkout(`buyer-${i}`, { [SKU]: 1 }));
    const paymentPartition = (orderId: string) =>
      harness.recorder.messages.find(
        (m) =>
          m.topic === payments &&
          m.event?.type === 'PaymentAuthorized' &&
          m.event.subject === orderId,
      )?.partition;
    await eventually(
      () => ids.every((id) => paymentPartition(id) !== undefined),
      30_000,
      'payments',
    );
    const elsewhere = ids.filter((id) => paymentPartition(id) !== 0);
    assert.ok(elsewhere.length > 0, 'some payments land on another partition');

    const dlq = harness.platform.topics.deadLetterOf(payments);
    const letter = () =>
      harness.recorder.messages.find((m) => m.topic === dlq && m.event?.id === early.id);
    for (const id of elsewhere) await harness.waitFor(id, ['CONFIRMED']);
    assert.equal(letter(), undefined, 'confirmed while the failing record was still being retried');

    await eventually(() => letter() !== undefined, 60_000, 'the dead letter');
    assert.equal(letter()?.headers['orderly-dlq-reason']?.toString(), 'RETRIES_EXHAUSTED');
    assert.match(String(letter()?.headers['orderly-dlq-detail']), /not reserved yet/);
    // Its partition goes on: the payments queued behind it are applied.
    for (const id of ids) await harness.waitFor(id, ['CONFIRMED'], 30_000);

    // The repair sweep puts the stuck order's OrderPlaced out again; the saga takes it from there.
    const settled = await harness.waitFor(stuckId, ['CONFIRMED', 'CANCELLED'], 30_000);
    assert.ok(settled.repairRequeuedAt instanceof Date, 'settled by the repair sweep');
  });
});
