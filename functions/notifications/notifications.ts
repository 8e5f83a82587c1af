import type { Collection, Db } from 'mongodb';
import type { DomainEvent } from '../../shared/events/envelope.js';
import type { Logger } from '../../shared/logger/logger.js';
import { isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';
import { readAccountContact } from '../accounts/port.js';
import { readOrderForMail } from '../orders/port.js';
import type { MailDelivery } from './mail-delivery.js';
import { NOTIFICATIONS_COLLECTION, type NotificationDoc } from './notification-document.js';
import { composeOrderMail, type OrderMailKind, type Shop } from './order-mail.js';

/** How long a recorded mail waits for its handler before the sweep takes it. */
const HANDLER_GRACE_MS = 10_000;

/** The events that send a customer mail (the notifications' Kafka mapping delivers no others). */
export const NOTIFICATION_EVENTS = [
  'OrderConfirmed',
  'OrderCancelled',
] as const satisfies readonly DomainEvent['type'][];

function mailKind(event: DomainEvent): OrderMailKind | null {
  if (event.type === 'OrderConfirmed') return 'ORDER_CONFIRMED';
  if (event.type === 'OrderCancelled') return 'ORDER_CANCELLED';
  return null;
}

/**
 * Mails each customer once when their order is confirmed and when it is cancelled: records the
 * mail (the order's lines and total as charged, to the address the order was placed with),
 * then sends it through MailDelivery.
 */
export class Notifications {
  readonly collection: Collection<NotificationDoc>;

  constructor(
    private readonly db: Db,
    private readonly delivery: MailDelivery,
    private readonly shop: Shop,
  ) {
    this.collection = db.collection<NotificationDoc>(NOTIFICATIONS_COLLECTION);
  }

  async handle(event: DomainEvent, logger: Logger): Promise<void> {
    const kind = mailKind(event);
    if (!kind) return;
    const { orderId } = event.data as { orderId: string };
    const id = `${orderId}:${kind}`;
    const recorded = await this.record(id, kind, event, logger);
    if (recorded) await this.delivery.deliver(id);
  }

  /** Records the mail once; whether there is a mail to send. */
  private async record(
    id: string,
    kind: OrderMailKind,
    event: DomainEvent,
    logger: Logger,
  ): Promise<boolean> {
    if (await this.collection.countDocuments({ _id: id }, { limit: 1 })) return true;
    const { orderId } = event.data as { orderId: string };
    const order = await readOrderForMail(this.db, orderId);
    if (!order) {
      logger.warn({ orderId }, 'no such order: no mail');
      return false;
    }
    const account = order.contactEmail ? null : await readAccountContact(this.db, order.userId);
    const to = order.contactEmail ?? account?.email;
    if (!to) {
      logger.warn({ orderId }, 'the order has no address to mail: no mail');
      return false;
    }
    const mail = composeOrderMail(
      {
        kind,
        orderId,
        customer: { email: to, name: order.recipientName ?? account?.name ?? 'customer' },
        lines: order.items,
        totalCents: order.totalCents,
        currency: order.currency,
        ...(event.type === 'OrderCancelled'
          ? { reason: (event.data as { reason: string }).reason }
          : {}),
      },
      this.shop,
    );
    const now = new Date();
    try {
      await this.collection.insertOne({
        _id: id,
        userId: order.userId,
        orderId,
        kind,
        channel: 'email',
        ...mail,
        eventId: event.id,
        state: 'PENDING',
        attempts: 0,
        leaseUntil: new Date(now.getTime() + HANDLER_GRACE_MS),
        createdAt: now,
      });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    return true;
  }
}
