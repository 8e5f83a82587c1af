import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CheckoutHarness } from '../../localstack/platform/checkout-harness.js';

describe('checkout saga (real Kafka, database and gRPC inventory; emulator in process)', () => {
  let harness: CheckoutHarness;

  before(async () => {
    harness = await CheckoutHarness.start();
    await harness.addProduct('SAGA-MUG', 1200, 10);
    await harness.addProduct('SAGA-TEE', 2500, 5);
    await harness.addProduct('SAGA-RARE', 9900, 1);
  });

  after(async () => {
    await harness?.stop();
  });

  const notifications = (orderId: string) =>
    harness.db.collection('notifications').find({ orderId }).toArray();

  it('takes a paid order from PENDING through RESERVED to CONFIRMED, sells the stock and notifies once', async () => {
    const before = await harness.stock('SAGA-MUG');
    const orderId = await harness.checkout('ada', { 'SAGA-MUG': 2, 'SAGA-TEE': 1 });
    const order = await harness.waitFor(orderId, ['CONFIRMED', 'CANCELLED']);
    assert.equal(order.status, 'CONFIRMED');
    assert.deepEqual(
      order.history.map((change) => change.status),
      ['PENDING', 'RESERVED', 'CONFIRMED'],
    );
    const mug = await harness.stock('SAGA-MUG');
    assert.equal(mug.available, before.available - 2);
    assert.equal(mug.sold, before.sold + 2);
    assert.equal(mug.reserved, 0);
    const payment = await harness.db.collection('payments').findOne({ _id: orderId as never });
    assert.equal(payment?.status, 'AUTHORIZED');
    assert.equal(payment?.amountCents, 4900);
    // Notifications are recorded by their own consumer group: wait for it.
    for (let i = 0; i < 200 && (await notifications(orderId)).length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const sent = await notifications(orderId);
    assert.deepEqual(
      sent.map((notification) => notification.kind),
      ['ORDER_CONFIRMED'],
    );
    assert.equal(sent[0]?.userId, 'ada');
  });

  it('cancels a declined payment (PAYMENT_DECLINED) and puts the stock back', async () => {
    const before = await harness.stock('SAGA-TEE');
    const orderId = await harness.checkout('bea', { 'SAGA-TEE': 2 }, 'tok_chargeDeclined');
    const order = await harness.waitFor(orderId, ['CONFIRMED', 'CANCELLED']);
    assert.equal(order.status, 'CANCELLED');
    assert.equal(order.cancellationReason, 'PAYMENT_DECLINED');
    assert.deepEqual(
      order.history.map((change) => change.status),
      ['PENDING', 'RESERVED', 'CANCELLED'],
    );
    await waitUntil(async () => (await harness.stock('SAGA-TEE')).reserved === before.reserved);
    assert.deepEqual(await harness.stock('SAGA-TEE'), before);
  });

  it('cancels an order whose stock is short (OUT_OF_STOCK) without reserving anything', async () => {
    const before = await harness.stock('SAGA-RARE');
    const orderId = await harness.checkout('cyd', { 'SAGA-RARE': 2 });
    const order = await harness.waitFor(orderId, ['CONFIRMED', 'CANCELLED']);
    assert.equal(order.status, 'CANCELLED');
    assert.equal(order.cancellationReason, 'OUT_OF_STOCK');
    assert.deepEqual(await harness.stock('SAGA-RARE'), before);
    const payment = await harness.db.collection('payments').findOne({ _id: orderId as never });
    assert.notEqual(payment?.status, 'AUTHORIZED');
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
