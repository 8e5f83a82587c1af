import { createHash } from 'node:crypto';
import { context } from '@opentelemetry/api';
import type { Static } from '@sinclair/typebox';
import { type Collection, type Db, ObjectId } from 'mongodb';
import { badUserInput, invalidState, notFound } from '../../shared/errors/catalogue.js';
import { validateEvent } from '../../shared/events/decode-event.js';
import type { ImmediatePublisher } from '../../shared/events/event-bus.js';
import { isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';
import { relayOnly, sendOrLeave } from '../../shared/outbox/aggregate-store.js';
import { outboxEntries } from '../../shared/outbox/outbox.js';
import { decodeCursor, encodeCursor } from '../../shared/pagination/cursor.js';
import { tagOrder } from '../../shared/telemetry/tracing.js';
import type { PaymentProvider } from '../payments/port.js';
import { TestPaymentProvider } from '../payments/port.js';
import { OrderAggregate } from './order-aggregate.js';
import {
  ORDERS_COLLECTION,
  type OrderDoc,
  type OrderLine,
  orderPlacedEvent,
} from './order-document.js';
import { INITIAL_STATUS } from './order-lifecycle.js';
import type { Order } from './order-schemas.js';

export { ORDER_INDEXES } from './order-document.js';
export type { OrderLine };

type OrderView = Static<typeof Order>;

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** The order id of a checkout: 12 bytes of SHA-256 over the shopper and the idempotency key. */
function orderIdFor(userId: string, idempotencyKey: string): ObjectId {
  const digest = createHash('sha256').update(`${userId}\n${idempotencyKey}`).digest('hex');
  return new ObjectId(digest.slice(0, 24));
}

function toView(doc: OrderDoc): OrderView {
  return {
    id: doc._id.toHexString(),
    status: doc.status,
    items: doc.items.map((item) => ({ ...item, variantTitle: item.variantTitle ?? 'Default' })),
    totalCents: doc.totalCents,
    currency: doc.currency,
    cancellationReason: doc.cancellationReason,
    history: doc.history.map((change) => ({ ...change, at: change.at.toISOString() })),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/**
 * How long a new order's OrderPlaced, once published, waits in its outbox for the saga's first
 * move to remove it before the relay sends it again (see `insertNew`). Far above the step's
 * time under load (seconds in a flash sale), so the relay sends a second copy only for an
 * order whose step did not run.
 */
const PLACED_KEPT_MS = 30_000;

/** The orders function's reads of the orders collection, and its two writes: place and cancel. */
export class OrderStore {
  private readonly orders: Collection<OrderDoc>;
  private readonly aggregate: OrderAggregate;
  /** Whether checkout publishes its OrderPlaced itself (else the relay does). */
  private readonly publishes: boolean;

  /** With a publisher, new events go to Kafka right after the write; else the relay sends them. */
  constructor(
    db: Db,
    publisher?: ImmediatePublisher,
    private readonly payments: Pick<PaymentProvider, 'prepare'> = new TestPaymentProvider(db),
  ) {
    this.orders = db.collection<OrderDoc>(ORDERS_COLLECTION);
    // Checkout without a Kafka connection leaves every event to the outbox relay.
    this.aggregate = new OrderAggregate(db, publisher ? sendOrLeave(publisher) : relayOnly);
    this.publishes = publisher !== undefined;
  }

  async findByKey(userId: string, idempotencyKey: string): Promise<OrderView | null> {
    const doc = await this.orders.findOne({ userId, idempotencyKey });
    return doc ? toView(doc) : null;
  }

  /**
   * Stores a PENDING order with its OrderPlaced event in one insert. The unique index on
   * (user, key) makes a concurrent duplicate fail; it then gets the stored order instead.
   * The card token goes to the payment provider, which opens the order's payment with it
   * (nothing is charged yet); the order keeps only the provider's reference.
   */
  async place(order: {
    userId: string;
    idempotencyKey: string;
    items: OrderLine[];
    currency: string;
    shippingAddress: Record<string, unknown>;
    paymentToken: string;
    contactEmail?: string;
  }): Promise<{ order: OrderView; created: boolean }> {
    // The id follows from the shopper and the key: a repeat of the checkout (or a concurrent
    // one) names the same order, so it opens the same payment at the provider (one payment, one
    // token use) and meets the first order's insert.
    const _id = orderIdFor(order.userId, order.idempotencyKey);
    // From here on every span of this checkout's trace names the order, and so does the
    // trace context stored with its OrderPlaced event.
    return context.with(tagOrder(_id.toHexString()), () => this.insertNew(_id, order));
  }

  private async insertNew(
    _id: ObjectId,
    { paymentToken, ...order }: Parameters<OrderStore['place']>[0],
  ): Promise<{ order: OrderView; created: boolean }> {
    const now = new Date();
    const totalCents = order.items.reduce(
      (sum, item) => sum + item.quantity * item.unitPriceCents,
      0,
    );
    const doc: OrderDoc = {
      _id,
      ...order,
      status: INITIAL_STATUS,
      totalCents,
      cancellationReason: null,
      history: [{ status: INITIAL_STATUS, at: now, reason: null }],
      appliedEvents: [],
      reservationExpiresAt: null,
      outbox: [],
      createdAt: now,
      updatedAt: now,
    };
    doc.outbox.push(...outboxEntries([orderPlacedEvent(doc)]));
    // What is stored is what goes out: an event consumers would refuse is refused here, to
    // the shopper, before anything is written (it would otherwise sit in the outbox forever).
    for (const event of doc.outbox) {
      const checked = validateEvent(event);
      if (!checked.ok) {
        throw badUserInput(`This cart cannot be checked out as it is: ${checked.detail}`, {
          field: 'cart',
        });
      }
    }
    // A checkout that loses the race on its idempotency key leaves an opened payment that is
    // never asked for: nothing is charged, as with an abandoned payment at any provider.
    const { reference } = await this.payments.prepare({
      idempotencyKey: _id.toHexString(),
      amountCents: totalCents,
      currency: order.currency,
      token: paymentToken,
    });
    doc.paymentReference = reference;
    // Published right after the insert, the OrderPlaced stays in the outbox: the saga's first
    // move, which its delivery triggers, removes it in the same write (a write fewer per
    // order). The lease keeps the relay off it meanwhile; a publish that fails ends the lease.
    if (this.publishes) doc.outboxLeaseUntil = new Date(now.getTime() + PLACED_KEPT_MS);
    try {
      await this.aggregate.insert(doc, { keep: this.publishes });
      return { order: toView(doc), created: true };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await this.findByKey(order.userId, order.idempotencyKey);
      if (!existing) throw err;
      return { order: existing, created: false };
    }
  }

  /** The order if `userId` owns it (or is an admin); "not found" for anyone else. */
  async get(id: string, userId: string, isAdmin: boolean): Promise<OrderView> {
    const doc = OBJECT_ID.test(id)
      ? await this.orders.findOne(
          isAdmin ? { _id: new ObjectId(id) } : { _id: new ObjectId(id), userId },
        )
      : null;
    if (!doc) throw notFound(`No order ${id}`, { id });
    return toView(doc);
  }

  /** One customer's orders, newest first; `userId` null: every order of the shop. */
  async list(userId: string | null, first: number, after?: string) {
    const filter: Record<string, unknown> = userId === null ? {} : { userId };
    if (after !== undefined) {
      const position = decodeCursor(after);
      if (!OBJECT_ID.test(position.id))
        throw badUserInput('after is not a cursor this API returned', { field: 'after' });
      filter.$or = [
        { createdAt: { $lt: position.createdAt } },
        { createdAt: position.createdAt, _id: { $lt: new ObjectId(position.id) } },
      ];
    }
    const docs = await this.orders
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(first + 1)
      .toArray();
    const edges = docs.slice(0, first).map((doc) => ({
      cursor: encodeCursor({ createdAt: doc.createdAt, id: doc._id.toHexString() }),
      node: toView(doc),
    }));
    return {
      edges,
      pageInfo: { hasNextPage: docs.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  /** Cancels an order of this user that is not cancelled yet, recording why and the event. */
  async cancelByCustomer(id: string, userId: string): Promise<OrderView> {
    const current = OBJECT_ID.test(id)
      ? await this.orders.findOne({ _id: new ObjectId(id), userId })
      : null;
    if (!current) throw notFound(`No order ${id}`, { id });
    if (current.status === 'CANCELLED')
      throw invalidState(`Order ${id} is already cancelled`, { id });
    const doc = await this.aggregate.transition(current, 'CustomerCancelled', {
      appliedId: `cancelled-by-customer:${id}`,
      source: 'orders',
    });
    // The status moved meanwhile (the saga advanced it): decide again on the new one.
    if (!doc) return this.cancelByCustomer(id, userId);
    return toView(doc);
  }
}
