import { type Db, ObjectId } from 'mongodb';
import { type DomainEvent, derivedEventId, newEvent } from '../../shared/events/envelope.js';
import type { CancellationReason, OrderStatus } from '../../shared/events/event-schemas.js';
import { GroupedFinds } from '../../shared/mongo/grouped-finds.js';
import type { CollectionIndexes } from '../../shared/mongo/mongo-client.js';
import type { OutboxEvent, ParkedEvent } from '../../shared/outbox/outbox.js';

export type { CancellationReason, OrderStatus };

export interface OrderLine {
  sku: string;
  name: string;
  /** The variant's title ('M / Blue', 'Default'); absent on orders from before variants. */
  variantTitle?: string;
  quantity: number;
  unitPriceCents: number;
}

/**
 * An order as stored: one document per order holding its state, its history, the ids of the
 * events already applied to it, and (the outbox) the events it caused that are not on Kafka
 * yet. Every change is one conditional update of this one document.
 */
export interface OrderDoc {
  _id: ObjectId;
  userId: string;
  idempotencyKey: string;
  status: OrderStatus;
  items: OrderLine[];
  totalCents: number;
  currency: string;
  shippingAddress: Record<string, unknown>;
  /**
   * The provider's reference of the order's payment, opened at checkout with the shopper's card
   * token (which only the provider keeps). Absent on orders from before it.
   */
  paymentReference?: string;
  /** The card token of an order placed before the provider kept it; removed once decided or cancelled. */
  paymentToken?: string;
  /** The order's payment, from the saga's step on: absent while the order is PENDING. */
  payment?: OrderPayment;
  /** Where the customer's mails about the order go; absent on orders from before mails. */
  contactEmail?: string;
  cancellationReason: CancellationReason | null;
  history: { status: OrderStatus; at: Date; reason: string | null }[];
  /** Ids of the events this order has applied: a repeat of one of them changes nothing. */
  appliedEvents: string[];
  /** When the stock reservation of a RESERVED order runs out. */
  reservationExpiresAt: Date | null;
  /**
   * How the order's stock is held, from RESERVED on: `holds` (inventory's Hold, one per SKU,
   * which the order itself ends: committed once CONFIRMED, released once CANCELLED) or, absent,
   * a reservation of inventory's own (orders held before holds existed).
   */
  stockHeldAs?: 'holds';
  outbox: OutboxEvent[];
  outboxLeaseUntil?: Date | null;
  outboxAttempts?: number;
  /** Events that could not be published, set aside by the relay (see shared/outbox). */
  outboxParked?: ParkedEvent[];
  /** When the repair sweep put the OrderPlaced of a stuck PENDING order out again. */
  repairRequeuedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * AUTHORIZING is written with RESERVED, before the provider is asked: whoever cancels the
 * order then knows a payment may be under way and cancels it at the provider too. The
 * decision follows: AUTHORIZED (with CONFIRMED, or with a cancel when the stock was lost) or
 * DECLINED; REFUNDED or CANCELLED once a cancelled order's payment is ended at the provider.
 */
export type OrderPaymentStatus =
  | 'AUTHORIZING'
  | 'AUTHORIZED'
  | 'DECLINED'
  | 'REFUNDED'
  | 'CANCELLED';

export interface OrderPayment {
  status: OrderPaymentStatus;
  /** The provider's reference of the charge, once it decided. */
  chargeId: string | null;
  declineCode: string | null;
}

export const ORDERS_COLLECTION = 'orders';

export const ORDER_INDEXES: CollectionIndexes[] = [
  {
    collection: ORDERS_COLLECTION,
    indexes: [
      { key: { userId: 1, idempotencyKey: 1 }, name: 'user_idempotency_key_unique', unique: true },
      { key: { userId: 1, createdAt: -1, _id: -1 }, name: 'user_newest_first' },
      // The shop's orders, newest first, for a program with orders:read.
      { key: { createdAt: -1, _id: -1 }, name: 'newest_first' },
      { key: { 'outbox.0.time': 1 }, name: 'outbox_pending' },
      { key: { status: 1, reservationExpiresAt: 1 }, name: 'status_reservation_expiry' },
      { key: { status: 1, createdAt: 1 }, name: 'status_created' },
    ],
  },
];

/**
 * The OrderPlaced of an order. Built from the stored order with an id derived from the
 * order's, so checkout and the repair sweep (which puts it out again for a stuck order)
 * build the same event, and consumers see a repeat, not a second order.
 */
export function orderPlacedEvent(
  order: Pick<OrderDoc, '_id' | 'userId' | 'items' | 'totalCents' | 'currency' | 'createdAt'>,
): DomainEvent<'OrderPlaced'> {
  const orderId = order._id.toHexString();
  return newEvent(
    'OrderPlaced',
    {
      orderId,
      userId: order.userId,
      items: order.items,
      totalCents: order.totalCents,
      currency: order.currency,
    },
    {
      id: derivedEventId(`checkout:${orderId}`, 'OrderPlaced'),
      source: 'orders',
      subject: orderId,
      now: order.createdAt,
    },
  );
}

/** What a mail about an order shows: who it goes to, and the lines and total as charged. */
export interface OrderForMail {
  userId: string;
  contactEmail: string | undefined;
  recipientName: string | undefined;
  items: OrderLine[];
  totalCents: number;
  currency: string;
}

/** Per database: the mails of many orders read at the same moment go out as one find. */
const mailReads = new WeakMap<Db, GroupedFinds<OrderDoc>>();

function mailReadsOf(db: Db): GroupedFinds<OrderDoc> {
  let reads = mailReads.get(db);
  if (!reads) {
    reads = new GroupedFinds(db.collection<OrderDoc>(ORDERS_COLLECTION), {
      projection: {
        userId: 1,
        contactEmail: 1,
        'shippingAddress.name': 1,
        items: 1,
        totalCents: 1,
        currency: 1,
      },
    });
    mailReads.set(db, reads);
  }
  return reads;
}

/** One order as its mails need it (notifications), or null when there is no such order. */
export async function readOrderForMail(db: Db, orderId: string): Promise<OrderForMail | null> {
  if (!/^[0-9a-f]{24}$/.test(orderId)) return null;
  const doc = await mailReadsOf(db).findById(new ObjectId(orderId));
  if (!doc) return null;
  const name = doc.shippingAddress?.name;
  return {
    userId: doc.userId,
    contactEmail: doc.contactEmail,
    recipientName: typeof name === 'string' ? name : undefined,
    items: doc.items,
    totalCents: doc.totalCents,
    currency: doc.currency,
  };
}

/** The order's stock as inventory holds it: one line per item (inventory sums repeated SKUs). */
export function stockLinesOf(order: Pick<OrderDoc, 'items'>): { sku: string; quantity: number }[] {
  return order.items.map(({ sku, quantity }) => ({ sku, quantity }));
}

/**
 * Whether the order's stock is inventory holds the order ends itself. An order that never
 * reached RESERVED holds at most the holds of a step that died or lost a race: holds too.
 */
export function holdsItsStock(order: Pick<OrderDoc, 'stockHeldAs' | 'history'>): boolean {
  return (
    order.stockHeldAs === 'holds' || !order.history.some((change) => change.status === 'RESERVED')
  );
}
