import { type AppError, ErrorCode, isAppError } from '../../shared/errors/catalogue.js';
import { type DomainEvent, newEvent } from '../../shared/events/envelope.js';
import type { InventoryClient } from '../../shared/grpc/inventory-client.js';
import {
  RetryLaterError,
  UnprocessableEventError,
} from '../../shared/kafka-function/kafka-event-handler.js';
import type { Logger } from '../../shared/logger/logger.js';
import type { OrderAggregate, OrderDoc, OrderTrigger } from '../orders/port.js';

/**
 * The checkout saga. Each step answers one event with one inventory call and one move of the
 * order's lifecycle (functions/orders/order-lifecycle.ts); each step's compensation runs when
 * the order is cancelled, whoever cancelled it:
 *
 * | Event             | Step (who)                              | Order moves          | Compensation, on OrderCancelled           |
 * | ----------------- | --------------------------------------- | -------------------- | ----------------------------------------- |
 * | OrderPlaced       | reserve the stock (saga → inventory)    | PENDING → RESERVED   | release the reservation (saga)            |
 * |                   |   refused for good                      | PENDING → CANCELLED  | none: nothing was held                    |
 * | StockReserved     | authorise the payment (payments)        | (none)               | refund the payment (payments)             |
 * | PaymentAuthorized | commit the stock (saga → inventory)     | RESERVED → CONFIRMED | return the sold stock (saga → inventory)  |
 * |                   |   reservation no longer held            | RESERVED → CANCELLED | refund (payments)                         |
 * | PaymentDeclined   | none                                    | RESERVED → CANCELLED | release the reservation (saga)            |
 *
 * Each move is one guarded write of the order document that records the event's id and
 * stores the events it causes in the order's outbox; they are published right after, and a
 * repeat of the event publishes what an earlier delivery stored but did not get out.
 */

const SOURCE = 'order-saga';

/** The events the saga acts on (its Kafka mappings deliver no others). */
export const SAGA_EVENTS = [
  'OrderPlaced',
  'PaymentAuthorized',
  'PaymentDeclined',
  'OrderCancelled',
] as const satisfies readonly DomainEvent['type'][];

export interface OrderSagaDeps {
  orders: OrderAggregate;
  inventory: Pick<InventoryClient, 'reserve' | 'release' | 'commit' | 'returnStock'>;
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
    if (this.applied(order, event) || order.status !== 'PENDING') return this.sendOutbox(order);
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
      await this.move(order, 'StockRejected', event, [rejected]);
      return;
    }
    const moved = await this.move(
      order,
      'StockReserved',
      event,
      [
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
      expiresAt,
    );
    if (!moved && (await this.load(orderId)).status === 'CANCELLED') {
      // Cancelled while the stock was being reserved: give it back.
      logger.info('order cancelled during the reservation: releasing it');
      await this.release(orderId);
    }
  }

  private async onPaymentAuthorized(event: Of<'PaymentAuthorized'>, logger: Logger): Promise<void> {
    const order = await this.load(event.data.orderId);
    if (this.applied(order, event)) return this.sendOutbox(order);
    if (order.status === 'PENDING') throw new RetryLaterError('stock is not reserved yet');
    // A cancelled order's payment is refunded by the payments function, which sees the cancel.
    if (order.status !== 'RESERVED') return;
    const orderId = event.data.orderId;
    try {
      await this.deps.inventory.commit(orderId);
    } catch (err) {
      if (!hasCode(err, ErrorCode.INVALID_STATE, ErrorCode.NOT_FOUND)) throw err;
      logger.info({ code: err.code }, 'reservation no longer held: cancelling the order');
      await this.move(order, 'ReservationLost', event);
      return;
    }
    // If this fails the order was cancelled meanwhile; its OrderCancelled returns the stock.
    await this.move(order, 'PaymentAuthorized', event);
  }

  private async onPaymentDeclined(event: Of<'PaymentDeclined'>, _logger: Logger): Promise<void> {
    const order = await this.load(event.data.orderId);
    if (this.applied(order, event)) return this.sendOutbox(order);
    if (order.status === 'PENDING') throw new RetryLaterError('stock is not reserved yet');
    if (order.status !== 'RESERVED') return;
    await this.move(order, 'PaymentDeclined', event);
  }

  /** Whatever cancelled the order, its stock goes back: released, or returned if sold. */
  private async onOrderCancelled(event: Of<'OrderCancelled'>, logger: Logger): Promise<void> {
    const order = await this.load(event.data.orderId);
    if (this.applied(order, event)) return this.sendOutbox(order);
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
    await this.deps.orders.record(order, event, emit);
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
    const order = await this.deps.orders.load(orderId);
    if (!order) throw new UnprocessableEventError(`no order ${orderId}`);
    return order;
  }

  private applied(order: OrderDoc, event: DomainEvent): boolean {
    return this.deps.orders.hasApplied(order, event);
  }

  /** The lifecycle move `trigger`, caused by `event`, with the step's own events first. */
  private move(
    order: OrderDoc,
    trigger: OrderTrigger,
    event: DomainEvent,
    stepEvents: readonly DomainEvent[] = [],
    reservationExpiresAt?: Date,
  ): Promise<OrderDoc | null> {
    return this.deps.orders.transition(order, trigger, {
      appliedId: event.id,
      causedBy: event,
      source: SOURCE,
      stepEvents,
      ...(reservationExpiresAt ? { reservationExpiresAt } : {}),
    });
  }

  private sendOutbox(order: OrderDoc): Promise<void> {
    return this.deps.orders.sendOutbox(order);
  }
}
