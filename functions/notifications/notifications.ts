import type { Collection, Db } from 'mongodb';
import type { DomainEvent } from '../../shared/events/envelope.js';
import type { Logger } from '../../shared/logger/logger.js';
import { type CollectionIndexes, isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';

export type NotificationKind = 'ORDER_CONFIRMED' | 'ORDER_CANCELLED';

/** A message to a customer about one of their orders; one per order and kind. */
export interface NotificationDoc {
  /** `orderId:kind`: a second delivery of the event finds it and records nothing. */
  _id: string;
  userId: string;
  orderId: string;
  kind: NotificationKind;
  channel: 'email';
  subject: string;
  body: string;
  eventId: string;
  createdAt: Date;
}

export const NOTIFICATIONS_COLLECTION = 'notifications';

export const NOTIFICATION_INDEXES: CollectionIndexes[] = [
  {
    collection: NOTIFICATIONS_COLLECTION,
    indexes: [{ key: { userId: 1, createdAt: -1 }, name: 'user_newest_first' }],
  },
];

const REASONS: Record<string, string> = {
  OUT_OF_STOCK: 'some items are out of stock',
  PAYMENT_DECLINED: 'the payment was declined',
  CANCELLED_BY_CUSTOMER: 'you cancelled it',
  RESERVATION_EXPIRED: 'the payment did not arrive in time',
  PROCESSING_FAILED: 'we could not process it; nothing was charged',
};

function compose(event: DomainEvent): Omit<NotificationDoc, 'createdAt' | 'eventId'> | null {
  if (event.type === 'OrderConfirmed') {
    const { orderId, userId, totalCents, currency } = event.data;
    const total = `${(totalCents / 100).toFixed(2)} ${currency}`;
    return {
      _id: `${orderId}:ORDER_CONFIRMED`,
      userId,
      orderId,
      kind: 'ORDER_CONFIRMED',
      channel: 'email',
      subject: `Order ${orderId} confirmed`,
      body: `Thank you. Your order ${orderId} of ${total} is confirmed.`,
    };
  }
  if (event.type === 'OrderCancelled') {
    const { orderId, userId, reason } = event.data;
    return {
      _id: `${orderId}:ORDER_CANCELLED`,
      userId,
      orderId,
      kind: 'ORDER_CANCELLED',
      channel: 'email',
      subject: `Order ${orderId} cancelled`,
      body: `Your order ${orderId} was cancelled: ${REASONS[reason] ?? reason}.`,
    };
  }
  return null;
}

/** Records a customer notification for each confirmed and each cancelled order, once. */
export class Notifications {
  readonly collection: Collection<NotificationDoc>;

  constructor(db: Db) {
    this.collection = db.collection<NotificationDoc>(NOTIFICATIONS_COLLECTION);
  }

  async handle(event: DomainEvent, logger: Logger): Promise<void> {
    const notification = compose(event);
    if (!notification) return;
    try {
      await this.collection.insertOne({
        ...notification,
        eventId: event.id,
        createdAt: new Date(),
      });
      logger.info({ kind: notification.kind, userId: notification.userId }, 'customer notified');
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
}
