import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { CheckoutHarness } from '../../localstack/platform/checkout-harness.js';
import { newEvent } from '../../shared/events/envelope.js';
import { eventually } from '../../shared/testing/eventually.js';
import type { OrderDoc } from '../orders/order-document.js';

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
    // An order stored PENDING whose OrderPlaced never went out (a rollback, say) ...
    const stuck = new ObjectId();
    const stuckId = stuck.toHexString();
    const now = new Date();
    await harness.db.collection<OrderDoc>('orders').insertOne({
      _id: stuck,
      userId: 'stuck-buyer',
      idempotencyKey: 'stuck-order-key-1',
      status: 'PENDING',
      items: [{ sku: SKU, name: 'Stuck mug', quantity: 1, unitPriceCents: 1000 }],
      totalCents: 1000,
      currency: 'EUR',
      shippingAddress: {},
      paymentToken: 'tok_visa',
      cancellationReason: null,
      history: [{ status: 'PENDING', at: now, reason: null }],
      appliedEvents: [],
      reservationExpiresAt: null,
      outbox: [],
      createdAt: now,
      updatedAt: now,
    });
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
