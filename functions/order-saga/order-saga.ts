import { type AppError, ErrorCode, isAppError } from '../../shared/errors/catalogue.js';
import { type DomainEvent, newEvent } from '../../shared/events/envelope.js';
import type { InventoryClient } from '../../shared/grpc/inventory-client.js';
import {
  RetryLaterError,
  UnprocessableEventError,
} from '../../shared/kafka-lambda/kafka-event-handler.js';
import type { Logger } from '../../shared/logger/logger.js';
import type { OutboxPublisher } from '../../shared/outbox/outbox-publisher.js';
import type { OrderDoc } from '../orders/order-document.js';
import { cancellation } from './cancellation.js';
import type { SagaStore, Transition } from './saga-store.js';

const SOURCE = 'order-saga';

export interface OrderSagaDeps {
  store: SagaStore;
  inventory: Pick<InventoryClient, 'reserve' | 'release' | 'commit' | 'returnStock'>;
  publisher: OutboxPublisher;
  /** How long reserved stock waits for the payment (seconds). */
  reservationTtlSeconds: number;
}

type Of<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;

/** Inventory refusals that no retry can change: the order is cancelled as out of stock. */
const RESERVE_REFUSALS = new Set<string>([
  ErrorCode.OUT_OF_STOCK,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.CONFLICT,
]);

function hasCode(err: unknown, ...codes: string[]): err is AppError {
  return isAppError(err) && codes.includes(err.code);
}

/**
 * The checkout saga. Reserves stock when an order is placed, commits it and confirms the
 * order when the payment is authorised, and releases it and cancels the order when the
 * payment is declined, the stock is short, the reservation runs out or the customer cancels.
 * Each step is one guarded update of the order document that records the event's id and
 * stores the events it causes in the order's outbox; they are published right after.
 */
export class OrderSaga {
  constructor(private readonly deps: OrderSagaDeps) {}

  async handle(event: DomainEvent, logger: Logger): Promise<void> {
    switch (event.type) {
      case 'OrderPlaced':
        return this.onOrderPlaced(event, logger);
      case 'PaymentAuthorized':
        return this.onPaymentAuthorized(event, logger);
      case 'PaymentDeclined':
        return this.onPaymentDeclined(event, logger);
      case 'OrderCancelled':
        return this.onOrderCancelled(event, logger);
      default:
      // Other events on the saga's topics are not for it.
    }
  }

  private async onOrderPlaced(event: Of<'OrderPlaced'>, logger: Logger): Promise<void> {
    const order = await this.load(event.data.orderId);
    if (this.applied(order, event) || order.status !== 'PENDING') return this.publish(order);
    const orderId = event.data.orderId;
    const lines = order.items.map(({ sku, quantity }) => ({ sku, quantity }));
    let expiresAt: Date;
    try {
      const reservation = await this.deps.inventory.reserve(
        orderId,
        lines,
        this.deps.reservationTtlSeconds,
      );
      expiresAt = new Date(Number(reservation.expiresAtMs));
    } catch (err) {
      if (!hasCode(err, ...RESERVE_REFUSALS)) throw err;
      logger.info({ code: err.code, details: err.details }, 'stock refused: cancelling the order');
      const shortage = Array.isArray(err.details?.skus) ? (err.details.skus as string[]) : [];
      const rejected = newEvent(
        'StockRejected',
        { orderId, userId: order.userId, reservationId: orderId, shortage, message: err.message },
        { causedBy: event, source: SOURCE, subject: orderId },
      );
      await this.move(order, cancellation(order, event, 'OUT_OF_STOCK', 'PENDING', [rejected]));
      return;
    }
    const moved = await this.move(order, {
      cause: event,
      from: ['PENDING'],
      to: 'RESERVED',
      reservationExpiresAt: expiresAt,
      emit: [
        newEvent(
          'StockReserved',
          {
            orderId,
            userId: order.userId,
            reservationId: orderId,
            lines,
            expiresAt: expiresAt.toISOString(),
            amountCents: order.totalCents,
            currency: order.currency,
            paymentToken: order.paymentToken,
          },
          { causedBy: event, source: SOURCE, subject: orderId },
        ),
      ],
    });
    if (!moved && (await this.load(orderId)).status === 'CANCELLED') {
      // Cancelled while the stock was being reserved: give it back.
      logger.info('order cancelled during the reservation: releasing it');
      await this.release(orderId);
    }
  }

  private async onPaymentAuthorized(event: Of<'PaymentAuthorized'>, logger: Logger): Promise<void> {
    const order = await this.load(event.data.orderId);
    if (this.applied(order, event)) return this.publish(order);
    if (order.status === 'PENDING') throw new RetryLaterError('stock is not reserved yet');
    // A cancelled order's payment is refunded by the payments function, which sees the cancel.
    if (order.status !== 'RESERVED') return;
    const orderId = event.data.orderId;
    const causedBy = { causedBy: event, source: SOURCE, subject: orderId };
    try {
      await this.deps.inventory.commit(orderId);
    } catch (err) {
      if (!hasCode(err, ErrorCode.INVALID_STATE, ErrorCode.NOT_FOUND)) throw err;
      logger.info({ code: err.code }, 'reservation no longer held: cancelling the order');
      await this.move(order, cancellation(order, event, 'RESERVATION_EXPIRED', 'RESERVED'));
      return;
    }
    // If this fails the order was cancelled meanwhile; its OrderCancelled returns the stock.
    await this.move(order, {
      cause: event,
      from: ['RESERVED'],
      to: 'CONFIRMED',
      emit: [
        newEvent(
          'OrderConfirmed',
          {
            orderId,
            userId: order.userId,
            totalCents: order.totalCents,
            currency: order.currency,
          },
          causedBy,
        ),
      ],
    });
  }

  private async onPaymentDeclined(event: Of<'PaymentDeclined'>, _logger: Logger): Promise<void> {
    const order = await this.load(event.data.orderId);
    if (this.applied(order, event)) return this.publish(order);
    if (order.status === 'PENDING') throw new RetryLaterError('stock is not reserved yet');
    if (order.status !== 'RESERVED') return;
    await this.move(order, cancellation(order, event, 'PAYMENT_DECLINED', 'RESERVED'));
  }

  /** Whatever cancelled the order, its stock goes back: released, or returned if sold. */
  private async onOrderCancelled(event: Of<'OrderCancelled'>, logger: Logger): Promise<void> {
    const order = await this.load(event.data.orderId);
    if (this.applied(order, event)) return this.publish(order);
    const orderId = event.data.orderId;
    const outcome = await this.release(orderId, logger);
    const emit = outcome
      ? [
          newEvent(
            'StockReleased',
            { orderId, userId: order.userId, reservationId: orderId, outcome },
            { causedBy: event, source: SOURCE, subject: orderId },
          ),
        ]
      : [];
    const recorded = await this.deps.store.record(orderId, event, emit);
    if (recorded) await this.publish(recorded);
  }

  /**
   * Gives the order's stock back. Returns what happened, or null when the order held no
   * stock (its reservation was refused, or never made).
   */
  private async release(orderId: string, logger?: Logger): Promise<'RELEASED' | 'RETURNED' | null> {
    try {
      await this.deps.inventory.release(orderId);
      return 'RELEASED';
    } catch (err) {
      if (hasCode(err, ErrorCode.NOT_FOUND)) return null;
      if (!hasCode(err, ErrorCode.INVALID_STATE)) throw err;
      if (err.details?.state !== 'COMMITTED' && err.details?.state !== 'RETURNED') return null;
    }
    // The stock was sold (cancelled after confirmation): inventory gives it back, once.
    await this.deps.inventory.returnStock(orderId);
    logger?.info('sold stock returned after the cancel');
    return 'RETURNED';
  }

  private async load(orderId: string): Promise<OrderDoc> {
    const order = await this.deps.store.load(orderId);
    if (!order) throw new UnprocessableEventError(`no order ${orderId}`);
    return order;
  }

  private applied(order: OrderDoc, event: DomainEvent): boolean {
    return order.appliedEvents.includes(event.id);
  }

  private async move(order: OrderDoc, change: Transition): Promise<OrderDoc | null> {
    const moved = await this.deps.store.transition(order._id.toHexString(), change);
    if (moved) await this.publish(moved);
    return moved;
  }

  /**
   * Publishes the order's pending events. Also run for a repeated event: it publishes what an
   * earlier delivery stored but did not get out (it may have died in between).
   */
  private publish(order: OrderDoc): Promise<void> {
    return this.deps.publisher.publish(this.deps.store.orders, order._id, order.outbox);
  }
}
