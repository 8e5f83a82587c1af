import { type AppError, ErrorCode, isAppError } from '../../shared/errors/catalogue.js';
import { type DomainEvent, newEvent } from '../../shared/events/envelope.js';
import type { InventoryClient } from '../../shared/grpc/inventory-client.js';
import { UnprocessableEventError } from '../../shared/kafka-function/kafka-event-handler.js';
import type { Logger } from '../../shared/logger/logger.js';
import {
  endHolds,
  holdsItsStock,
  type MoveOptions,
  type OrderAggregate,
  type OrderDoc,
  type OrderPayment,
  type OrderTrigger,
  stockLinesOf,
} from '../orders/port.js';
import type { AuthorizeResult, PaymentProvider } from '../payments/port.js';

/**
 * The checkout saga: one step per order, on its OrderPlaced, that takes the order as far as it
 * goes. The order document is the record of where the step is, and of the stock it holds; a
 * repeat of the OrderPlaced (after a crash anywhere in the step) carries on from there:
 *
 * | Order is  | The step does                                           | Order moves                     | Emits                             |
 * | --------- | ------------------------------------------------------- | ------------------------------- | --------------------------------- |
 * | PENDING   | hold the stock (inventory Hold), then authorise         | → RESERVED, payment AUTHORIZING | nothing: nobody needs it (¹)      |
 * |           |   refused for good                                      | → CANCELLED (OUT_OF_STOCK)      | StockRejected, OrderCancelled (¹) |
 * | RESERVED  | authorise the payment (provider, key = order id)        |                                 |                                   |
 * |           |   declined                                              | → CANCELLED (PAYMENT_DECLINED)  | OrderCancelled                    |
 * |           |   authorised; then the holds are made sold (CommitHeld) | → CONFIRMED, payment AUTHORIZED | OrderConfirmed, announced (²)     |
 * | CONFIRMED | send OrderConfirmed again, commit the holds (a crash)   |                                 |                                   |
 * | CANCELLED | release the holds (what a crash left), send the outbox  |                                 |                                   |
 *
 * (¹) The move removes the OrderPlaced from the order's outbox: its delivery here proves it was
 * published, and checkout leaves it there (see OrderStore) to save the removal's write.
 * (²) Sent, not stored: the order's holds are the record that it may not be out yet. It goes out
 * before they are committed, and whoever finds the CONFIRMED order still holding them sends the
 * same event again first (this step's repeat, the holds sweep). A cancel's compensation that
 * commits and returns a confirmed order's holds does not: that order's news is its cancel.
 *
 * The order decides and the stock follows: inventory's holds have no state or expiry of their
 * own, so every hold is ended by the order that took it, committed once the order is CONFIRMED
 * and released (or, if it was sold, returned) once it is CANCELLED. Until then the units are
 * held, never available. A RESERVED order whose step never finishes is bounded by its payment
 * deadline (`reservationExpiresAt`): the expiry sweep cancels it.
 *
 * Whoever cancels an order (this step, the customer, the sweeps), its OrderCancelled brings
 * the compensation, here too: the stock is released (or returned if it was sold), and a
 * payment that was started is cancelled at the provider (an authorised amount given back, an
 * authorisation still under way refused). Every move is one guarded write of the order that
 * stores the events it causes in its outbox, with ids derived from the OrderPlaced.
 *
 * Checkout opened the payment at the provider (the order keeps its reference), so a cancel ends
 * it whatever the order reached: the RESERVED marker and the authorisation are sent together,
 * not one after the other. An order from before checkout opened payments stores the marker
 * first, as the record that its payment was started. An order held by a reservation of
 * inventory's own (from before holds; no `stockHeldAs`) is committed before CONFIRMED and its
 * reservation ended as it always was.
 */

const SOURCE = 'order-saga';

/** The events the saga acts on (its Kafka mappings deliver no others). */
export const SAGA_EVENTS = [
  'OrderPlaced',
  'OrderCancelled',
] as const satisfies readonly DomainEvent['type'][];

export interface OrderSagaDeps {
  orders: OrderAggregate;
  inventory: Pick<
    InventoryClient,
    | 'hold'
    | 'releaseHeld'
    | 'commitHeld'
    | 'returnSold'
    // An order held before holds existed ends its reservation (see OrderDoc.stockHeldAs).
    | 'release'
    | 'commit'
    | 'returnStock'
  >;
  payments: PaymentProvider;
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

const AUTHORIZING: OrderPayment = { status: 'AUTHORIZING', chargeId: null, declineCode: null };

export class OrderSaga {
  constructor(private readonly deps: OrderSagaDeps) {}

  async handle(event: DomainEvent, logger: Logger): Promise<void> {
    switch (event.type) {
      case 'OrderPlaced':
        return this.onOrderPlaced(event, logger);
      case 'OrderCancelled':
        return this.onOrderCancelled(event, logger);
      default:
      // Other events on the saga's topics are not for it.
    }
  }

  private async onOrderPlaced(event: Of<'OrderPlaced'>, logger: Logger): Promise<void> {
    let order = await this.load(event.data.orderId);
    // A repeat after a crash: what the last write stored but did not send goes out first.
    if (order.status !== 'PENDING') await this.deps.orders.sendOutbox(order);
    if (order.status === 'CANCELLED') {
      // A step that died after holding stock for an order cancelled meanwhile (whose
      // compensation found nothing to release yet) left it held: give it back (once, whoever asks).
      await this.giveBackStock(order);
      return;
    }
    if (order.status === 'CONFIRMED') {
      // A step that died between CONFIRMED and the commit of its holds: its OrderConfirmed
      // goes out again (it may not have), then the commit follows.
      await this.finishConfirmed(order, event);
      return;
    }
    let authorization: Promise<AuthorizeResult> | undefined;
    if (order.status === 'PENDING') {
      const reserved = await this.reserve(order, event, logger);
      if (!reserved) return;
      ({ order, authorization } = reserved);
    }
    if (order.status === 'RESERVED') await this.pay(order, event, logger, authorization);
    // Another copy of this step (a rebalance) confirmed the order first: if it died before its
    // OrderConfirmed went out, this copy's success commits the record's offset and no repeat
    // would come, so this copy finishes its work.
    else if (order.status === 'CONFIRMED') await this.finishConfirmed(order, event);
  }

  /**
   * PENDING → RESERVED with the payment marker, and the authorisation started beside it when
   * checkout opened the payment; null when the order went another way.
   */
  private async reserve(
    order: OrderDoc,
    event: Of<'OrderPlaced'>,
    logger: Logger,
  ): Promise<{ order: OrderDoc; authorization?: Promise<AuthorizeResult> } | null> {
    const orderId = event.data.orderId;
    try {
      // One write per SKU; a repeat of the step finds its holds taken and takes nothing more.
      await this.deps.inventory.hold(orderId, stockLinesOf(order));
    } catch (err) {
      if (!hasCode(err, ...RESERVE_REFUSALS)) throw err;
      logger.info({ code: err.code, details: err.details }, 'stock refused: cancelling the order');
      const shortage = Array.isArray(err.details?.skus) ? (err.details.skus as string[]) : [];
      const rejected = newEvent(
        'StockRejected',
        { orderId, userId: order.userId, reservationId: orderId, shortage, message: err.message },
        { causedBy: event, source: SOURCE, subject: orderId },
      );
      const cancelled = await this.move(
        order,
        'StockRejected',
        event,
        { stepEvents: [rejected] },
        { outboxDelivered: true },
      );
      // A short Hold leaves the lines it could take held. The move decided this delivery's
      // refusal is the order's, so they are released now (the cancel's compensation would too).
      // If another delivery moved the order first, the holds are that delivery's to use.
      const held = Array.isArray(err.details?.held) ? err.details.held : [];
      if (cancelled && held.length > 0) {
        await this.deps.inventory.releaseHeld(orderId, stockLinesOf(order));
      } else if (!cancelled) {
        const current = await this.load(orderId);
        if (current.status === 'CANCELLED') await this.giveBackStock(current);
      }
      return null;
    }
    // The order's deadline for its payment: the expiry sweep cancels it after this (holds have
    // none of their own: the order ends them).
    const expiresAt = new Date(Date.now() + this.deps.reservationTtlSeconds * 1000);
    const marking = this.move(
      order,
      'StockReserved',
      event,
      { reservationExpiresAt: expiresAt, stockHeldAs: 'holds', payment: AUTHORIZING },
      // This delivery of the OrderPlaced is its proof of publication: the move removes it.
      { outboxDelivered: true },
    );
    // Whatever the marker's write answers, the authorisation is the provider's (keyed by the
    // order): a repeat of the step reads the same answer back.
    const authorization = order.paymentReference ? this.authorize(order, event) : undefined;
    const [marked] = await Promise.allSettled([marking, authorization]);
    if (marked.status === 'rejected') throw marked.reason;
    const moved = marked.value;
    if (moved) return { order: moved, ...(authorization ? { authorization } : {}) };
    const current = await this.load(orderId);
    if (current.status === 'CANCELLED') {
      // Cancelled while the stock was being reserved: its compensation may have found nothing
      // to release yet, so give it back here (a second release changes nothing). The payment is
      // the compensation's: its cancel at the provider gives back or refuses this authorisation.
      logger.info('order cancelled while its stock was being held: releasing it');
      await this.giveBackStock(current);
      return null;
    }
    // Another delivery of the same OrderPlaced moved it first: carry on from where it is.
    return { order: current };
  }

  /**
   * RESERVED: the payment (its authorisation already under way, or started here), then the
   * stock's commit; the order ends CONFIRMED or CANCELLED.
   */
  private async pay(
    order: OrderDoc,
    event: Of<'OrderPlaced'>,
    logger: Logger,
    authorization = this.authorize(order, event),
  ): Promise<void> {
    const orderId = event.data.orderId;
    const result = await authorization;
    logger.info({ outcome: result.outcome }, 'payment decided');
    if (result.outcome === 'DECLINED') {
      const payment: OrderPayment = {
        status: 'DECLINED',
        chargeId: result.chargeId,
        declineCode: result.declineCode,
      };
      await this.move(order, 'PaymentDeclined', event, { payment });
      return;
    }
    const payment: OrderPayment = {
      status: 'AUTHORIZED',
      chargeId: result.chargeId,
      declineCode: null,
    };
    if (order.stockHeldAs === 'holds') {
      // The order decides, the stock follows: CONFIRMED first, then its holds are made sold.
      // Until the commit lands the units are held, never available, so none can be sold twice;
      // a crash in between is finished by the repeat of this step (see onOrderPlaced).
      //
      // The OrderConfirmed is announced, not stored (a write fewer): the holds are the record
      // that it may not be out yet. It is sent before they are committed, and whoever finds a
      // CONFIRMED order still holding (this step's repeat, the holds sweep) sends it again
      // first. A failed send fails this delivery, whose repeat does that.
      const confirmed = await this.move(
        order,
        'PaymentAuthorized',
        event,
        { payment },
        {
          announce: true,
        },
      );
      if (confirmed) {
        await this.commitHolds(confirmed);
        return;
      }
      // The move found the order moved. Cancelled meanwhile: its OrderCancelled releases the
      // holds and gives the amount back. Confirmed by another copy of this step, which may have
      // died before its OrderConfirmed went out: this copy finishes its work.
      const current = await this.load(orderId);
      if (current.status === 'CONFIRMED') await this.finishConfirmed(current, event);
      return;
    }
    // An order held by a reservation of inventory's own: committed first, as it always was.
    try {
      await this.deps.inventory.commit(orderId);
    } catch (err) {
      if (!hasCode(err, ErrorCode.INVALID_STATE, ErrorCode.NOT_FOUND)) throw err;
      // The cancel that follows gives the authorised amount back.
      logger.info({ code: err.code }, 'reservation no longer held: cancelling the order');
      await this.move(order, 'ReservationLost', event, { payment });
      return;
    }
    // If this fails the order was cancelled meanwhile; its OrderCancelled returns the stock
    // and the amount.
    await this.move(order, 'PaymentAuthorized', event, { payment });
  }

  /** Asks the provider to authorise the order's amount; the order id keys it, so a repeat reads the first answer. */
  private async authorize(order: OrderDoc, event: Of<'OrderPlaced'>): Promise<AuthorizeResult> {
    return this.deps.payments.authorize({
      idempotencyKey: event.data.orderId,
      reference: await this.paymentReference(order, event),
      amountCents: order.totalCents,
      currency: order.currency,
    });
  }

  /**
   * The provider's reference of the order's payment, opened at checkout. An order placed before
   * the provider kept the token has it on the order (or its event): its payment is opened here.
   */
  private async paymentReference(order: OrderDoc, event: Of<'OrderPlaced'>): Promise<string> {
    if (order.paymentReference) return order.paymentReference;
    const { reference } = await this.deps.payments.prepare({
      idempotencyKey: event.data.orderId,
      amountCents: order.totalCents,
      currency: order.currency,
      token: order.paymentToken ?? event.data.paymentToken ?? '',
    });
    return reference;
  }

  /**
   * Whatever cancelled the order, what it took is given back: its stock released (or returned
   * if sold), and a payment that was started cancelled at the provider.
   */
  private async onOrderCancelled(event: Of<'OrderCancelled'>, logger: Logger): Promise<void> {
    const order = await this.load(event.data.orderId);
    if (this.deps.orders.hasApplied(order, event)) return this.deps.orders.sendOutbox(order);
    const orderId = event.data.orderId;
    const emit: DomainEvent[] = [];
    const outcome = await this.giveBackStock(order, logger);
    if (outcome) {
      emit.push(
        newEvent(
          'StockReleased',
          { orderId, userId: order.userId, reservationId: orderId, outcome },
          { causedBy: event, source: SOURCE, subject: orderId },
        ),
      );
    }
    const payment = await this.endPayment(order, event, emit, logger);
    await this.deps.orders.record(order, event, emit, payment ? { payment } : {});
  }

  /**
   * Ends the payment of a cancelled order at the provider, if one was opened: by checkout (the
   * order keeps the provider's reference) or, for an order from before that, by the step (whose
   * RESERVED marker is written before it asks the provider). The provider's answer is the truth:
   * a step still authorising when the cancel came gets a decline, an authorised amount is given
   * back.
   */
  private async endPayment(
    order: OrderDoc,
    event: Of<'OrderCancelled'>,
    emit: DomainEvent[],
    logger: Logger,
  ): Promise<OrderPayment | null> {
    // Checkout opened the payment (an order from before that, once it was RESERVED): it is
    // ended at the provider whatever the order reached, so none is left open there.
    const opened =
      order.paymentReference !== undefined ||
      order.history.some((change) => change.status === 'RESERVED');
    if (!opened) return null;
    const started = order.payment;
    if (started && ['DECLINED', 'REFUNDED', 'CANCELLED'].includes(started.status)) return null;
    const orderId = order._id.toHexString();
    const ended = await this.deps.payments.cancel({ idempotencyKey: orderId });
    if (!ended.refunded) {
      return { status: 'CANCELLED', chargeId: ended.chargeId, declineCode: null };
    }
    const chargeId = ended.chargeId ?? started?.chargeId ?? orderId;
    emit.push(
      newEvent(
        'PaymentRefunded',
        {
          orderId,
          userId: order.userId,
          paymentId: chargeId,
          amountCents: order.totalCents,
          currency: order.currency,
        },
        { causedBy: event, source: SOURCE, subject: orderId },
      ),
    );
    logger.info({ amountCents: order.totalCents }, 'payment refunded after the cancel');
    return { status: 'REFUNDED', chargeId, declineCode: null };
  }

  /** The holds of a CONFIRMED order made sold: a repeat finds nothing held and changes nothing. */
  private async commitHolds(order: OrderDoc): Promise<void> {
    await endHolds(order, this.deps.inventory);
  }

  /**
   * A CONFIRMED order's OrderConfirmed sent again (the same event), then its holds committed:
   * what a step that confirmed it may have left undone. Nothing for an order held by a
   * reservation of inventory's own (its step committed before the move, and stored the event).
   */
  private async finishConfirmed(order: OrderDoc, event: Of<'OrderPlaced'>): Promise<void> {
    if (order.stockHeldAs !== 'holds') return;
    await this.deps.orders.announceAgain(order, 'PaymentAuthorized', {
      causedBy: event,
      source: SOURCE,
    });
    await this.commitHolds(order);
  }

  /**
   * Gives the cancelled order's stock back. Returns what happened, or null when the order held
   * no stock (refused, or never held). Safe to repeat (`endHolds`): a confirmed order's stock is
   * first made sold (a commit a crash left undone) and then returned once per SKU, and any other
   * order's holds are released, which finds nothing the second time.
   */
  private async giveBackStock(
    order: OrderDoc,
    logger?: Logger,
  ): Promise<'RELEASED' | 'RETURNED' | null> {
    if (!holdsItsStock(order)) return this.endReservation(order._id.toHexString(), logger);
    const ended = await endHolds(order, this.deps.inventory);
    if (ended === 'RETURNED') logger?.info('sold stock returned after the cancel');
    return ended === 'COMMITTED' ? null : ended;
  }

  /**
   * Ends the reservation of an order held before holds existed: released, or returned if it
   * was sold. Null when the reservation held no stock (refused, or never made).
   */
  private async endReservation(
    orderId: string,
    logger?: Logger,
  ): Promise<'RELEASED' | 'RETURNED' | null> {
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

  /** The lifecycle move `trigger` of the step answering `event`. */
  private move(
    order: OrderDoc,
    trigger: OrderTrigger,
    event: DomainEvent,
    options: {
      stepEvents?: readonly DomainEvent[];
      reservationExpiresAt?: Date;
      stockHeldAs?: 'holds';
      payment?: OrderPayment;
    } = {},
    how: MoveOptions = {},
  ): Promise<OrderDoc | null> {
    return this.deps.orders.transition(
      order,
      trigger,
      {
        // Each move of the step is applied once: its status guard and this id say so.
        appliedId: `${trigger}:${event.id}`,
        causedBy: event,
        source: SOURCE,
        ...options,
      },
      how,
    );
  }
}
