import { type DomainEvent, type EnvelopeFields, newEvent } from '../../shared/events/envelope.js';
import type { CancellationReason, OrderDoc, OrderStatus } from '../orders/order-document.js';
import type { Transition } from './saga-store.js';

/**
 * The saga's transition that cancels an order in `from` for `reason`, with the OrderCancelled
 * event (and any `alsoEmit` before it) caused by `cause`.
 */
export function cancellation(
  order: Pick<OrderDoc, '_id' | 'userId'>,
  cause: Pick<EnvelopeFields, 'id' | 'correlationId'>,
  reason: CancellationReason,
  from: OrderStatus,
  alsoEmit: readonly DomainEvent[] = [],
  now?: Date,
): Transition {
  const orderId = order._id.toHexString();
  return {
    cause,
    from: [from],
    to: 'CANCELLED',
    reason,
    emit: [
      ...alsoEmit,
      newEvent(
        'OrderCancelled',
        { orderId, userId: order.userId, reason, previousStatus: from },
        { causedBy: cause, source: 'order-saga', subject: orderId, ...(now ? { now } : {}) },
      ),
    ],
  };
}
