import type { OrderDoc } from '../orders/port.js';

/** What the repair sweep does with an order that has been PENDING too long. */
export type RepairDecision =
  /** Its events are still waiting for the relay, or a re-sent OrderPlaced is under way. */
  | { action: 'WAIT'; why: string }
  /** Its OrderPlaced went out but was never applied: put the same event out once more. */
  | { action: 'REQUEUE'; why: string }
  /** Nothing will move it: cancel it (the saga then gives back what it holds: stock, payment). */
  | { action: 'CANCEL'; why: string };

export interface RepairBounds {
  /** How long an order may stay PENDING, and how long a re-sent OrderPlaced is given (ms). */
  stuckAfterMs: number;
}

/**
 * Decides from the order's own facts, without I/O, what to do with an order PENDING since
 * before the bound. A PENDING order holds a payment opened at checkout but never asked for
 * (the saga asks only once it is RESERVED) and at most a stock hold; its cancel ends both.
 */
export function decideRepair(
  order: Pick<OrderDoc, 'status' | 'outbox' | 'outboxParked' | 'repairRequeuedAt' | 'createdAt'>,
  now: Date,
  bounds: RepairBounds,
): RepairDecision {
  if (order.status !== 'PENDING') return { action: 'WAIT', why: `it is ${order.status}` };
  if (now.getTime() - order.createdAt.getTime() < bounds.stuckAfterMs) {
    return { action: 'WAIT', why: 'it is not stuck yet' };
  }
  if ((order.outboxParked ?? []).length > 0) {
    return { action: 'CANCEL', why: 'its events cannot be published' };
  }
  if (order.outbox.length > 0) {
    return { action: 'WAIT', why: 'its events are waiting for the outbox relay' };
  }
  if (!order.repairRequeuedAt) {
    return { action: 'REQUEUE', why: 'its OrderPlaced was published but never applied' };
  }
  if (now.getTime() - order.repairRequeuedAt.getTime() < bounds.stuckAfterMs) {
    return { action: 'WAIT', why: 'its OrderPlaced was sent again and is given time' };
  }
  return { action: 'CANCEL', why: 'its OrderPlaced was sent again and still not applied' };
}
