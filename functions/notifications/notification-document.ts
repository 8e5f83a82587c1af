import type { CollectionIndexes } from '../../shared/mongo/mongo-client.js';
import type { OrderMailKind } from './order-mail.js';

/**
 * PENDING: recorded, not sent; SENDING: claimed by a sender until `leaseUntil`; SENT: the mail
 * service accepted it; FAILED: every attempt failed (an operator looks). Mails recorded before
 * mails were sent have no state and are never sent.
 */
export type MailState = 'PENDING' | 'SENDING' | 'SENT' | 'FAILED';

/** Mails about an account, queued by the accounts function (mail-queue.ts). */
export type AccountMailKind = 'PASSWORD_RESET' | 'SIGNUP_ATTEMPT';

/** A mail to a customer: about one of their orders (one per order and kind), or their account. */
export interface NotificationDoc {
  /** `orderId:kind` for an order's mail: a second delivery of the event finds it. */
  _id: string;
  userId: string;
  orderId?: string;
  kind: OrderMailKind | AccountMailKind;
  /** Holds a secret (a reset link): its parts are erased once it is sent or given up. */
  secret?: boolean;
  channel: 'email';
  to: string;
  subject: string;
  text: string;
  html: string;
  eventId?: string;
  state: MailState;
  /** Claims taken so far; the guard of every write that follows a claim. */
  attempts: number;
  /** Until when the current claim holds; PENDING mails wait until then for the sweep. */
  leaseUntil: Date | null;
  messageId?: string;
  sentAt?: Date;
  error?: string;
  createdAt: Date;
}

export const NOTIFICATIONS_COLLECTION = 'notifications';

export const NOTIFICATION_INDEXES: CollectionIndexes[] = [
  {
    collection: NOTIFICATIONS_COLLECTION,
    indexes: [
      { key: { userId: 1, createdAt: -1 }, name: 'user_newest_first' },
      {
        key: { state: 1, leaseUntil: 1 },
        name: 'mail_due',
        partialFilterExpression: { state: { $in: ['PENDING', 'SENDING'] } },
      },
    ],
  },
];
