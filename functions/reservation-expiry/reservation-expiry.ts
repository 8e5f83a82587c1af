import type { Logger } from '../../shared/logger/logger.js';
import type { OrderAggregate } from '../orders/port.js';

export interface ReservationExpiryOptions {
  /** Extra time after a reservation ran out before its order is cancelled (ms). */
  graceMs?: number;
  batchSize?: number;
}

/**
 * Cancels RESERVED orders whose saga step did not finish before the stock reservation ran out
 * (RESERVATION_EXPIRED). The cancel is the lifecycle's ReservationExpired move, with its
 * OrderCancelled event; the saga then releases what is left of the reservation and cancels the
 * payment at the provider (refunded if it was authorised).
 * Runs on a schedule on AWS and beside the outbox relay locally.
 */
export class ReservationExpiry {
  private readonly graceMs: number;
  private readonly batchSize: number;
  private readonly logger: Logger;

  constructor(
    private readonly orders: OrderAggregate,
    logger: Logger,
    options: ReservationExpiryOptions = {},
  ) {
    this.graceMs = options.graceMs ?? 1_000;
    this.batchSize = options.batchSize ?? 100;
    this.logger = logger.child({ component: 'reservation-expiry' });
  }

  /** Cancels the overdue orders found now; returns how many it cancelled. */
  async runOnce(now = new Date()): Promise<number> {
    const overdue = await this.orders.overdueReservations(
      new Date(now.getTime() - this.graceMs),
      this.batchSize,
    );
    let cancelled = 0;
    for (const order of overdue) {
      const orderId = order._id.toHexString();
      // One cause per reservation deadline: a second sweep of the same order is a repeat.
      const cause = {
        id: `reservation-expired:${orderId}:${order.reservationExpiresAt?.getTime()}`,
        correlationId: orderId,
      };
      const moved = await this.orders.transition(order, 'ReservationExpired', {
        appliedId: cause.id,
        causedBy: cause,
        source: 'order-saga',
        now,
      });
      if (moved) cancelled += 1;
    }
    if (cancelled > 0)
      this.logger.info({ cancelled }, 'cancelled orders whose reservation ran out');
    return cancelled;
  }
}
