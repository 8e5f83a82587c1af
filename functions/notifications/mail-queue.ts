import type { Db } from 'mongodb';
import type { OutgoingMail } from '../../shared/email/mail-sender.js';
import {
  type AccountMailKind,
  NOTIFICATIONS_COLLECTION,
  type NotificationDoc,
} from './notification-document.js';

/**
 * Queues a mail for the mail sweep to send (within a second in `npm start`, a minute on AWS):
 * the caller's answer does not wait for SES, so it takes as long whether a mail went or not,
 * and tells nothing about whether an account exists. `id` makes a repeat queue nothing.
 */
export async function queueMail(
  db: Db,
  mail: OutgoingMail & { id: string; userId: string; kind: AccountMailKind; secret: boolean },
): Promise<void> {
  const now = new Date();
  await db.collection<NotificationDoc>(NOTIFICATIONS_COLLECTION).updateOne(
    { _id: mail.id },
    {
      $setOnInsert: {
        userId: mail.userId,
        kind: mail.kind,
        channel: 'email',
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        secret: mail.secret,
        state: 'PENDING',
        attempts: 0,
        leaseUntil: now,
        createdAt: now,
      },
    },
    { upsert: true },
  );
}
