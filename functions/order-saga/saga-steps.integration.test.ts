import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { type DomainEvent, newEvent } from '../../shared/events/envelope.js';
import { createInventoryClient, type InventoryClient } from '../../shared/grpc/inventory-client.js';
import { RetryLaterError } from '../../shared/kafka-function/kafka-event-handler.js';
import { sendNow } from '../../shared/outbox/aggregate-store.js';
import type { OutboxDocument, OutboxStore } from '../../shared/outbox/outbox.js';
import { OutboxPublisher } from '../../shared/outbox/outbox-publisher.js';
import { CheckoutHarness } from '../../test-support/checkout-harness.js';
import { testLogger } from '../../test-support/integration-env.js';
import { publishEvents } from '../../test-support/publish-events.js';
import { OrderAggregate, type OrderDoc } from '../orders/port.js';
import { OutboxRelay } from '../outbox-relay/outbox-relay.js';
import { paymentsCollection } from '../payments/payment-store.js';
import { Payments } from '../payments/payments.js';
import { TestPaymentProvider } from '../payments/test-payment-provider.js';
import { OrderSaga } from './order-saga.js';

/** Publishes like the real one, then dies before the events leave the outbox. */
class CrashAfterPublish extends OutboxPublisher {
  override async publish(
    _collection: OutboxStore,
    _id: unknown,
    events: readonly DomainEvent[],
  ): Promise<void> {
    await publishEvents(this.producerForTest, this.topicsForTest, events);
    throw new Error('simulated crash after publishing, before marking');
  }

  constructor(
    readonly producerForTest: ConstructorParameters<typeof OutboxPublisher>[0],
    readonly topicsForTest: ConstructorParameters<typeof OutboxPublisher>[1],
  ) {
    super(producerForTest, topicsForTest, testLogger());
  }
}

/** Dies right after the saga's update, before anything is produced. */
class CrashBeforePublish extends OutboxPublisher {
  override async publish(): Promise<void> {
    throw new Error('simulated crash after the update, before producing');
  }
}

/**
 * Each step of the saga driven by hand: the functions get their events as Lambda batches
 * from the test, so every interleaving (a cancel at each state, an expiry, a crash between
 * two writes) is reached deterministically. The outbox relay runs only when a test says so.
 */
describe('checkout saga, step by step (real Kafka, database and gRPC inventory)', () => {
  let harness: CheckoutHarness;
  let inventory: InventoryClient;
  const SKU = 'STEP-LAMP';

  before(async () => {
    harness = await CheckoutHarness.start({
      withoutEmulator: true,
      withoutBackgroundJobs: true,
      ordersPublishImmediately: false,
    });
    await harness.addProduct(SKU, 4500, 50);
    inventory = createInventoryClient({ address: harness.platform.inventoryAddress });
  });

  after(async () => {
    inventory?.close();
    await harness?.stop();
  });

  /** Publishes every pending outbox event now, as the relay's next pass would. */
  const relay = () => harness.platform.relay.runOnce(new Date(Date.now() + 60_000));

  async function placed(userId: string, quantity = 1) {
    const orderId = await harness.checkout(userId, { [SKU]: quantity });
    await relay();
    return { orderId, placed: await harness.nextEvent('OrderPlaced', orderId) };
  }

  async function reserved(userId: string, quantity = 1) {
    const step = await placed(userId, quantity);
    await harness.deliver('order-saga', [step.placed]);
    return { ...step, reserved: await harness.nextEvent('StockReserved', step.orderId) };
  }

  async function confirmed(userId: string) {
    const step = await reserved(userId);
    await harness.deliver('payments', [step.reserved]);
    const authorized = await harness.nextEvent('PaymentAuthorized', step.orderId);
    await harness.deliver('order-saga', [authorized]);
    assert.equal((await harness.order(step.orderId)).status, 'CONFIRMED');
    return { ...step, authorized };
  }

  const reservation = (orderId: string) =>
    harness.db.collection('inventory_reservations').findOne({ _id: orderId as never });
  const charge = (orderId: string) =>
    harness.db.collection('test_provider_charges').findOne({ _id: orderId as never });
  const payment = (orderId: string) =>
    harness.db.collection('payments').findOne({ _id: orderId as never });

  it('cancels a PENDING order without reserving or charging anything', async () => {
    const stock = await harness.stock(SKU);
    const { orderId, placed: event } = await placed('pending-canceller');
    assert.equal(await harness.cancel('pending-canceller', orderId), 200);
    await relay();
    const cancelled = await harness.nextEvent('OrderCancelled', orderId);
    assert.equal(cancelled.data.previousStatus, 'PENDING');
    await harness.deliver('order-saga', [event, cancelled]);
    await harness.deliver('payments', [cancelled]);

    const order = await harness.order(orderId);
    assert.equal(order.status, 'CANCELLED');
    assert.equal(order.cancellationReason, 'CANCELLED_BY_CUSTOMER');
    assert.equal(await reservation(orderId), null);
    assert.deepEqual(await harness.stock(SKU), stock);
    assert.equal((await payment(orderId))?.status, 'CANCELLED');
    assert.equal(await charge(orderId), null);
  });

  it('cancels a RESERVED order: the stock is released and a late StockReserved charges nothing', async () => {
    const stock = await harness.stock(SKU);
    const { orderId, reserved: stockReserved } = await reserved('reserved-canceller');
    assert.equal((await harness.stock(SKU)).reserved, stock.reserved + 1);
    assert.equal(await harness.cancel('reserved-canceller', orderId), 200);
    await relay();
    const cancelled = await harness.nextEvent('OrderCancelled', orderId);
    assert.equal(cancelled.data.previousStatus, 'RESERVED');
    await harness.deliver('order-saga', [cancelled]);
    // Two topics, two event sources: the late StockReserved comes in its own batch.
    await harness.deliver('payments', [cancelled]);
    await harness.deliver('payments', [stockReserved]);

    const released = await harness.nextEvent('StockReleased', orderId);
    assert.equal(released.data.outcome, 'RELEASED');
    assert.deepEqual(await harness.stock(SKU), stock);
    assert.equal((await reservation(orderId))?.state, 'RELEASED');
    assert.equal(await charge(orderId), null);
  });

  it('cancels a CONFIRMED order: the sold stock comes back once and the payment is refunded', async () => {
    const stock = await harness.stock(SKU);
    const { orderId } = await confirmed('confirmed-canceller');
    assert.equal((await harness.stock(SKU)).available, stock.available - 1);
    assert.equal(await harness.cancel('confirmed-canceller', orderId), 200);
    await relay();
    const cancelled = await harness.nextEvent('OrderCancelled', orderId);
    assert.equal(cancelled.data.previousStatus, 'CONFIRMED');
    await harness.deliver('order-saga', [cancelled]);
    // As if the function died after returning the stock, before recording the event: the
    // redelivery must not return the stock a second time.
    await harness.db
      .collection('orders')
      .updateOne(
        { _id: (await harness.order(orderId))._id },
        { $pull: { appliedEvents: cancelled.id } as never },
      );
    await harness.deliver('order-saga', [cancelled]);
    await harness.deliver('payments', [cancelled, cancelled]);

    const released = await harness.nextEvent('StockReleased', orderId);
    assert.equal(released.data.outcome, 'RETURNED');
    assert.deepEqual(await harness.stock(SKU), stock, 'available and sold as before the order');
    assert.equal((await reservation(orderId))?.state, 'RETURNED');
    const refunded = await harness.nextEvent('PaymentRefunded', orderId);
    assert.equal(refunded.data.amountCents, 4500);
    assert.equal((await payment(orderId))?.status, 'REFUNDED');
    assert.equal((await charge(orderId))?.refunded, true);
    assert.equal((await charge(orderId))?.calls, 1);
  });

  it('cancels an order whose reservation ran out (RESERVATION_EXPIRED) and releases its stock', async () => {
    const stock = await harness.stock(SKU);
    const { orderId, reserved: stockReserved } = await reserved('slow-payer');
    // The payment never came: the sweep runs as if the reservation's time had passed.
    const later = new Date(Date.now() + 10 * 60_000);
    assert.ok((await harness.platform.expiry.runOnce(later)) >= 1);
    assert.equal(await harness.platform.expiry.runOnce(later), 0, 'a second sweep is a no-op');
    const order = await harness.order(orderId);
    assert.equal(order.status, 'CANCELLED');
    assert.equal(order.cancellationReason, 'RESERVATION_EXPIRED');
    const cancelled = await harness.nextEvent('OrderCancelled', orderId);
    await harness.deliver('order-saga', [cancelled]);
    // Two topics, two event sources: the late StockReserved comes in its own batch.
    await harness.deliver('payments', [cancelled]);
    await harness.deliver('payments', [stockReserved]);
    assert.deepEqual(await harness.stock(SKU), stock);
    assert.equal(await charge(orderId), null);
  });

  it('never keeps a charge when the cancel and the reservation reach payments at the same time', async () => {
    for (let i = 0; i < 5; i += 1) {
      const userId = `racer-${i}`;
      const { orderId, reserved: stockReserved } = await reserved(userId);
      assert.equal(await harness.cancel(userId, orderId), 200);
      await relay();
      const cancelled = await harness.nextEvent('OrderCancelled', orderId);
      // One batch, two topics: payments processes both groups side by side. A refusal of the
      // cancel (the payment is still being authorised) fails the batch, which is then retried.
      for (let attempt = 0; ; attempt += 1) {
        try {
          await harness.deliver('payments', [cancelled, stockReserved]);
          break;
        } catch (err) {
          if (!(err instanceof RetryLaterError) || attempt > 5) throw err;
        }
      }
      const kept = await charge(orderId);
      assert.ok(
        kept === null || (kept.refunded === true && kept.calls === 1),
        JSON.stringify(kept),
      );
      assert.ok(['CANCELLED', 'REFUNDED'].includes(String((await payment(orderId))?.status)));
    }
  });

  it('settles a payment abandoned while authorising when its order is cancelled: charged once, refunded', async () => {
    const { orderId, reserved: stockReserved } = await reserved('abandoned-payment');
    // The payments process dies during the provider's call: the provider charged, nothing
    // was recorded, and the StockReserved record is not delivered again (it used its retries).
    const provider = new TestPaymentProvider(harness.db);
    const dying = new Payments({
      payments: paymentsCollection(harness.db),
      provider: {
        authorize: async (request) => {
          await provider.authorize(request);
          throw new Error('simulated crash during the provider call');
        },
        refund: (request) => provider.refund(request),
      },
      publisher: harness.bus.publisher,
    });
    await assert.rejects(dying.handle(stockReserved, testLogger()), /simulated crash/);
    assert.equal((await payment(orderId))?.status, 'AUTHORIZING');
    assert.equal((await charge(orderId))?.refunded, false, 'the provider holds a charge');

    assert.equal(await harness.cancel('abandoned-payment', orderId), 200);
    await relay();
    const cancelled = await harness.nextEvent('OrderCancelled', orderId);
    // While the authorisation may still be under way, the cancel waits for it.
    await assert.rejects(harness.deliver('payments', [cancelled]), RetryLaterError);
    // Past the bound it is taken for abandoned: decided under the same key, then refunded.
    await paymentsCollection(harness.db).updateOne(
      { _id: orderId },
      { $set: { updatedAt: new Date(Date.now() - 120_000) } },
    );
    await harness.deliver('payments', [cancelled]);
    const settled = await payment(orderId);
    assert.equal(settled?.status, 'REFUNDED');
    assert.equal(settled?.paymentToken, undefined, 'the token is not kept once decided');
    const kept = await charge(orderId);
    assert.equal(kept?.refunded, true);
    assert.equal(kept?.calls, 2, 'asked twice under one key: one charge');
    await harness.nextEvent('PaymentRefunded', orderId);
    // A late StockReserved changes nothing.
    await harness.deliver('payments', [stockReserved]);
    assert.equal((await payment(orderId))?.status, 'REFUNDED');
    assert.equal((await charge(orderId))?.calls, 2);
  });

  it('cancels when the payment arrives after inventory let the reservation go', async () => {
    const stock = await harness.stock(SKU);
    const { orderId, reserved: stockReserved } = await reserved('late-payment');
    await inventory.release(orderId); // what inventory's own expiry does
    await harness.deliver('payments', [stockReserved]);
    const authorized = await harness.nextEvent('PaymentAuthorized', orderId);
    await harness.deliver('order-saga', [authorized]);
    const order = await harness.order(orderId);
    assert.equal(order.status, 'CANCELLED');
    assert.equal(order.cancellationReason, 'RESERVATION_EXPIRED');
    const cancelled = await harness.nextEvent('OrderCancelled', orderId);
    await harness.deliver('payments', [cancelled]);
    assert.equal((await payment(orderId))?.status, 'REFUNDED');
    assert.deepEqual(await harness.stock(SKU), stock);
  });

  it('retries a payment result that arrives before the stock is reserved, and then applies it', async () => {
    const { orderId, placed: event } = await placed('early-bird');
    const early = newEvent(
      'PaymentAuthorized',
      {
        orderId,
        userId: 'early-bird',
        paymentId: `ch_${orderId}`,
        amountCents: 4500,
        currency: 'EUR',
      },
      { causedBy: event, source: 'payments', subject: orderId },
    );
    await assert.rejects(harness.deliver('order-saga', [early]), RetryLaterError);
    assert.equal((await harness.order(orderId)).status, 'PENDING');
    await harness.deliver('order-saga', [event]);
    await harness.deliver('order-saga', [early]); // the event source's retry
    assert.equal((await harness.order(orderId)).status, 'CONFIRMED');
  });

  it('recovers when the saga dies between its update and its produce', async () => {
    const stock = await harness.stock(SKU);
    const { orderId, placed: event } = await placed('crash-saga', 2);
    const crashing = new OrderSaga({
      orders: new OrderAggregate(
        harness.db,
        sendNow(
          new CrashBeforePublish(harness.bus.producer, harness.platform.topics, testLogger()),
        ),
      ),
      inventory,
      reservationTtlSeconds: 120,
    });
    await assert.rejects(crashing.handle(event, testLogger()), /simulated crash/);
    const stuck = await harness.order(orderId);
    assert.equal(stuck.status, 'RESERVED');
    assert.deepEqual(
      stuck.outbox.map((pending) => pending.type),
      ['StockReserved'],
    );
    // The batch is delivered again (the invocation failed) and the relay runs: both publish.
    await harness.deliver('order-saga', [event]);
    await relay();
    const stockReserved = await harness.nextEvent('StockReserved', orderId);
    assert.equal((await harness.order(orderId)).outbox.length, 0);
    assert.equal((await harness.stock(SKU)).reserved, stock.reserved + 2, 'reserved once');
    await harness.deliver('payments', [stockReserved, stockReserved]);
    await harness.deliver('order-saga', [await harness.nextEvent('PaymentAuthorized', orderId)]);
    assert.equal((await harness.order(orderId)).status, 'CONFIRMED');
    assert.equal((await charge(orderId))?.calls, 1, 'charged once');
    assert.equal((await harness.stock(SKU)).sold, stock.sold + 2);
  });

  it('recovers when the relay dies between publishing and marking: published twice, applied once', async () => {
    const stock = await harness.stock(SKU);
    const orderId = await harness.checkout('crash-relay', { [SKU]: 1 });
    const orders = harness.db.collection<OutboxDocument>('orders');
    const dying = new OutboxRelay(
      [orders],
      new CrashAfterPublish(harness.bus.producer, harness.platform.topics),
      testLogger(),
      { graceMs: 0 },
    );
    const failed = await dying.runOnce();
    assert.equal(failed.failed, 1);
    assert.equal((await harness.order(orderId)).outbox.length, 1, 'still pending after the crash');
    await relay();
    assert.equal((await harness.order(orderId)).outbox.length, 0);
    await harness.recorder.waitFor(
      () => harness.recorder.events(orderId).filter((e) => e.type === 'OrderPlaced').length === 2,
    );
    const copies = harness.recorder.events(orderId).filter((e) => e.type === 'OrderPlaced');
    assert.equal(copies[0]?.id, copies[1]?.id);
    await harness.deliver('order-saga', copies);
    const order = await harness.order(orderId);
    assert.equal(order.status, 'RESERVED');
    assert.deepEqual(
      order.history.map((change) => change.status),
      ['PENDING', 'RESERVED'],
    );
    assert.equal((await harness.stock(SKU)).reserved, stock.reserved + 1);
  });

  it('sends an event about an order that does not exist to the dead-letter topic', async () => {
    const ghost = newEvent(
      'PaymentDeclined',
      {
        orderId: 'ffffffffffffffffffffffff',
        userId: 'nobody',
        paymentId: 'ch_ghost',
        amountCents: 1,
        currency: 'EUR',
        declineCode: 'card_declined',
      },
      { source: 'payments', subject: 'ffffffffffffffffffffffff' },
    );
    const summary = await harness.deliver('order-saga', [ghost]);
    assert.deepEqual(summary, { processed: 0, deadLettered: 1 });
    const dlq = harness.platform.topics.deadLetterOf(harness.platform.topics.forEvent(ghost.type));
    await harness.recorder.waitFor((messages) =>
      messages.some((m) => m.topic === dlq && m.event?.id === ghost.id),
    );
    const letter = harness.recorder.messages.find(
      (m) => m.topic === dlq && m.event?.id === ghost.id,
    );
    assert.equal(letter?.headers['orderly-dlq-reason']?.toString(), 'UNPROCESSABLE');
    assert.match(String(letter?.headers['orderly-dlq-detail']), /no order ffff/);
  });

  it('parks an outbox event that can never be published, publishes the others, and the repair cancels its order', async () => {
    const orders = harness.db.collection<OrderDoc>('orders');
    const poisoned = await harness.checkout('poisoned', { [SKU]: 1 });
    const healthy = await harness.checkout('healthy', { [SKU]: 1 });
    // An event its consumers would refuse (written around checkout's own validation).
    await orders.updateOne(
      { _id: new ObjectId(poisoned) },
      { $set: { 'outbox.0.data.items': [] } },
    );
    const pass = await relay();
    assert.ok(pass.parked >= 1, 'the poisoned event is parked');
    const parked = await harness.order(poisoned);
    assert.equal(parked.outbox.length, 0);
    assert.equal(parked.outboxParked?.[0]?.event.type, 'OrderPlaced');
    assert.match(parked.outboxParked?.[0]?.reason ?? '', /invalid OrderPlaced/);
    assert.equal((await harness.order(healthy)).outbox.length, 0, 'the other one went out');
    await harness.nextEvent('OrderPlaced', healthy);
    assert.equal((await relay()).failed, 0, 'the next pass does not trip on it again');

    const later = new Date(Date.now() + 10 * 60_000);
    await harness.platform.repair.runOnce(later);
    const settled = await harness.order(poisoned);
    assert.equal(settled.status, 'CANCELLED');
    assert.equal(settled.cancellationReason, 'PROCESSING_FAILED');
  });

  it('repairs an order stuck in PENDING: its OrderPlaced goes out again, then it is cancelled and its hold released', async () => {
    const stock = await harness.stock(SKU);
    // OrderPlaced went out and was lost (its record used its retries, say); inventory holds
    // stock for it, reserved by a saga that died before writing RESERVED.
    const { orderId, placed: lost } = await placed('stuck-pending', 2);
    await inventory.reserve(orderId, [{ sku: SKU, quantity: 2 }], 120);
    assert.equal((await harness.stock(SKU)).reserved, stock.reserved + 2);

    const soon = new Date(Date.now() + 60_000);
    await harness.platform.repair.runOnce(soon);
    const young = await harness.order(orderId);
    assert.equal(young.status, 'PENDING', 'not stuck yet: left alone');
    assert.equal(young.repairRequeuedAt ?? null, null);

    const stuck = new Date(Date.now() + 6 * 60_000);
    assert.ok((await harness.platform.repair.runOnce(stuck)).requeued >= 1);
    await relay();
    await harness.recorder.waitFor(
      () => harness.recorder.events(orderId).filter((e) => e.type === 'OrderPlaced').length === 2,
    );
    const again = harness.recorder.events(orderId).filter((e) => e.type === 'OrderPlaced')[1];
    assert.equal(again?.id, lost.id, 'the same event, so a consumer that had it sees a repeat');
    assert.equal((await harness.platform.repair.runOnce(stuck)).requeued, 0, 'requeued once');

    const givenUp = new Date(Date.now() + 12 * 60_000);
    const pass = await harness.platform.repair.runOnce(givenUp);
    assert.ok(pass.cancelled >= 1 && pass.released >= 1);
    const order = await harness.order(orderId);
    assert.equal(order.status, 'CANCELLED');
    assert.equal(order.cancellationReason, 'PROCESSING_FAILED');
    assert.equal((await harness.stock(SKU)).reserved, stock.reserved, 'the hold is given back');
    await harness.nextEvent('OrderCancelled', orderId);
    // The saga applying the cancel afterwards finds nothing more to give back.
    await harness.deliver('order-saga', [await harness.nextEvent('OrderCancelled', orderId)]);
    assert.equal((await harness.stock(SKU)).reserved, stock.reserved);
    assert.equal((await harness.platform.repair.runOnce(givenUp)).cancelled, 0, 'settled once');
  });
});
