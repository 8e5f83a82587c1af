import type { Collection } from 'mongodb';
import type { MailSender, OutgoingMail } from '../../shared/email/mail-sender.js';
import type { Logger } from '../../shared/logger/logger.js';
import { GroupedUpdates } from '../../shared/mongo/grouped-updates.js';
import type { NotificationDoc } from './notification-document.js';

export interface MailDeliveryOptions {
  /** How long a claim stays with its sender: longer than one send may take. */
  leaseMs: number;
  /** Sends tried before a mail is set aside as FAILED (logged as an error). */
  maxAttempts: number;
  /** How long a sender that sent keeps trying to record it while the database is away. */
  recordForMs: number;
}

export const DEFAULT_MAIL_DELIVERY: MailDeliveryOptions = {
  leaseMs: 30_000,
  maxAttempts: 10,
  recordForMs: 60_000,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends each recorded mail once. The record comes first: claimed already (SENDING, with a lease
 * and an attempt count) when its writer sends it at once, as the order mails' handler does, or
 * PENDING (a queued mail) for a sender to claim. The claimant sends and records SENT with the
 * service's message id. Whoever finds a mail PENDING, or SENDING with its lease run out, may
 * claim it: a repeat of the event at once, the sweep later.
 *
 * What a crash can and cannot cause:
 * - before the claim, or between the claim and the send: the mail goes when the lease ends;
 *   never lost, never twice;
 * - during the send, or between the send and SENT: the next claimant cannot tell whether the
 *   service got it. Where the service lists what it sent (LocalStack), it looks there first and
 *   records SENT without sending. SES keeps no such list: there the mail is sent again, so
 *   this one window, a few milliseconds per mail, can cause one duplicate, never a loss;
 * - a database outage after the send: the sender keeps trying to record SENT for a minute
 *   before it gives the mail up to the lease.
 */
export class MailDelivery {
  /** "Sent" records of the mails sent at the same moment go out as one command. */
  private readonly sentRecords: GroupedUpdates<NotificationDoc>;

  constructor(
    private readonly mails: Collection<NotificationDoc>,
    private readonly sender: MailSender,
    private readonly logger: Logger,
    private readonly options: MailDeliveryOptions = DEFAULT_MAIL_DELIVERY,
  ) {
    this.sentRecords = new GroupedUpdates(mails);
  }

  /**
   * The claim a mail is recorded with by a writer that sends it at once (`sendClaimed`): one
   * write fewer than recording it PENDING and claiming it after. A crash before the send leaves
   * it to the sweep once the lease ends, as with any claim.
   */
  claimOnRecord(now = new Date()): Pick<NotificationDoc, 'state' | 'attempts' | 'leaseUntil'> {
    return {
      state: 'SENDING',
      attempts: 1,
      leaseUntil: new Date(now.getTime() + this.options.leaseMs),
    };
  }

  /** Claims and sends one mail if it is free to claim; whether it is now sent. */
  async deliver(id: string): Promise<boolean> {
    const now = new Date();
    const taken = await this.mails.findOneAndUpdate(
      {
        _id: id,
        $or: [{ state: 'PENDING' }, { state: 'SENDING', leaseUntil: { $lte: now } }],
      },
      {
        $set: { state: 'SENDING', leaseUntil: new Date(now.getTime() + this.options.leaseMs) },
        $inc: { attempts: 1 },
      },
      { returnDocument: 'after' },
    );
    if (!taken) return false;
    return this.sendClaimed(taken);
  }

  /** Sends a mail this sender holds the claim of (`taken`, as claimed); whether it is now sent. */
  async sendClaimed(taken: NotificationDoc): Promise<boolean> {
    const id = taken._id;
    const mail: OutgoingMail = {
      to: taken.to,
      subject: taken.subject,
      text: taken.text,
      html: taken.html,
    };
    const log = this.logger.child({ notification: id, attempt: taken.attempts });
    if (taken.attempts > 1 && this.sender.wasSent && (await this.sender.wasSent(mail))) {
      // An earlier sender sent it and died before it could say so.
      await this.recordSent(taken, 'found in the sent list');
      log.info('mail found sent by an earlier attempt; not sent again');
      return true;
    }
    let messageId: string;
    try {
      ({ messageId } = await this.sender.send(mail));
    } catch (err) {
      await this.afterFailedSend(taken, err, log);
      return false;
    }
    await this.recordSent(taken, messageId);
    log.debug({ kind: taken.kind, messageId }, 'mail sent');
    return true;
  }

  /**
   * Mails whose claim ran out (a sender died, a send failed) or that no sender took: each is
   * claimed and sent. Returns how many were sent.
   */
  async sweep(limit = 100): Promise<number> {
    const due = await this.mails
      .find(
        { state: { $in: ['PENDING', 'SENDING'] }, leaseUntil: { $lte: new Date() } },
        { projection: { _id: 1 } },
      )
      .limit(limit)
      .toArray();
    let sent = 0;
    for (const { _id } of due) if (await this.deliver(_id)) sent += 1;
    return sent;
  }

  /** SENT, guarded on this claim; tried again while the database is away. */
  private async recordSent(claim: NotificationDoc, messageId: string): Promise<void> {
    const { _id: id, attempts: attempt } = claim;
    const deadline = Date.now() + this.options.recordForMs;
    for (let wait = 100; ; wait = Math.min(wait * 2, 5_000)) {
      try {
        await this.sentRecords.updateOne(
          { _id: id, state: 'SENDING', attempts: attempt },
          {
            $set: {
              state: 'SENT',
              messageId,
              sentAt: new Date(),
              leaseUntil: null,
              // A reset link is kept nowhere once it is on its way.
              ...(claim.secret ? { text: '', html: '' } : {}),
            },
          },
        );
        return;
      } catch (err) {
        if (Date.now() + wait > deadline) throw err;
        this.logger.warn({ err, notification: id }, 'mail sent; recording it failed, retrying');
        await sleep(wait);
      }
    }
  }

  /**
   * A send that failed: whether the service got it is unknown, so the claim is kept until its
   * lease ends and the next claimant decides (see above). After maxAttempts it is FAILED.
   */
  private async afterFailedSend(doc: NotificationDoc, err: unknown, log: Logger): Promise<void> {
    if (doc.attempts >= this.options.maxAttempts) {
      await this.mails.updateOne(
        { _id: doc._id, state: 'SENDING', attempts: doc.attempts },
        {
          $set: {
            state: 'FAILED',
            leaseUntil: null,
            error: String(err),
            ...(doc.secret ? { text: '', html: '' } : {}),
          },
        },
      );
      log.error({ err }, 'mail not sent after every attempt; set aside as FAILED');
      return;
    }
    log.warn({ err }, 'mail send failed; tried again when its lease ends');
  }
}
