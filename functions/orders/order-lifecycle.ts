import { type DomainEvent, type EnvelopeFields, newEvent } from '../../shared/events/envelope.js';
import type {
  CancellationReason,
  EventType,
  OrderStatus,
} from '../../shared/events/event-schemas.js';
import type { OrderPayment } from './order-document.js';

/**
 * The order's life, and the only place it is written down. Checkout creates an order PENDING;
 * every later move is a row of ORDER_TRANSITIONS, applied by one guarded write (see
 * order-aggregate.ts) by whoever saw it happen: the saga, the sweeps, the customer. Pure: no
 * I/O, so the table is tested on its own.
 */

/** The statuses in the one order they are reached: no transition moves back. */
export const ORDER_STATUSES = [
  'PENDING',
  'RESERVED',
  'CONFIRMED',
  'CANCELLED',
] as const satisfies readonly OrderStatus[];

/**
 * The statuses a checkout ends in: the saga is done with the order (a customer may still
 * cancel a confirmed one, which the table allows).
 */
export const SETTLED_STATUSES = [
  'CONFIRMED',
  'CANCELLED',
] as const satisfies readonly OrderStatus[];

export function isSettled(status: OrderStatus): boolean {
  return (SETTLED_STATUSES as readonly OrderStatus[]).includes(status);
}

/** The status checkout creates an order in, announced by its OrderPlaced. */
export const INITIAL_STATUS = ORDER_STATUSES[0];

/**
 * The event that announces each status (the one live status updates listen for). RESERVED has
 * none: the saga moves on from it in the same step, so no consumer needs it on its own; the
 * OrderConfirmed names when it was reached, and an OrderCancelled the status it left.
 */
export const ANNOUNCED_BY = {
  PENDING: 'OrderPlaced',
  RESERVED: null,
  CONFIRMED: 'OrderConfirmed',
  CANCELLED: 'OrderCancelled',
} as const satisfies Record<OrderStatus, EventType | null>;

interface TransitionRule {
  from: readonly OrderStatus[];
  to: OrderStatus;
  /** When the move is taken: the guard its caller checks before asking for it. */
  when: string;
  reason?: CancellationReason;
  /** The events the move stores with it, in this order. */
  emits: readonly EventType[];
}

/** Every move an order can make: what happened, from which statuses, to which, and what it emits. */
export const ORDER_TRANSITIONS = {
  StockReserved: {
    from: ['PENDING'],
    to: 'RESERVED',
    when: 'inventory holds every line of the order (the payment is asked for next)',
    emits: [],
  },
  StockRejected: {
    from: ['PENDING'],
    to: 'CANCELLED',
    reason: 'OUT_OF_STOCK',
    when: 'inventory refused the lines with an answer no retry changes',
    emits: ['StockRejected', 'OrderCancelled'],
  },
  PaymentAuthorized: {
    from: ['RESERVED'],
    to: 'CONFIRMED',
    when: "the payment was authorised (the order's holds are committed after the move; an order held by a reservation has it committed before)",
    emits: ['OrderConfirmed'],
  },
  PaymentDeclined: {
    from: ['RESERVED'],
    to: 'CANCELLED',
    reason: 'PAYMENT_DECLINED',
    when: 'the payment provider declined',
    emits: ['OrderCancelled'],
  },
  ReservationLost: {
    from: ['PENDING', 'RESERVED'],
    to: 'CANCELLED',
    reason: 'RESERVATION_EXPIRED',
    when: 'inventory no longer held the reservation: when the step came back to it, or to commit',
    emits: ['OrderCancelled'],
  },
  ReservationExpired: {
    from: ['RESERVED'],
    to: 'CANCELLED',
    reason: 'RESERVATION_EXPIRED',
    when: 'the reservation ran out before the payment came (the expiry sweep)',
    emits: ['OrderCancelled'],
  },
  ProcessingFailed: {
    from: ['PENDING'],
    to: 'CANCELLED',
    reason: 'PROCESSING_FAILED',
    when: 'the order stayed PENDING past its bound and nothing will move it (the repair sweep)',
    emits: ['OrderCancelled'],
  },
  CustomerCancelled: {
    from: ['PENDING', 'RESERVED', 'CONFIRMED'],
    to: 'CANCELLED',
    reason: 'CANCELLED_BY_CUSTOMER',
    when: 'the customer cancelled (a paid order is refunded)',
    emits: ['OrderCancelled'],
  },
} as const satisfies Record<string, TransitionRule>;

export type OrderTrigger = keyof typeof ORDER_TRANSITIONS;

/** The order facts a transition's events are built from. */
export interface OrderFacts {
  id: string;
  userId: string;
  status: OrderStatus;
  totalCents: number;
  currency: string;
  /** When the order was RESERVED, if it was. */
  reservedAt?: Date;
}

export interface TransitionInput {
  /**
   * The id recorded as applied, so a repeat of the same cause changes nothing: the event
   * applied, or a name for a cause that is not an event (a sweep's deadline).
   */
  appliedId: string;
  /** The event (or cause) the emitted events answer: it gives them derived ids. */
  causedBy?: Pick<EnvelopeFields, 'id' | 'correlationId'>;
  /** Who makes the move, as the events' `source`. */
  source: string;
  /** The events of the step itself that come first (the StockRejected the saga built). */
  stepEvents?: readonly DomainEvent[];
  reservationExpiresAt?: Date;
  /** How the stock the move records is held (see OrderDoc.stockHeldAs). */
  stockHeldAs?: 'holds';
  /** The order's payment as the move leaves it (the saga's moves record it). */
  payment?: OrderPayment;
  now?: Date;
}

/** A move the table allows, ready to be written. */
export interface PlannedTransition {
  trigger: OrderTrigger;
  appliedId: string;
  from: OrderStatus;
  to: OrderStatus;
  reason: CancellationReason | null;
  reservationExpiresAt: Date | null;
  stockHeldAs: 'holds' | null;
  payment: OrderPayment | null;
  at: Date;
  emit: DomainEvent[];
}

/** The order's own event announcing the status it moves to, when the order can build it. */
function announcement(
  order: OrderFacts,
  to: OrderStatus,
  reason: CancellationReason | null,
  input: TransitionInput,
  at: Date,
): DomainEvent | null {
  const options = {
    source: input.source,
    subject: order.id,
    now: at,
    ...(input.causedBy ? { causedBy: input.causedBy } : {}),
  };
  const ref = { orderId: order.id, userId: order.userId };
  if (to === 'CANCELLED' && reason) {
    return newEvent('OrderCancelled', { ...ref, reason, previousStatus: order.status }, options);
  }
  if (to === 'CONFIRMED') {
    return newEvent(
      'OrderConfirmed',
      {
        ...ref,
        totalCents: order.totalCents,
        currency: order.currency,
        ...(order.reservedAt ? { reservedAt: order.reservedAt.toISOString() } : {}),
      },
      options,
    );
  }
  return null;
}

/**
 * The move `trigger` makes from the order's current status, with every event it emits; null
 * when the table has no such move from that status. Throws when the step's events are not
 * the ones the table lists: the table is the contract, not a comment.
 */
export function planTransition(
  order: OrderFacts,
  trigger: OrderTrigger,
  input: TransitionInput,
): PlannedTransition | null {
  const rule: TransitionRule = ORDER_TRANSITIONS[trigger];
  if (!rule.from.includes(order.status)) return null;
  // The history's time is the time of the event that announces the move (the order builds
  // it with this time), so whoever learns of the move from the event (the live order feed)
  // knows the entry exactly.
  const at = input.now ?? new Date();
  const reason = rule.reason ?? null;
  const own = announcement(order, rule.to, reason, input, at);
  const emit = [...(input.stepEvents ?? []), ...(own ? [own] : [])];
  const types = emit.map((event) => event.type);
  if (types.join() !== rule.emits.join()) {
    throw new Error(`${trigger} emits ${rule.emits.join(', ')}, not ${types.join(', ')}`);
  }
  return {
    trigger,
    appliedId: input.appliedId,
    from: order.status,
    to: rule.to,
    reason,
    reservationExpiresAt: input.reservationExpiresAt ?? null,
    stockHeldAs: input.stockHeldAs ?? null,
    payment: input.payment ?? null,
    at,
    emit,
  };
}

/** The status an order event announces, if it announces one. */
export function statusAnnouncedBy(type: string): OrderStatus | null {
  for (const status of ORDER_STATUSES) if (ANNOUNCED_BY[status] === type) return status;
  return null;
}

/** Whether one row of the table moves an order from `from` straight to `to`. */
export function movesDirectly(from: OrderStatus, to: OrderStatus): boolean {
  return Object.values(ORDER_TRANSITIONS).some(
    (rule: TransitionRule) => rule.to === to && rule.from.includes(from),
  );
}

/** Whether `status` comes after `than` in the order's life (a repeat or an older one does not). */
export function isLaterStatus(status: OrderStatus, than: OrderStatus): boolean {
  return ORDER_STATUSES.indexOf(status) > ORDER_STATUSES.indexOf(than);
}
