import { type Db, ObjectId } from 'mongodb';
import type { DomainEvent } from '../../shared/events/envelope.js';
import { GroupedFinds } from '../../shared/mongo/grouped-finds.js';
import {
  AggregateStore,
  hasApplied,
  type OutboxSender,
} from '../../shared/outbox/aggregate-store.js';
import { recordCheckoutFinished } from '../../shared/telemetry/metrics.js';
import { ORDERS_COLLECTION, type OrderDoc } from './order-document.js';
import {
  isSettled,
  type OrderTrigger,
  type PlannedTransition,
  planTransition,
  type TransitionInput,
} from './order-lifecycle.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

/**
 * The orders collection as an aggregate: every change of an order after checkout goes through
 * here, as a move of the lifecycle table written by the one guarded-write helper. The orders
 * function (checkout, customer cancel), the saga and the sweeps all use it; nothing else
 * writes an order.
 */
export class OrderAggregate {
  private readonly store: AggregateStore<OrderDoc>;
  /** Orders loaded at the same moment (the saga's steps under load) go out as one find. */
  private readonly reads: GroupedFinds<OrderDoc>;

  constructor(db: Db, sender: OutboxSender) {
    this.store = new AggregateStore(db.collection<OrderDoc>(ORDERS_COLLECTION), sender);
    this.reads = new GroupedFinds(this.store.collection);
  }

  async load(orderId: string): Promise<OrderDoc | null> {
    if (!OBJECT_ID.test(orderId)) return null;
    return this.reads.findById(new ObjectId(orderId));
  }

  hasApplied(order: OrderDoc, event: Pick<DomainEvent, 'id'>): boolean {
    return hasApplied(order, event.id);
  }

  /** Stores a new order with its first events, then sends them. */
  insert(doc: OrderDoc): Promise<void> {
    return this.store.insert(doc);
  }

  /**
   * Makes the move `trigger` from the order's status as loaded, in one guarded write. Null
   * when the table has no such move from that status, or the order moved (or applied the
   * cause) meanwhile: the caller reloads to learn which.
   */
  async transition(
    order: OrderDoc,
    trigger: OrderTrigger,
    input: TransitionInput,
  ): Promise<OrderDoc | null> {
    const plan = planTransition(
      {
        id: order._id.toHexString(),
        userId: order.userId,
        status: order.status,
        totalCents: order.totalCents,
        currency: order.currency,
        reservedAt: order.history.find((change) => change.status === 'RESERVED')?.at,
      },
      trigger,
      input,
    );
    return plan ? this.write(order, plan) : null;
  }

  private async write(order: OrderDoc, plan: PlannedTransition): Promise<OrderDoc | null> {
    const set: Partial<OrderDoc> = { status: plan.to, updatedAt: plan.at };
    if (plan.reason) set.cancellationReason = plan.reason;
    if (plan.reservationExpiresAt) set.reservationExpiresAt = plan.reservationExpiresAt;
    if (plan.stockHeldAs) set.stockHeldAs = plan.stockHeldAs;
    if (plan.payment) set.payment = plan.payment;
    // The card token is needed only until the payment is decided: the decision removes it.
    const decided = plan.payment && plan.payment.status !== 'AUTHORIZING';
    const moved = await this.store.apply(order, {
      guard: { status: plan.from },
      appliedId: plan.appliedId,
      set,
      ...(decided ? { unset: { paymentToken: '' } } : {}),
      push: { history: { status: plan.to, at: plan.at, reason: plan.reason } },
      emit: plan.emit,
    });
    // Counted by the one write that made the move, so a repeated cause counts nothing.
    if (moved && isSettled(plan.to)) recordCheckoutFinished(plan.to, plan.reason ?? null);
    return moved;
  }

  /**
   * Records that an event was applied without a status change (stock and payment given back
   * after a cancel), with the events it caused and the payment as it left it. Null when it
   * was applied before.
   */
  record(
    order: OrderDoc,
    cause: Pick<DomainEvent, 'id'>,
    emit: readonly DomainEvent[],
    facts: Pick<Partial<OrderDoc>, 'payment'> = {},
  ) {
    // A cancelled order's card token (kept by orders from before the provider kept it) goes.
    return this.store.apply(order, {
      guard: {},
      appliedId: cause.id,
      set: facts,
      unset: { paymentToken: '' },
      emit,
    });
  }

  /** Sends what the order still has in its outbox (after a repeat: what a crash left). */
  sendOutbox(order: OrderDoc): Promise<void> {
    return this.store.sendOutbox(order);
  }

  /**
   * Puts `event` (the order's OrderPlaced) out again for a PENDING order with an empty outbox,
   * once: null if the order moved, has events waiting, or was requeued before.
   */
  requeue(order: OrderDoc, event: DomainEvent, now: Date): Promise<OrderDoc | null> {
    return this.store.apply(order, {
      guard: { status: 'PENDING', outbox: { $size: 0 }, repairRequeuedAt: { $in: [null] } },
      appliedId: null,
      set: { repairRequeuedAt: now, updatedAt: now },
      emit: [event],
    });
  }

  /** PENDING orders placed before `cutoff`, oldest first. */
  stuckPending(cutoff: Date, limit: number): Promise<OrderDoc[]> {
    return this.store.collection
      .find({ status: 'PENDING', createdAt: { $lt: cutoff } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .toArray();
  }

  /** RESERVED orders whose reservation ran out before `cutoff`, oldest first. */
  overdueReservations(cutoff: Date, limit: number): Promise<OrderDoc[]> {
    return this.store.collection
      .find({ status: 'RESERVED', reservationExpiresAt: { $lt: cutoff } })
      .sort({ reservationExpiresAt: 1 })
      .limit(limit)
      .toArray();
  }
}
