import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { type DomainEvent, derivedEventId, newEvent } from '../../shared/events/envelope.js';
import { createInventoryClient, type InventoryClient } from '../../shared/grpc/inventory-client.js';
import { sendNow } from '../../shared/outbox/aggregate-store.js';
import type { OutboxDocument, OutboxStore } from '../../shared/outbox/outbox.js';
import { OutboxPublisher } from '../../shared/outbox/outbox-publisher.js';
import { CheckoutHarness } from '../../test-support/checkout-harness.js';
import { eventually } from '../../test-support/eventually.js';
import { gate } from '../../test-support/gate.js';
import { testLogger } from '../../test-support/integration-env.js';
import { publishEvents } from '../../test-support/publish-events.js';
import { OrderAggregate, type OrderDoc } from '../orders/port.js';
import { OutboxRelay } from '../outbox-relay/outbox-relay.js';
import type { PaymentProvider } from '../payments/port.js';
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
  const provider = () => new TestPaymentProvider(harness.db);

  /** A saga of its own, with the provider's calls and the order's sender a test wants. */
  function sagaWith(
    calls: Partial<PaymentProvider>,
    publisher: Pick<OutboxPublisher, 'publish'> = harness.bus.publisher,
    orders = new OrderAggregate(harness.db, sendNow(publisher)),
    stock: Partial<InventoryClient> = {},
  ) {
    const real = provider();
    return new OrderSaga({
      orders,
      inventory: { ...inventory, ...stock },
      payments: {
        prepare: (request) => real.prepare(request),
        authorize: (request) => real.authorize(request),
        cancel: (request) => real.cancel(request),
        ...calls,
      },
      reservationTtlSeconds: 120,
    });
  }

  /** A saga whose process dies after CONFIRMED, before the holds are committed. */
  const diesBeforeTheCommit = () =>
    sagaWith({}, harness.bus.publisher, undefined, {
      commitHeld: () => Promise.reject(new Error('simulated crash before the commit')),
    });

  async function placed(userId: string, quantity = 1) {
    const orderId = await harness.checkout(userId, { [SKU]: quantity });
    await relay();
    return { orderId, placed: await harness.nextEvent('OrderPlaced', orderId) };
  }

  /** RESERVED, its payment marked as asked for: the step died before the provider answered. */
  async function reservedOnly(userId: string, quantity = 1) {
    const step = await placed(userId, quantity);
    const dying = sagaWith({
      authorize: () => Promise.reject(new Error('simulated crash before the provider call')),
    });
    await assert.rejects(dying.handle(step.placed, testLogger()), /simulated crash/);
    const order = await harness.order(step.orderId);
    assert.equal(order.status, 'RESERVED');
    assert.equal(order.payment?.status, 'AUTHORIZING');
    return step;
  }

  async function confirmed(userId: string) {
    const step = await placed(userId);
    await harness.deliver('order-saga', [step.placed]);
    assert.equal((await harness.order(step.orderId)).status, 'CONFIRMED');
    return step;
  }

  async function cancelledBy(userId: string, orderId: string) {
    assert.equal(await harness.cancel(userId, orderId), 200);
    await relay();
    return harness.nextEvent('OrderCancelled', orderId);
  }

  /** Inventory's own reservation: an order's stock is held without one (holds). */
  const reservation = (orderId: string) =>
    harness.db.collection('inventory_reservations').findOne({ _id: orderId as never });
  /** Whether the order holds stock of the SKU (its id among the SKU's holds). */
  const holds = async (orderId: string) =>
    (await harness.db
      .collection('inventory_stock')
      .countDocuments({ _id: SKU as never, holds: orderId })) > 0;
  const charge = (orderId: string) =>
    harness.db.collection('test_provider_charges').findOne({ _id: orderId as never });

  it('takes an order from PENDING through RESERVED to CONFIRMED in one step, and a repeat changes nothing', async () => {
    const stock = await harness.stock(SKU);
    const { orderId, placed: event } = await placed('one-step');
    await harness.deliver('order-saga', [event]);
    const order = await harness.order(orderId);
    assert.equal(order.status, 'CONFIRMED');
    assert.deepEqual(
      order.history.map((change) => change.status),
      ['PENDING', 'RESERVED', 'CONFIRMED'],
    );
    assert.deepEqual(order.payment, {
      status: 'AUTHORIZED',
      chargeId: `ch_test_${orderId}`,
      declineCode: null,
    });
    assert.equal(order.paymentReference, `pay_test_${orderId}`, 'the provider keeps the token');
    assert.equal(order.paymentToken, undefined);
    assert.equal(event.data.paymentToken, undefined, 'no card token on Kafka');
    const confirmation = await harness.nextEvent('OrderConfirmed', orderId);
    assert.equal(confirmation.data.reservedAt, order.history[1]?.at.toISOString());
    assert.deepEqual(await harness.stock(SKU), {
      ...stock,
      sold: stock.sold + 1,
      available: stock.available - 1,
    });

    assert.equal(order.stockHeldAs, 'holds');
    assert.equal(await reservation(orderId), null, 'held without a reservation document');
    assert.equal(await holds(orderId), false, 'the hold was committed');

    await harness.deliver('order-saga', [event, event]);
    assert.equal((await charge(orderId))?.calls, 1, 'asked once');
    assert.equal((await harness.stock(SKU)).sold, stock.sold + 1, 'sold once');
    const seen = harness.recorder.events(orderId);
    assert.deepEqual(
      [...new Set(seen.map((e) => `${e.type} ${e.id}`))],
      [`OrderPlaced ${event.id}`, `OrderConfirmed ${confirmation.id}`],
      'no event in between (nobody needs one), and no other OrderConfirmed',
    );
    // A repeat sends the same OrderConfirmed again (it is announced, not stored): the same
    // event, which consumers recognise by its id.
    for (const copy of seen.filter((e) => e.type === 'OrderConfirmed')) {
      assert.deepEqual(copy, confirmation);
    }
  });

  it('cancels a PENDING order without reserving or charging anything', async () => {
    const stock = await harness.stock(SKU);
    const { orderId, placed: event } = await placed('pending-canceller');
    const cancelled = await cancelledBy('pending-canceller', orderId);
    assert.equal(cancelled.data.previousStatus, 'PENDING');
    await harness.deliver('order-saga', [event, cancelled]);

    const order = await harness.order(orderId);
    assert.equal(order.status, 'CANCELLED');
    assert.equal(order.cancellationReason, 'CANCELLED_BY_CUSTOMER');
    assert.equal(order.payment?.status, 'CANCELLED', 'the payment opened at checkout is ended');
    assert.equal(await reservation(orderId), null);
    assert.deepEqual(await harness.stock(SKU), stock);
    assert.equal((await charge(orderId))?.result, undefined, 'never asked for');
  });

  it('keeps the holds a duplicate step counts on when the other copy of the step finds stock short', async () => {
    const OTHER = 'STEP-SHADE';
    await harness.addProduct(OTHER, 2000, 1);
    const stock = await harness.stock(SKU);
    const userId = 'duplicate-steps';
    const orderId = await harness.checkout(userId, { [SKU]: 1, [OTHER]: 1 });
    await relay();
    const event = await harness.nextEvent('OrderPlaced', orderId);
    // Two copies of the step (a rebalance): the first finds the shade taken by another shopper
    // and holds only the lamp; the shade comes back; the second holds the shade, finds the lamp
    // held (by the first) and moves the order to RESERVED. The first copy's refusal then loses.
    await inventory.hold('another-shopper', [{ sku: OTHER, quantity: 1 }]);
    const { opened: firstRefused, open: refused } = gate();
    const { opened: mayGoOn, open: goOn } = gate();
    const first = sagaWith({}, harness.bus.publisher, undefined, {
      hold: async (holdId, lines) => {
        try {
          return await inventory.hold(holdId, lines);
        } finally {
          refused();
          await mayGoOn;
        }
      },
    });
    const firstStep = first.handle(event, testLogger());
    await firstRefused;
    await inventory.releaseHeld('another-shopper', [{ sku: OTHER, quantity: 1 }]);
    // The second copy holds both (the lamp already held by the first), writes RESERVED and
    // waits at the provider while the first copy's refusal comes back.
    const { opened: atProvider, open: paying } = gate();
    const { opened: payGate, open: pay } = gate();
    const second = sagaWith({
      authorize: async (request) => {
        paying();
        await payGate;
        return provider().authorize(request);
      },
    });
    const secondStep = second.handle(event, testLogger());
    await atProvider;
    await eventually(
      async () => (await harness.order(orderId)).status === 'RESERVED',
      5_000,
      'the second copy to write RESERVED',
    );
    goOn();
    await firstStep;
    pay();
    await secondStep;

    const order = await harness.order(orderId);
    assert.equal(order.status, 'CONFIRMED');
    assert.deepEqual(await harness.stock(SKU), {
      ...stock,
      available: stock.available - 1,
      sold: stock.sold + 1,
    });
    const shade = await harness.stock(OTHER);
    assert.deepEqual([shade.available, shade.reserved, shade.sold], [0, 0, 1]);
  });

  it('takes nothing more on the repeat of a step that held the stock and died before RESERVED', async () => {
    const stock = await harness.stock(SKU);
    const { orderId, placed: event } = await placed('repeat-holder', 2);
    await inventory.hold(orderId, [{ sku: SKU, quantity: 2 }]);
    await harness.deliver('order-saga', [event]);
    assert.equal((await harness.order(orderId)).status, 'CONFIRMED');
    assert.deepEqual(await harness.stock(SKU), {
      ...stock,
      available: stock.available - 2,
      sold: stock.sold + 2,
    });
  });

  it('gives back what a step reserved after its order was cancelled and compensated', async () => {
    const stock = await harness.stock(SKU);
    const { orderId, placed: event } = await placed('late-reserver');
    const cancelled = await cancelledBy('late-reserver', orderId);
    await harness.deliver('order-saga', [cancelled]); // nothing held yet: nothing released
    // A step on another process held stock meanwhile and died before its own release.
    await inventory.hold(orderId, [{ sku: SKU, quantity: 1 }]);
    assert.equal((await harness.stock(SKU)).reserved, stock.reserved + 1);
    await harness.deliver('order-saga', [event]); // its redelivery
    assert.deepEqual(await harness.stock(SKU), stock);
    assert.equal(await holds(orderId), false);
  });

  it('cancels a RESERVED order whose payment was being asked for: released, and a later authorisation refused', async () => {
    const stock = await harness.stock(SKU);
    const { orderId, placed: event } = await reservedOnly('reserved-canceller');
    assert.equal((await harness.stock(SKU)).reserved, stock.reserved + 1);
    const cancelled = await cancelledBy('reserved-canceller', orderId);
    assert.equal(cancelled.data.previousStatus, 'RESERVED');
    await harness.deliver('order-saga', [cancelled]);
    // The step that died is delivered again: the order is cancelled, so it does nothing.
    await harness.deliver('order-saga', [event]);

    const released = await harness.nextEvent('StockReleased', orderId);
    assert.equal(released.data.outcome, 'RELEASED');
    assert.deepEqual(await harness.stock(SKU), stock);
    assert.equal(await holds(orderId), false);
    assert.equal((await harness.order(orderId)).payment?.status, 'CANCELLED');
    // Had the step still been asking, the provider would have refused it.
    const late = await provider().authorize({
      idempotencyKey: orderId,
      reference: `pay_test_${orderId}`,
      amountCents: 4500,
      currency: 'EUR',
    });
    assert.equal(late.outcome, 'DECLINED');
    assert.notEqual((await charge(orderId))?.result?.outcome, 'AUTHORIZED');
  });

  it('never keeps a charge or stock when the cancel comes while the step asks the provider', async () => {
    for (const when of ['before the provider decides', 'after the provider decided'] as const) {
      const stock = await harness.stock(SKU);
      const userId = `racer-${when.length}`;
      const { orderId, placed: event } = await placed(userId);
      const { opened: atProvider, open: reachedProvider } = gate();
      const { opened: mayGoOn, open: goOn } = gate();
      const slow = sagaWith({
        authorize: async (request) => {
          if (when === 'after the provider decided') await provider().authorize(request);
          reachedProvider();
          await mayGoOn;
          return provider().authorize(request);
        },
      });
      const step = slow.handle(event, testLogger());
      await atProvider;
      const cancelled = await cancelledBy(userId, orderId);
      await harness.deliver('order-saga', [cancelled]);
      goOn();
      await step;

      const order = await harness.order(orderId);
      assert.equal(order.status, 'CANCELLED', when);
      assert.ok(['CANCELLED', 'REFUNDED'].includes(String(order.payment?.status)), when);
      const kept = await charge(orderId);
      assert.ok(
        kept?.result?.outcome !== 'AUTHORIZED' || kept.refunded === true,
        `${when}: ${JSON.stringify(kept)}`,
      );
      assert.deepEqual(await harness.stock(SKU), stock, when);
    }
  });

  it('gives the money and the stock back when the cancel lands between the RESERVED marker and the authorisation sent with it', async () => {
    const stock = await harness.stock(SKU);
    const userId = 'marker-racer';
    const { orderId, placed: event } = await placed(userId);
    const { opened: markerHeld, open: openMarker } = gate();
    /** Holds the saga's RESERVED write back until the test lets it go. */
    class SlowMarker extends OrderAggregate {
      override async transition(...args: Parameters<OrderAggregate['transition']>) {
        if (args[1] === 'StockReserved') await markerHeld;
        return super.transition(...args);
      }
    }
    const { opened: atProvider, open: authorised } = gate();
    const slow = sagaWith(
      {
        authorize: async (request) => {
          const answer = await provider().authorize(request);
          authorised();
          return answer;
        },
      },
      harness.bus.publisher,
      new SlowMarker(harness.db, sendNow(harness.bus.publisher)),
    );
    const step = slow.handle(event, testLogger());
    // The provider authorised while the order is still PENDING: the cancel comes now.
    await atProvider;
    assert.equal((await harness.order(orderId)).status, 'PENDING');
    const cancelled = await cancelledBy(userId, orderId);
    await harness.deliver('order-saga', [cancelled]);
    openMarker();
    await step;

    const order = await harness.order(orderId);
    assert.equal(order.status, 'CANCELLED');
    assert.equal(order.payment?.status, 'REFUNDED');
    assert.equal((await charge(orderId))?.refunded, true);
    assert.deepEqual(await harness.stock(SKU), stock);
    assert.equal(await holds(orderId), false);
  });

  it('cancels a CONFIRMED order: the sold stock comes back once and the payment is refunded', async () => {
    const stock = await harness.stock(SKU);
    const { orderId } = await confirmed('confirmed-canceller');
    assert.equal((await harness.stock(SKU)).available, stock.available - 1);
    const cancelled = await cancelledBy('confirmed-canceller', orderId);
    assert.equal(cancelled.data.previousStatus, 'CONFIRMED');
    await harness.deliver('order-saga', [cancelled]);
    // As if the function died after giving back, before recording the event: the redelivery
    // must not return the stock, or the amount, a second time.
    await harness.db
      .collection('orders')
      .updateOne(
        { _id: (await harness.order(orderId))._id },
        { $pull: { appliedEvents: cancelled.id } as never },
      );
    await harness.deliver('order-saga', [cancelled]);

    const released = await harness.nextEvent('StockReleased', orderId);
    assert.equal(released.data.outcome, 'RETURNED');
    assert.deepEqual(await harness.stock(SKU), stock, 'available and sold as before the order');
    assert.equal(await reservation(orderId), null);
    const refunded = await harness.nextEvent('PaymentRefunded', orderId);
    assert.equal(refunded.data.amountCents, 4500);
    assert.equal((await harness.order(orderId)).payment?.status, 'REFUNDED');
    assert.equal((await charge(orderId))?.refunded, true);
    assert.equal((await charge(orderId))?.calls, 1);
  });

  it('cancels an order whose reservation ran out (RESERVATION_EXPIRED) and releases its stock', async () => {
    const stock = await harness.stock(SKU);
    const { orderId, placed: event } = await reservedOnly('slow-payer');
    // The step never came back: the sweep runs as if the reservation's time had passed.
    const later = new Date(Date.now() + 10 * 60_000);
    assert.ok((await harness.platform.expiry.runOnce(later)) >= 1);
    assert.equal(await harness.platform.expiry.runOnce(later), 0, 'a second sweep is a no-op');
    const order = await harness.order(orderId);
    assert.equal(order.status, 'CANCELLED');
    assert.equal(order.cancellationReason, 'RESERVATION_EXPIRED');
    await harness.deliver('order-saga', [await harness.nextEvent('OrderCancelled', orderId)]);
    await harness.deliver('order-saga', [event]);
    assert.deepEqual(await harness.stock(SKU), stock);
    assert.notEqual((await charge(orderId))?.result?.outcome, 'AUTHORIZED');
  });

  it('finishes a step that died during the provider call: asked again under the same key, charged once', async () => {
    const stock = await harness.stock(SKU);
    const { orderId, placed: event } = await placed('abandoned-payment');
    // The provider charged, then the process died before anything was recorded.
    const dying = sagaWith({
      authorize: async (request) => {
        await provider().authorize(request);
        throw new Error('simulated crash during the provider call');
      },
    });
    await assert.rejects(dying.handle(event, testLogger()), /simulated crash/);
    const stuck = await harness.order(orderId);
    assert.equal(stuck.payment?.status, 'AUTHORIZING');

    await harness.deliver('order-saga', [event]);
    const order = await harness.order(orderId);
    assert.equal(order.status, 'CONFIRMED');
    const kept = await charge(orderId);
    assert.equal(kept?.calls, 2, 'asked twice under one key: one charge');
    assert.equal(kept?.refunded, false);
    assert.equal((await harness.stock(SKU)).sold, stock.sold + 1);
  });

  it('finishes the commit of the holds that a step left undone after CONFIRMED', async () => {
    const stock = await harness.stock(SKU);
    const { orderId, placed: event } = await placed('uncommitted', 2);
    const dying = diesBeforeTheCommit();
    await assert.rejects(dying.handle(event, testLogger()), /simulated crash/);
    assert.equal((await harness.order(orderId)).status, 'CONFIRMED');
    // Decided, not yet sold: the units are held, so none can be sold to anyone else.
    assert.deepEqual(await harness.stock(SKU), {
      ...stock,
      available: stock.available - 2,
      reserved: stock.reserved + 2,
    });
    await harness.deliver('order-saga', [event]);
    assert.deepEqual(await harness.stock(SKU), {
      ...stock,
      available: stock.available - 2,
      sold: stock.sold + 2,
    });
    assert.equal((await charge(orderId))?.calls, 1, 'charged once');
  });

  it('returns the stock of a CONFIRMED order cancelled before a crash let its holds be committed, once', async () => {
    const stock = await harness.stock(SKU);
    const userId = 'uncommitted-canceller';
    const { orderId } = await placed(userId, 3);
    const dying = diesBeforeTheCommit();
    const event = await harness.nextEvent('OrderPlaced', orderId);
    await assert.rejects(dying.handle(event, testLogger()), /simulated crash/);
    assert.equal((await harness.stock(SKU)).reserved, stock.reserved + 3);
    const cancelled = await cancelledBy(userId, orderId);
    assert.equal(cancelled.data.previousStatus, 'CONFIRMED');
    await harness.deliver('order-saga', [cancelled]);
    // A redelivery of the cancel after a crash, and the late repeat of the step: no change.
    await harness.db
      .collection('orders')
      .updateOne(
        { _id: (await harness.order(orderId))._id },
        { $pull: { appliedEvents: cancelled.id } as never },
      );
    await harness.deliver('order-saga', [cancelled, event]);
    assert.deepEqual(await harness.stock(SKU), stock);
    assert.equal((await harness.nextEvent('StockReleased', orderId)).data.outcome, 'RETURNED');
    assert.equal((await harness.order(orderId)).payment?.status, 'REFUNDED');
  });

  it("ends the holds a final order was left with when its own steps never came back, and no one else's", async () => {
    const stock = await harness.stock(SKU);
    // CONFIRMED, its news and commit lost: the step died after the move (its OrderConfirmed
    // not sent) and its record was dead-lettered.
    const lost = await placed('lost-commit', 2);
    const dying = sagaWith(
      {},
      new CrashBeforePublish(harness.bus.producer, harness.platform.topics, testLogger()),
    );
    await assert.rejects(dying.handle(lost.placed, testLogger()), /simulated crash/);
    const confirmations = () =>
      harness.recorder.events(lost.orderId).filter((e) => e.type === 'OrderConfirmed');
    // Cancelled and compensated while PENDING; a late step then held stock and died.
    const late = await placed('lost-release');
    await harness.deliver('order-saga', [await cancelledBy('lost-release', late.orderId)]);
    await inventory.hold(late.orderId, [{ sku: SKU, quantity: 1 }]);
    // Another client's hold, and an open order's: neither is the sweep's.
    await inventory.hold('not-an-order', [{ sku: SKU, quantity: 1 }]);
    const open = await reservedOnly('still-open');
    assert.deepEqual(await harness.stock(SKU), {
      ...stock,
      available: stock.available - 5,
      reserved: stock.reserved + 5,
    });

    const sweep = harness.platform.holds;
    assert.ok(sweep);
    assert.equal((await sweep.runOnce()).ended, 0, 'final only moments ago: left to their steps');
    const later = new Date(Date.now() + 10 * 60_000);
    assert.equal(confirmations().length, 0);
    const pass = await sweep.runOnce(later);
    assert.equal(pass.ended, 2);
    const sent = await harness.nextEvent('OrderConfirmed', lost.orderId);
    assert.equal(sent.id, derivedEventId(lost.placed.id, 'OrderConfirmed'), "the saga's own event");
    assert.equal(await holds(lost.orderId), false);
    assert.equal(await holds(late.orderId), false);
    assert.equal(await holds(open.orderId), true);
    assert.deepEqual(await harness.stock(SKU), {
      ...stock,
      available: stock.available - 4,
      reserved: stock.reserved + 2,
      sold: stock.sold + 2,
    });
    assert.equal((await sweep.runOnce(later)).ended, 0, 'ended once');

    await inventory.releaseHeld('not-an-order', [{ sku: SKU, quantity: 1 }]);
    await harness.deliver('order-saga', [open.placed]);
    assert.equal((await harness.order(open.orderId)).status, 'CONFIRMED');
  });

  it('recovers when the saga dies between its update and its produce', async () => {
    const stock = await harness.stock(SKU);
    const { orderId, placed: event } = await placed('crash-saga', 2);
    const crashing = sagaWith(
      {},
      new CrashBeforePublish(harness.bus.producer, harness.platform.topics, testLogger()),
    );
    await assert.rejects(crashing.handle(event, testLogger()), /simulated crash/);
    const stuck = await harness.order(orderId);
    assert.equal(stuck.status, 'CONFIRMED');
    // The OrderConfirmed is announced, not stored: the holds, not committed before it is out,
    // are the record that it still has to go.
    assert.deepEqual(stuck.outbox, []);
    assert.equal(await holds(orderId), true, 'not committed while its news is not out');
    assert.equal(
      harness.recorder.events(orderId).filter((e) => e.type === 'OrderConfirmed').length,
      0,
    );
    // The batch is delivered again (the invocation failed): the repeat sends it, then commits.
    await harness.deliver('order-saga', [event]);
    const confirmation = await harness.nextEvent('OrderConfirmed', orderId);
    assert.equal(
      confirmation.time,
      stuck.history[2]?.at.toISOString(),
      'built as the move built it',
    );
    assert.equal(await holds(orderId), false);
    assert.equal((await harness.order(orderId)).outbox.length, 0);
    assert.equal((await charge(orderId))?.calls, 1, 'charged once');
    assert.equal((await harness.stock(SKU)).sold, stock.sold + 2, 'sold once');
    assert.equal((await harness.stock(SKU)).reserved, stock.reserved);
  });

  it('finishes the work of a copy of the step that confirmed the order and died before its OrderConfirmed went out', async () => {
    const stock = await harness.stock(SKU);
    const step = await reservedOnly('twin-copies');
    // The second copy (a rebalance) read the order while it was still RESERVED.
    const stale = await harness.order(step.orderId);
    const first = sagaWith(
      {},
      new CrashBeforePublish(harness.bus.producer, harness.platform.topics, testLogger()),
    );
    await assert.rejects(first.handle(step.placed, testLogger()), /simulated crash/);
    assert.equal((await harness.order(step.orderId)).status, 'CONFIRMED');
    assert.equal(await holds(step.orderId), true);
    class ReadBeforeTheMove extends OrderAggregate {
      private served = false;
      override async load(orderId: string) {
        if (this.served) return super.load(orderId);
        this.served = true;
        return stale;
      }
    }
    const second = sagaWith(
      {},
      harness.bus.publisher,
      new ReadBeforeTheMove(harness.db, sendNow(harness.bus.publisher)),
    );
    // Its move finds the order confirmed by the first copy; its success would commit the
    // record's offset, so no repeat would come to send the news or commit the holds.
    await second.handle(step.placed, testLogger());
    const sent = await harness.nextEvent('OrderConfirmed', step.orderId);
    assert.equal(sent.id, derivedEventId(step.placed.id, 'OrderConfirmed'));
    assert.equal(await holds(step.orderId), false, 'committed after the news went out');
    assert.equal((await harness.stock(SKU)).sold, stock.sold + 1);
  });

  it("hands a PENDING order's outbox back to the relay when a cancel moves it, not after checkout's lease", async () => {
    const orderId = await harness.checkout('lease-cancel', { [SKU]: 1 });
    // As checkout with a Kafka client leaves it: its OrderPlaced published and leased from the
    // relay for the saga's first move to remove.
    await harness.db
      .collection<OrderDoc>('orders')
      .updateOne(
        { _id: new ObjectId(orderId) },
        { $set: { outboxLeaseUntil: new Date(Date.now() + 30_000) } },
      );
    assert.equal(await harness.cancel('lease-cancel', orderId), 200);
    const cancelled = await harness.order(orderId);
    assert.equal(cancelled.status, 'CANCELLED');
    assert.equal(cancelled.outboxLeaseUntil, null);
    // The relay's next pass (past its one-second grace) sends what the outbox holds.
    await harness.platform.relay.runOnce(new Date(Date.now() + 2_000));
    await harness.nextEvent('OrderCancelled', orderId);
    assert.deepEqual((await harness.order(orderId)).outbox, []);
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
    assert.equal(order.status, 'CONFIRMED');
    assert.deepEqual(
      order.history.map((change) => change.status),
      ['PENDING', 'RESERVED', 'CONFIRMED'],
    );
    assert.equal((await harness.stock(SKU)).sold, stock.sold + 1);
    assert.equal((await charge(orderId))?.calls, 1);
  });

  it('sends an event about an order that does not exist to the dead-letter topic', async () => {
    const ghost = newEvent(
      'OrderCancelled',
      {
        orderId: 'ffffffffffffffffffffffff',
        userId: 'nobody',
        reason: 'CANCELLED_BY_CUSTOMER',
        previousStatus: 'PENDING',
      },
      { source: 'orders', subject: 'ffffffffffffffffffffffff' },
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
    // stock for it, held by a step that died before writing RESERVED.
    const { orderId, placed: lost } = await placed('stuck-pending', 2);
    await inventory.hold(orderId, [{ sku: SKU, quantity: 2 }]);
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
