import { type Collection, type Db, ObjectId } from 'mongodb';
import type { DomainEvent } from '../../shared/events/envelope.js';
import {
  type CancellationReason,
  ORDERS_COLLECTION,
  type OrderDoc,
  type OrderStatus,
} from '../orders/order-document.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

export interface Transition {
  /** The event being applied; its id is recorded so a repeat changes nothing. */
  cause: Pick<DomainEvent, 'id'>;
  from: readonly OrderStatus[];
  to: OrderStatus;
  reason?: CancellationReason;
  reservationExpiresAt?: Date;
  /** Events caused by this change, stored in the order's outbox in the same write. */
  emit: readonly DomainEvent[];
}

/** The order-saga's view of the orders collection: loads and guarded transitions. */
export class SagaStore {
  readonly orders: Collection<OrderDoc>;

  constructor(db: Db) {
    this.orders = db.collection<OrderDoc>(ORDERS_COLLECTION);
  }

  async load(orderId: string): Promise<OrderDoc | null> {
    if (!OBJECT_ID.test(orderId)) return null;
    return this.orders.findOne({ _id: new ObjectId(orderId) });
  }

  /**
   * Moves the order from one of `from` to `to` in one conditional update, unless the cause
   * was applied already. Returns the order after the change, or null when the guard failed
   * (another status, or a repeat); the caller reloads to learn which.
   */
  async transition(orderId: string, change: Transition): Promise<OrderDoc | null> {
    const now = new Date();
    const set: Partial<OrderDoc> = { status: change.to, updatedAt: now };
    if (change.reason) set.cancellationReason = change.reason;
    if (change.reservationExpiresAt) set.reservationExpiresAt = change.reservationExpiresAt;
    return this.orders.findOneAndUpdate(
      {
        _id: new ObjectId(orderId),
        status: { $in: [...change.from] },
        appliedEvents: { $ne: change.cause.id },
      },
      {
        $set: set,
        $push: {
          history: { status: change.to, at: now, reason: change.reason ?? null },
          appliedEvents: change.cause.id,
          outbox: { $each: [...change.emit] },
        },
      },
      { returnDocument: 'after' },
    );
  }

  /**
   * Records that an event was applied without a status change (stock given back after a
   * cancel), with the events it caused. Null when it was applied before.
   */
  async record(
    orderId: string,
    cause: Pick<DomainEvent, 'id'>,
    emit: readonly DomainEvent[],
  ): Promise<OrderDoc | null> {
    return this.orders.findOneAndUpdate(
      { _id: new ObjectId(orderId), appliedEvents: { $ne: cause.id } },
      {
        $set: { updatedAt: new Date() },
        $push: { appliedEvents: cause.id, outbox: { $each: [...emit] } },
      },
      { returnDocument: 'after' },
    );
  }

  /** PENDING orders placed before `cutoff`, oldest first. */
  async stuckPending(cutoff: Date, limit: number): Promise<OrderDoc[]> {
    return this.orders
      .find({ status: 'PENDING', createdAt: { $lt: cutoff } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .toArray();
  }

  /**
   * Puts `event` (the order's OrderPlaced) into the outbox of a PENDING order with an empty
   * outbox, once: null if the order moved, has events waiting, or was requeued before.
   */
  async requeue(orderId: string, event: DomainEvent, now: Date): Promise<OrderDoc | null> {
    return this.orders.findOneAndUpdate(
      {
        _id: new ObjectId(orderId),
        status: 'PENDING',
        outbox: { $size: 0 },
        repairRequeuedAt: { $in: [null] },
      },
      { $set: { repairRequeuedAt: now, updatedAt: now }, $push: { outbox: event } },
      { returnDocument: 'after' },
    );
  }

  /** RESERVED orders whose reservation ran out before `cutoff`, oldest first. */
  async overdueReservations(cutoff: Date, limit: number): Promise<OrderDoc[]> {
    return this.orders
      .find({ status: 'RESERVED', reservationExpiresAt: { $lt: cutoff } })
      .sort({ reservationExpiresAt: 1 })
      .limit(limit)
      .toArray();
  }
}
