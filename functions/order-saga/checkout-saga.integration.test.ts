import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { newEvent } from '../../shared/events/envelope.js';
import { buildKafkaLambdaEvent } from '../../shared/kafka-function/lambda-kafka-event.js';
import { CheckoutHarness } from '../../test-support/checkout-harness.js';
import { publishEvents } from '../../test-support/publish-events.js';
import type { OrderDoc } from '../orders/order-document.js';

describe('checkout saga (real Kafka, database and gRPC inventory; emulator in process)', () => {
  let harness: CheckoutHarness;

  before(async () => {
    harness = await CheckoutHarness.start();
    await harness.addProduct('SAGA-MUG', 1200, 10);
    await harness.addProduct('SAGA-TEE', 2500, 5);
    await harness.addProduct('SAGA-RARE', 9900, 1);
    await harness.addProduct('SAGA-HOT', 1500, 25);
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
    assert.equal(order.payment?.status, 'AUTHORIZED');
    // Checkout published the OrderPlaced and left it; the saga's first move removed it.
    assert.deepEqual(order.outbox, []);
    assert.equal(order.outboxLeaseUntil, null);
    const charge = await harness.db
      .collection('test_provider_charges')
      .findOne({ _id: orderId as never });
    assert.equal(charge?.amountCents, 4900);
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
    // Mailed for real, to the address of the token the order was placed with.
    assert.equal(sent[0]?.to, 'ada@example.com');
    for (let i = 0; i < 200 && (await notifications(orderId))[0]?.state !== 'SENT'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal((await notifications(orderId))[0]?.state, 'SENT');

    // Live updates: the status events are on Kafka, in order, keyed by the order id (the
    // OrderConfirmed names when RESERVED was reached), and the stock changes of the SKU
    // follow on the inventory topic, keyed by SKU.
    const statusEvents = harness.recorder.messages.filter(
      (m) => m.event?.subject === orderId && m.topic === harness.platform.topics.of('orders'),
    );
    assert.deepEqual(
      statusEvents.map((m) => m.event?.type),
      ['OrderPlaced', 'OrderConfirmed'],
    );
    assert.ok(statusEvents.every((m) => m.key === orderId));
    assert.equal(
      (statusEvents[1]?.event?.data as { reservedAt?: string } | undefined)?.reservedAt,
      order.history[1]?.at.toISOString(),
    );
    assert.ok(
      statusEvents.every(
        (m) => m.event?.data && (m.event.data as { userId: string }).userId === 'ada',
      ),
    );
    await harness.recorder.waitFor((messages) =>
      messages.some(
        (m) =>
          m.event?.type === 'StockChanged' &&
          m.event.subject === 'SAGA-MUG' &&
          m.event.data.cause === 'commit',
      ),
    );
    const changes = harness.recorder.messages.filter(
      (m) => m.event?.type === 'StockChanged' && m.event.subject === 'SAGA-MUG',
    );
    assert.ok(
      changes.every(
        (m) => m.key === 'SAGA-MUG' && m.topic === harness.platform.topics.of('inventory'),
      ),
    );
    // What queued during a send goes out as the latest level: the commit's, last.
    assert.equal((changes.at(-1)?.event?.data as { cause?: string } | undefined)?.cause, 'commit');
    assert.equal(
      (changes.at(-1)?.event?.data as { available?: number } | undefined)?.available,
      mug.available,
    );
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
    assert.equal(order.payment?.status, 'DECLINED');
    assert.equal(order.payment?.declineCode, 'card_declined');
    assert.equal(order.paymentToken, undefined, 'the token is not kept once declined');
  });

  it('cancels an order whose stock is short (OUT_OF_STOCK) without reserving anything', async () => {
    const before = await harness.stock('SAGA-RARE');
    const orderId = await harness.checkout('cyd', { 'SAGA-RARE': 2 });
    const order = await harness.waitFor(orderId, ['CONFIRMED', 'CANCELLED']);
    assert.equal(order.status, 'CANCELLED');
    assert.equal(order.cancellationReason, 'OUT_OF_STOCK');
    assert.deepEqual(await harness.stock('SAGA-RARE'), before);
    assert.notEqual(order.payment?.status, 'AUTHORIZED');
    const charge = await harness.db
      .collection('test_provider_charges')
      .findOne({ _id: orderId as never });
    assert.equal(charge?.calls, 0, 'opened at checkout, never asked for');
    assert.equal(charge?.result, undefined);
  });
  it('changes nothing when every event of a finished order is published again, twice and in reverse', async () => {
    const orderId = await harness.checkout('dee', { 'SAGA-MUG': 1 });
    await harness.waitFor(orderId, ['CONFIRMED', 'CANCELLED']);
    await harness.nextEvent('OrderConfirmed', orderId);
    await harness.waitForConsumersIdle();
    const snapshot = async () => {
      const { outboxLeaseUntil: _lease, updatedAt: _at, ...order } = await harness.order(orderId);
      const charge = await harness.db
        .collection('test_provider_charges')
        .findOne({ _id: orderId as never });
      return {
        order,
        charge: { calls: charge?.calls, refunded: charge?.refunded },
        notifications: (await notifications(orderId)).length,
        stock: await harness.stock('SAGA-MUG'),
      };
    };
    const before = await snapshot();
    const events = harness.recorder.events(orderId);
    assert.deepEqual(
      events.map((event) => event.type),
      ['OrderPlaced', 'OrderConfirmed'],
    );
    await publishEvents(harness.bus.producer, harness.platform.topics, [
      ...events,
      ...events,
      ...[...events].reverse(),
    ]);
    // Each OrderPlaced copy that finds the order CONFIRMED sends its OrderConfirmed again (it
    // is announced, not stored): the same event, which the consumers recognise.
    await harness.recorder.waitFor(() => harness.recorder.events(orderId).length >= 8 + 3);
    await harness.waitForConsumersIdle();
    assert.deepEqual(await snapshot(), before);
    const seen = harness.recorder.events(orderId);
    assert.deepEqual(
      [...new Set(seen.map((event) => event.id))],
      events.map((event) => event.id),
      'no event but the two the order made',
    );
  });

  it('sends poison records to the dead-letter topic and goes on with the next record of each partition', async () => {
    const topic = harness.platform.topics.of('orders');
    const dlq = harness.platform.topics.deadLetterOf(topic);
    const placed = JSON.parse(
      JSON.stringify(
        newEvent(
          'OrderPlaced',
          {
            orderId: '0123456789abcdef01234567',
            userId: 'poison',
            items: [{ sku: 'SAGA-MUG', name: 'Mug', quantity: 1, unitPriceCents: 1 }],
            totalCents: 1,
            currency: 'EUR',
            paymentToken: 'tok_visa',
          },
          { source: 'test', subject: '0123456789abcdef01234567' },
        ),
      ),
    );
    const poison: { value: string | null; reason: string }[] = [
      { value: '{"id": "truncated', reason: 'INVALID_JSON' },
      {
        value: JSON.stringify({ ...placed, data: { ...placed.data, items: 'all' } }),
        reason: 'SCHEMA_INVALID',
      },
      { value: JSON.stringify({ ...placed, type: 'OrderTeleported' }), reason: 'UNKNOWN_TYPE' },
      { value: null, reason: 'UNDECODABLE' },
    ];
    const partitions = [0, 1, 2, 3, 4, 5];
    await harness.bus.producer.send({
      topic,
      messages: partitions.flatMap((partition) =>
        poison.map(({ value }) => ({ partition, key: `poison-${partition}`, value })),
      ),
    });
    // A good record after the poison on whichever partition it lands: the order completes.
    const orderId = await harness.checkout('eve', { 'SAGA-MUG': 1 });
    assert.equal((await harness.waitFor(orderId, ['CONFIRMED', 'CANCELLED'])).status, 'CONFIRMED');

    // Two functions read the orders topic; each sets every poison record aside.
    const expected = partitions.length * poison.length * 2;
    const letters = () => harness.recorder.messages.filter((m) => m.topic === dlq);
    await harness.recorder.waitFor(() => letters().length >= expected);
    assert.equal(letters().length, expected);
    for (const { value, reason } of poison) {
      const matching = letters().filter(
        (m) => m.headers['orderly-dlq-reason']?.toString() === reason,
      );
      assert.equal(matching.length, partitions.length * 2, reason);
      // The bytes as they came, but for the shopper's payment token, which is blanked.
      const kept = value?.replace('"paymentToken":"tok_visa"', '"paymentToken":"[redacted]"');
      for (const letter of matching) {
        assert.equal(letter.value?.toString() ?? null, kept ?? null, 'original bytes kept');
        assert.ok(!letter.value?.toString().includes('tok_visa'), 'no payment token');
        assert.match(
          String(letter.headers['orderly-dlq-source']),
          new RegExp(`^${topic}/\\d/\\d+$`),
        );
        assert.ok(String(letter.headers['orderly-dlq-detail']).length > 0);
      }
      assert.deepEqual(
        new Set(matching.map((m) => String(m.headers['orderly-dlq-consumer']))),
        new Set(['order-saga', 'notifications']),
      );
    }
  });

  it('sets aside a record whose value is not base64 and processes the next one in the batch', async () => {
    const orderId = 'abcdefabcdefabcdefabcdef';
    // An order as the notifications function reads it (the mail shows its lines).
    await harness.db.collection('orders').insertOne({
      _id: new ObjectId(orderId),
      userId: 'fay',
      contactEmail: 'fay@example.com',
      items: [{ sku: 'SAGA-MUG', name: 'Mug', quantity: 1, unitPriceCents: 100 }],
      totalCents: 100,
      currency: 'EUR',
      shippingAddress: { name: 'Fay' },
    });
    const confirmed = newEvent(
      'OrderConfirmed',
      { orderId, userId: 'fay', totalCents: 100, currency: 'EUR' },
      { source: 'test', subject: orderId },
    );
    const event = buildKafkaLambdaEvent(
      {
        eventSource: 'aws:kafka',
        eventSourceArn: 'arn:aws:kafka:eu-west-1:000000000000:cluster/x/y',
        bootstrapServers: 'b-1:9092',
      },
      [
        {
          topic: harness.platform.topics.of('orders'),
          partition: 3,
          offset: 41,
          timestamp: Date.now(),
          key: null,
          value: Buffer.from('x'),
        },
        {
          topic: harness.platform.topics.of('orders'),
          partition: 3,
          offset: 42,
          timestamp: Date.now(),
          key: Buffer.from(orderId),
          value: Buffer.from(JSON.stringify(confirmed)),
        },
      ],
    );
    const records = Object.values(event.records)[0] ?? [];
    (records[0] as { value: string }).value = '%%% not base64 %%%';
    const summary = await harness.platform.handlers.notifications(event);
    assert.deepEqual(summary, { processed: 1, deadLettered: 1 });
    assert.equal((await notifications(orderId)).length, 1);
    const dlq = harness.platform.topics.deadLetterOf(harness.platform.topics.of('orders'));
    await harness.recorder.waitFor((messages) =>
      messages.some((m) => m.topic === dlq && m.value?.toString() === '%%% not base64 %%%'),
    );
    const letter = harness.recorder.messages.find(
      (m) => m.topic === dlq && m.value?.toString() === '%%% not base64 %%%',
    );
    assert.equal(letter?.headers['orderly-dlq-reason']?.toString(), 'UNDECODABLE');
    assert.equal(
      letter?.headers['orderly-dlq-source']?.toString(),
      `${harness.platform.topics.of('orders')}/3/41`,
    );
  });

  it('sells exactly the stock when 300 customers check out the last 25 units at once', async (t) => {
    const users = Array.from({ length: 300 }, (_, i) => `rush-${i}`);
    const orderIds: string[] = [];
    const queue = [...users];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, async () => {
        for (let user = queue.shift(); user; user = queue.shift()) {
          orderIds.push(await harness.checkout(user, { 'SAGA-HOT': 1 }));
        }
      }),
    );
    const placedMs = Date.now() - started;
    const orders = harness.db.collection<OrderDoc>('orders');
    const finalFilter = {
      userId: { $regex: '^rush-' },
      status: { $in: ['CONFIRMED', 'CANCELLED'] as OrderDoc['status'][] },
      outbox: { $size: 0 },
    };
    const deadline = Date.now() + 120_000;
    while ((await orders.countDocuments(finalFilter)) < users.length) {
      assert.ok(Date.now() < deadline, 'every order final within 120 s of the last checkout');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const settledMs = Date.now() - started;
    const all = await orders.find({ userId: { $regex: '^rush-' } }).toArray();
    assert.equal(all.length, 300);
    const confirmed = all.filter((order) => order.status === 'CONFIRMED');
    const cancelled = all.filter((order) => order.status === 'CANCELLED');
    assert.equal(confirmed.length, 25);
    assert.equal(cancelled.length, 275);
    assert.ok(cancelled.every((order) => order.cancellationReason === 'OUT_OF_STOCK'));
    for (const order of all) {
      assert.equal(
        new Set(order.appliedEvents).size,
        order.appliedEvents.length,
        'no event applied twice',
      );
      const statuses = order.history.map((change) => change.status);
      assert.equal(new Set(statuses).size, statuses.length, `history ${statuses.join(',')}`);
    }
    await harness.waitForConsumersIdle(60_000);
    const stock = await harness.stock('SAGA-HOT');
    assert.deepEqual(
      { available: stock.available, reserved: stock.reserved, sold: stock.sold },
      { available: 0, reserved: 0, sold: 25 },
    );
    const charges = await harness.db
      .collection('test_provider_charges')
      .find({ _id: { $in: orderIds as never[] }, calls: { $gt: 0 } })
      .toArray();
    // Every checkout opened its payment; only the 25 that got stock were asked for it.
    assert.equal(charges.length, 25);
    assert.ok(charges.every((charge) => charge.calls === 1));
    t.diagnostic(`300 checkouts placed in ${placedMs} ms, all final after ${settledMs} ms`);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
