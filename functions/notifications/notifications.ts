import type { Collection, Db } from 'mongodb';
import type { DomainEvent } from '../../shared/events/envelope.js';
import type { Logger } from '../../shared/logger/logger.js';
import { GroupedInserts } from '../../shared/mongo/grouped-updates.js';
import { isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';
import { readAccountContact } from '../accounts/port.js';
import { readOrderForMail } from '../orders/port.js';
import type { MailDelivery } from './mail-delivery.js';
import { NOTIFICATIONS_COLLECTION, type NotificationDoc } from './notification-document.js';
import { composeOrderMail, type OrderMailKind, type Shop } from './order-mail.js';

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
 * mail (the order's lines and total as charged, to the address the order was placed with)
 * already claimed by this handler, then sends it through MailDelivery. A repeat of the event
 * reads the order again and meets the recorded mail: one read and one insert on the way in,
 * one write when sent.
 */
export class Notifications {
  readonly collection: Collection<NotificationDoc>;
  /** Mails recorded at the same moment go out as one insertMany. */
  private readonly inserts: GroupedInserts<NotificationDoc>;

  constructor(
    private readonly db: Db,
    private readonly delivery: MailDelivery,
    private readonly shop: Shop,
  ) {
    this.collection = db.collection<NotificationDoc>(NOTIFICATIONS_COLLECTION);
    this.inserts = new GroupedInserts(this.collection);
  }

  async handle(event: DomainEvent, logger: Logger): Promise<void> {
    const kind = mailKind(event);
    if (!kind) return;
    const { orderId } = event.data as { orderId: string };
    const id = `${orderId}:${kind}`;
    const recorded = await this.record(id, kind, event, logger);
    // Recorded by this call, claimed: sent now. Recorded before (a repeat of the event): sent
    // if no one holds it, which is nothing when it went already.
    if (recorded === 'recorded before') await this.delivery.deliver(id);
    else if (recorded) await this.delivery.sendClaimed(recorded);
  }

  /**
   * Records the mail once, claimed by this handler; the mail as recorded, 'recorded before',
   * or null when there is no mail to send.
   */
  private async record(
    id: string,
    kind: OrderMailKind,
    event: DomainEvent,
    logger: Logger,
  ): Promise<NotificationDoc | 'recorded before' | null> {
    const { orderId } = event.data as { orderId: string };
    const order = await readOrderForMail(this.db, orderId);
    if (!order) {
      logger.warn({ orderId }, 'no such order: no mail');
      return null;
    }
    const account = order.contactEmail ? null : await readAccountContact(this.db, order.userId);
    const to = order.contactEmail ?? account?.email;
    if (!to) {
      logger.warn({ orderId }, 'the order has no address to mail: no mail');
      return null;
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
    const doc: NotificationDoc = {
      _id: id,
      userId: order.userId,
      orderId,
      kind,
      channel: 'email',
      ...mail,
      eventId: event.id,
      ...this.delivery.claimOnRecord(now),
      createdAt: now,
    };
    try {
      await this.inserts.insertOne(doc);
      return doc;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return 'recorded before';
    }
  }
}
