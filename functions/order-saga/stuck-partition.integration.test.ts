import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { CheckoutHarness } from '../../test-support/checkout-harness.js';
import { eventually } from '../../test-support/eventually.js';
import type { OrderDoc } from '../orders/order-document.js';
import { OrderStore } from '../orders/order-store.js';

/**
 * The promise end to end, with the emulator in process: a record that keeps failing holds up
 * its own partition only, is dead-lettered after its retries, and the order it was about is
 * settled by the expiry sweep.
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
    // A step that died mid-way: the order RESERVED with its payment being asked for, its stock
    // held by a reservation of inventory's own (an order from before holds) still "being made"
    // (its hold not taken), so that every commit is answered "retry": the record fails again
    // and again until its retries are used.
    const { order } = await new OrderStore(harness.db).place({
      userId: 'stuck-buyer',
      idempotencyKey: 'stuck-order-key-1',
      items: [{ sku: SKU, name: 'Stuck mug', quantity: 1, unitPriceCents: 1000 }],
      currency: 'EUR',
      shippingAddress: {},
      paymentToken: 'tok_visa',
    });
    const stuckId = order.id;
    const orders = harness.db.collection<OrderDoc>('orders');
    const stored = await orders.findOne({ _id: new ObjectId(stuckId) });
    const stuckPlaced = stored?.outbox[0];
    assert.equal(stuckPlaced?.type, 'OrderPlaced');
    const now = new Date();
    await orders.updateOne(
      { _id: new ObjectId(stuckId) },
      {
        $set: {
          outbox: [],
          status: 'RESERVED',
          payment: { status: 'AUTHORIZING', chargeId: null, declineCode: null },
          // Past the dead letter, the expiry sweep cancels it.
          reservationExpiresAt: new Date(now.getTime() + 35_000),
        },
        $push: { history: { status: 'RESERVED', at: now, reason: null } },
      },
    );
    await harness.db.collection('inventory_reservations').insertOne({
      _id: stuckId as never,
      lines: [{ sku: SKU, quantity: 1 }],
      state: 'PENDING',
      settled: false,
      shortage: [],
      expiresAt: new Date(now.getTime() + 120_000),
      createdAt: now,
      updatedAt: now,
    });
    const topic = harness.platform.topics.of('orders');
    await harness.bus.producer.send({
      topic,
      messages: [{ partition: 0, key: stuckId, value: JSON.stringify(stuckPlaced) }],
    });

    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await harness.checkout(`buyer-${i}`, { [SKU]: 1 }));
    const partitionOf = (orderId: string) =>
      harness.recorder.messages.find(
        (m) => m.topic === topic && m.event?.type === 'OrderPlaced' && m.event.subject === orderId,
      )?.partition;
    await eventually(() => ids.every((id) => partitionOf(id) !== undefined), 30_000, 'orders');
    const elsewhere = ids.filter((id) => partitionOf(id) !== 0);
    assert.ok(elsewhere.length > 0, 'some orders land on another partition');

    const dlq = harness.platform.topics.deadLetterOf(topic);
    const letter = () =>
      harness.recorder.messages.find((m) => m.topic === dlq && m.event?.subject === stuckId);
    for (const id of elsewhere) await harness.waitFor(id, ['CONFIRMED']);
    assert.equal(letter(), undefined, 'confirmed while the failing record was still being retried');

    await eventually(() => letter() !== undefined, 60_000, 'the dead letter');
    assert.equal(letter()?.headers['orderly-dlq-reason']?.toString(), 'RETRIES_EXHAUSTED');
    assert.match(String(letter()?.headers['orderly-dlq-detail']), /still being made/);
    assert.ok(!letter()?.value?.toString().includes('tok_visa'), 'no payment token kept');
    // Its partition goes on: the orders queued behind it are confirmed.
    for (const id of ids) await harness.waitFor(id, ['CONFIRMED'], 30_000);

    // The expiry sweep cancels the stuck order; its compensation ends the payment.
    const settled = await harness.waitFor(stuckId, ['CONFIRMED', 'CANCELLED'], 60_000);
    assert.equal(settled.status, 'CANCELLED');
    assert.equal(settled.cancellationReason, 'RESERVATION_EXPIRED');
    await eventually(
      async () => (await harness.order(stuckId)).payment?.status === 'REFUNDED',
      30_000,
      'the authorised amount given back',
    );
  });
});
