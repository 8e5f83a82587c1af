import type { Collection } from 'mongodb';
import { type DomainEvent, newEvent } from '../../shared/events/envelope.js';
import { RetryLaterError } from '../../shared/kafka-function/kafka-event-handler.js';
import type { Logger } from '../../shared/logger/logger.js';
import { isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';
import { AggregateStore, hasApplied, sendNow } from '../../shared/outbox/aggregate-store.js';
import type { OutboxPublisher } from '../../shared/outbox/outbox-publisher.js';
import type { PaymentProvider } from './payment-provider.js';
import type { PaymentDoc } from './payment-store.js';

const SOURCE = 'payments';

/** The events the payments function acts on (its Kafka mappings deliver no others). */
export const PAYMENT_EVENTS = [
  'StockReserved',
  'OrderCancelled',
] as const satisfies readonly DomainEvent['type'][];

type Of<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;

export interface PaymentsDeps {
  payments: Collection<PaymentDoc>;
  provider: PaymentProvider;
  publisher: OutboxPublisher;
  /**
   * How long an authorisation may be under way before a cancel takes it over (ms): past it,
   * the process that started it is taken for dead. Default 60 s.
   */
  abandonedAfterMs?: number;
}

/**
 * Authorises the payment of an order once its stock is reserved, and refunds it when the
 * order is cancelled afterwards. The order id is the provider's idempotency key, so however
 * often an event is delivered, an order is charged at most once.
 */
export class Payments {
  private readonly store: AggregateStore<PaymentDoc>;

  constructor(private readonly deps: PaymentsDeps) {
    this.store = new AggregateStore(deps.payments, sendNow(deps.publisher));
  }

  async handle(event: DomainEvent, logger: Logger): Promise<void> {
    if (event.type === 'StockReserved') return this.onStockReserved(event, logger);
    if (event.type === 'OrderCancelled') return this.onOrderCancelled(event, logger);
  }

  private async onStockReserved(event: Of<'StockReserved'>, logger: Logger): Promise<void> {
    const { orderId, userId, amountCents, currency, paymentToken } = event.data;
    const payment = await this.open(orderId, {
      userId,
      status: 'AUTHORIZING',
      amountCents,
      currency,
      paymentToken,
    });
    if (payment.status === 'CANCELLED') return; // the order was cancelled first
    if (payment.status !== 'AUTHORIZING') return this.store.sendOutbox(payment); // decided already
    await this.authorize(payment, paymentToken, event, event.id, logger);
  }

  /**
   * Asks the provider under the order's idempotency key (a repeat returns the first answer,
   * never a second charge) and records the decision with its event, caused by `cause`, and
   * `appliedId` as applied, then sends it. Null when another delivery recorded a decision
   * first.
   */
  private async authorize(
    payment: PaymentDoc,
    token: string,
    cause: DomainEvent,
    appliedId: string,
    logger: Logger,
  ): Promise<PaymentDoc | null> {
    const { _id: orderId, userId, amountCents, currency } = payment;
    const result = await this.deps.provider.authorize({
      idempotencyKey: orderId,
      amountCents,
      currency,
      token,
    });
    const ref = { orderId, userId, paymentId: result.chargeId, amountCents, currency };
    const causedBy = { causedBy: cause, source: SOURCE, subject: orderId };
    const emitted =
      result.outcome === 'AUTHORIZED'
        ? newEvent('PaymentAuthorized', ref, causedBy)
        : newEvent('PaymentDeclined', { ...ref, declineCode: result.declineCode }, causedBy);
    const decided = await this.store.apply(orderId, {
      guard: { status: 'AUTHORIZING' },
      appliedId,
      set: {
        status: result.outcome,
        chargeId: result.chargeId,
        declineCode: result.outcome === 'DECLINED' ? result.declineCode : null,
      },
      unset: { paymentToken: '' },
      emit: [emitted],
    });
    logger.info({ outcome: result.outcome }, 'payment decided');
    return decided;
  }

  private async onOrderCancelled(event: Of<'OrderCancelled'>, logger: Logger): Promise<void> {
    const { orderId, userId } = event.data;
    const payment = await this.open(orderId, {
      userId,
      status: 'CANCELLED',
      amountCents: 0,
      currency: 'XXX',
    });
    if (hasApplied(payment, event.id)) return this.store.sendOutbox(payment);
    if (payment.status === 'AUTHORIZING') {
      const age = Date.now() - payment.updatedAt.getTime();
      if (age < (this.deps.abandonedAfterMs ?? 60_000) || !payment.paymentToken) {
        throw new RetryLaterError('the payment is being authorised; refund it once decided');
      }
      // Its authorisation was abandoned (the process died during the provider's call, and
      // its StockReserved is not coming back): finish it here, then refund what it took.
      logger.warn({ ageMs: age }, 'payment abandoned while authorising: deciding it now');
      // The cancel itself is applied next (the refund), so it is not the decision's applied id.
      await this.authorize(
        payment,
        payment.paymentToken,
        event,
        `authorize-for:${event.id}`,
        logger,
      );
      return this.onOrderCancelled(event, logger);
    }
    const emit: DomainEvent[] = [];
    let status = payment.status;
    if (payment.status === 'AUTHORIZED' && payment.chargeId) {
      await this.deps.provider.refund({
        idempotencyKey: orderId,
        chargeId: payment.chargeId,
        amountCents: payment.amountCents,
      });
      status = 'REFUNDED';
      emit.push(
        newEvent(
          'PaymentRefunded',
          {
            orderId,
            userId,
            paymentId: payment.chargeId,
            amountCents: payment.amountCents,
            currency: payment.currency,
          },
          { causedBy: event, source: SOURCE, subject: orderId },
        ),
      );
      logger.info({ amountCents: payment.amountCents }, 'payment refunded after the cancel');
    }
    await this.store.apply(orderId, {
      guard: { status: payment.status },
      appliedId: event.id,
      set: { status },
      emit,
    });
  }

  /** The order's payment, created with `initial` if there is none yet. */
  private async open(
    orderId: string,
    initial: Pick<PaymentDoc, 'userId' | 'status' | 'amountCents' | 'currency' | 'paymentToken'>,
  ): Promise<PaymentDoc> {
    const now = new Date();
    for (let attempt = 0; ; attempt += 1) {
      try {
        const doc = await this.deps.payments.findOneAndUpdate(
          { _id: orderId },
          {
            $setOnInsert: {
              ...initial,
              chargeId: null,
              declineCode: null,
              appliedEvents: [],
              outbox: [],
              createdAt: now,
              updatedAt: now,
            },
          },
          { upsert: true, returnDocument: 'after' },
        );
        if (doc) return doc;
      } catch (err) {
        // Two first events at once: one insert wins, the other reads what it stored.
        if (!isDuplicateKeyError(err) || attempt > 0) throw err;
      }
    }
  }
}
