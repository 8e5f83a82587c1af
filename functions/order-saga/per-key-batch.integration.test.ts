import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CheckoutHarness } from '../../test-support/checkout-harness.js';

/**
 * Per-key concurrency on the real saga: the events of two orders interleaved in one
 * partition's batch, as the Lambda event source hands it to one invocation. Each order's
 * events must be applied in their own order (a repeat beside the first delivery would ask
 * the provider twice), and the batch delivered again must leave everything as it was.
 */
describe('order-saga: two orders interleaved in one partition batch (real database, gRPC inventory)', () => {
  let harness: CheckoutHarness;
  const SKU = 'LANE-KETTLE';

  before(async () => {
    harness = await CheckoutHarness.start({
      withoutEmulator: true,
      withoutBackgroundJobs: true,
      ordersPublishImmediately: false,
    });
    await harness.addProduct(SKU, 3000, 20);
  });

  after(async () => {
    await harness?.stop();
  });

  async function placed(userId: string, quantity: number, paymentToken = 'tok_visa') {
    const orderId = await harness.checkout(userId, { [SKU]: quantity }, paymentToken);
    await harness.platform.relay.runOnce(new Date(Date.now() + 60_000));
    return harness.nextEvent('OrderPlaced', orderId);
  }

  /** Everything the batch can change: both orders, the holds of the stock, its level. */
  async function state(orderIds: readonly string[]) {
    const orders = await Promise.all(
      orderIds.map(async (id) => {
        const { status, cancellationReason, appliedEvents, outbox } = await harness.order(id);
        return { id, status, cancellationReason, appliedEvents, outbox: outbox.length };
      }),
    );
    const level = await harness.db
      .collection<{ _id: string; holds: string[] }>('inventory_stock')
      .findOne({ _id: SKU });
    const held = orderIds.filter((id) => level?.holds.includes(id));
    return { orders, held, stock: await harness.stock(SKU) };
  }

  it('applies each order in its own order, side by side, and a replay changes nothing', async () => {
    const a = await placed('lane-a', 2);
    const b = await placed('lane-b', 3, 'tok_chargeDeclined');
    // Each order's step is repeated within the batch, as after a partial redelivery.
    const batch = [a, b, a, b];
    const first = await harness.deliverInOnePartition('order-saga', batch);
    // Had a repeat run beside its first delivery, the order would have been asked twice.
    assert.deepEqual(first.summary, { processed: 4, deadLettered: 0 });

    const after = await state([a.subject, b.subject]);
    assert.deepEqual(
      after.orders.map((o) => [o.status, o.cancellationReason ?? null, o.outbox]),
      [
        ['CONFIRMED', null, 0],
        ['CANCELLED', 'PAYMENT_DECLINED', 0],
      ],
    );
    // A's holds were committed; B's repeat in the batch finds it cancelled and gives its
    // stock back at once (its OrderCancelled, when it comes back to the saga, finds nothing
    // more to release).
    assert.deepEqual(after.held, []);
    assert.deepEqual(
      [after.stock.available, after.stock.reserved, after.stock.sold],
      [20 - 2, 0, 2],
    );

    // The event source delivers the same batch again (say, the invocation timed out).
    const again = await harness.platform.handlers['order-saga'](first.batch);
    assert.deepEqual(again, { processed: 4, deadLettered: 0 });
    assert.deepEqual(await state([a.subject, b.subject]), after);
    const confirmations = harness.recorder
      .events(a.subject)
      .filter((event) => event.type === 'OrderConfirmed');
    // A repeat that finds the order CONFIRMED sends its OrderConfirmed again before it commits
    // (it is announced, not stored): the same event each time, which consumers recognise.
    assert.equal(new Set(confirmations.map((event) => event.id)).size, 1, 'A was confirmed once');
    for (const copy of confirmations) assert.deepEqual(copy, confirmations[0]);
    const charges = await harness.db
      .collection('test_provider_charges')
      .find({ _id: { $in: [a.subject, b.subject] as never[] } })
      .toArray();
    assert.deepEqual(
      charges.map((c) => c.calls),
      [1, 1],
      'each order asked once: the repeats found it decided',
    );
  });
});
