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
  ORDER_TRANSITIONS,
  type OrderFacts,
  type OrderTrigger,
  type PlannedTransition,
  planTransition,
  type TransitionInput,
} from './order-lifecycle.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** How a move treats the outbox (see AggregateChange). */
export interface MoveOptions {
  /**
   * The cause is the order's OrderPlaced, delivered: the move removes it from the outbox.
   * Only for moves out of PENDING, whose outbox holds nothing else (no move stays in PENDING).
   */
  outboxDelivered?: boolean;
  /** The move's events are sent, not stored; `announceAgain` sends them again. */
  announce?: boolean;
}

/** The order facts the lifecycle builds a move's events from, with the order at `status`. */
function factsOf(order: OrderDoc, status: OrderDoc['status']): OrderFacts {
  return {
    id: order._id.toHexString(),
    userId: order.userId,
    status,
    totalCents: order.totalCents,
    currency: order.currency,
    reservedAt: order.history.find((change) => change.status === 'RESERVED')?.at,
  };
}

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

  /**
   * Stores a new order with its first events, then sends them. `keep`: its OrderPlaced stays
   * in the outbox until the saga's first move removes it (`outboxDelivered`).
   */
  insert(doc: OrderDoc, options: { keep?: boolean } = {}): Promise<void> {
    return this.store.insert(doc, options);
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
    how: MoveOptions = {},
  ): Promise<OrderDoc | null> {
    const plan = planTransition(factsOf(order, order.status), trigger, input);
    return plan ? this.write(order, plan, how) : null;
  }

  /**
   * Sends again the events of the move `trigger` that the order made with `announce` (which
   * stores none), built as that move built them: the same ids, time and data, from the
   * order's history. Fails if they do not go out. Whoever finishes that move's work (the
   * step's repeat, the holds sweep) calls this first; see order-saga.ts for why.
   */
  async announceAgain(
    order: OrderDoc,
    trigger: OrderTrigger,
    input: Pick<TransitionInput, 'causedBy' | 'source'>,
  ): Promise<void> {
    const to = ORDER_TRANSITIONS[trigger].to;
    const reached = order.history.findIndex((change) => change.status === to);
    const from = order.history[reached - 1]?.status;
    const at = order.history[reached]?.at;
    if (!from || !at) throw new Error(`order ${order._id.toHexString()} never made ${trigger}`);
    const plan = planTransition(factsOf(order, from), trigger, {
      ...input,
      appliedId: `${trigger}:again`,
      now: at,
    });
    if (!plan) throw new Error(`${trigger} does not leave ${from}`);
    await this.store.announce(order, plan.emit);
  }

  private async write(
    order: OrderDoc,
    plan: PlannedTransition,
    how: MoveOptions,
  ): Promise<OrderDoc | null> {
    const set: Partial<OrderDoc> = { status: plan.to, updatedAt: plan.at };
    if (plan.reason) set.cancellationReason = plan.reason;
    if (plan.reservationExpiresAt) set.reservationExpiresAt = plan.reservationExpiresAt;
    if (plan.stockHeldAs) set.stockHeldAs = plan.stockHeldAs;
    if (plan.payment) set.payment = plan.payment;
    // Checkout leases its published OrderPlaced from the relay for the saga's first move to
    // remove. Any other move out of PENDING (a cancel) ends that wait: what the outbox holds is
    // the relay's again (a second copy of the OrderPlaced at worst, which changes nothing).
    if (plan.from === 'PENDING') set.outboxLeaseUntil = null;
    // The card token is needed only until the payment is decided: the decision removes it.
    const decided = plan.payment && plan.payment.status !== 'AUTHORIZING';
    const moved = await this.store.apply(order, {
      guard: { status: plan.from },
      appliedId: plan.appliedId,
      set,
      ...(decided ? { unset: { paymentToken: '' } } : {}),
      push: { history: { status: plan.to, at: plan.at, reason: plan.reason } },
      emit: plan.emit,
      ...how,
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
