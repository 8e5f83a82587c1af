import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';
import type {
  AuthorizeRequest,
  AuthorizeResult,
  CancelRequest,
  CancelResult,
  PaymentProvider,
  PrepareRequest,
  PrepareResult,
} from './payment-provider.js';

/**
 * Card tokens of the built-in test provider, after the common providers' test tokens:
 * `tok_visa` and `tok_mastercard` are authorised, the `tok_chargeDeclined*` family is declined
 * with its reason, anything else is declined as an invalid token.
 */
const DECLINES: Record<string, string> = {
  tok_chargeDeclined: 'card_declined',
  tok_chargeDeclinedInsufficientFunds: 'insufficient_funds',
  tok_chargeDeclinedExpiredCard: 'expired_card',
};
const APPROVED = new Set(['tok_visa', 'tok_mastercard', 'tok_amex']);
/** What an authorisation after the payment's cancel, or with no payment prepared, gets. */
const CANCELLED_FIRST = 'payment_canceled';

interface ChargeDoc {
  _id: string;
  chargeId: string;
  /**
   * What the card's token will get when the payment is asked for, worked out when the token
   * is handed over (the provider keeps the token; this test provider keeps only its fate).
   */
  decision?: AuthorizeResult;
  /** The answer of the first authorisation: every later one gets the same. */
  result?: AuthorizeResult;
  amountCents: number;
  currency: string;
  /** How many authorize calls used this key: more than one means a retry, never a charge. */
  calls: number;
  /** The payment was cancelled: an authorised amount is given back, a later one refused. */
  cancelled: boolean;
  refunded: boolean;
  createdAt: Date;
}

function decisionFor(token: string, chargeId: string): AuthorizeResult {
  const declineCode = DECLINES[token] ?? (APPROVED.has(token) ? null : 'invalid_token');
  return declineCode
    ? { outcome: 'DECLINED', chargeId, declineCode }
    : { outcome: 'AUTHORIZED', chargeId };
}

/**
 * A provider for development and tests that keeps its payments in the database, the way a
 * real provider keeps them on its side: one payment per idempotency key, whatever the number
 * of calls, so a test can prove no order is ever charged twice, and none kept after its cancel.
 */
export class TestPaymentProvider implements PaymentProvider {
  readonly charges: Collection<ChargeDoc>;

  constructor(db: Db) {
    this.charges = db.collection<ChargeDoc>('test_provider_charges');
  }

  async prepare(request: PrepareRequest): Promise<PrepareResult> {
    const chargeId = `ch_test_${request.idempotencyKey}`;
    try {
      await this.charges.updateOne(
        { _id: request.idempotencyKey },
        {
          $setOnInsert: {
            chargeId,
            decision: decisionFor(request.token, chargeId),
            amountCents: request.amountCents,
            currency: request.currency,
            calls: 0,
            cancelled: false,
            refunded: false,
            createdAt: new Date(),
          },
        },
        { upsert: true },
      );
    } catch (err) {
      // A concurrent prepare of the same key opened it: the first one's stands.
      if (!isDuplicateKeyError(err)) throw err;
    }
    return { reference: `pay_test_${request.idempotencyKey}` };
  }

  async authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    const chargeId = `ch_test_${request.idempotencyKey}`;
    const refused: AuthorizeResult = {
      outcome: 'DECLINED',
      chargeId,
      declineCode: CANCELLED_FIRST,
    };
    // One write decides and counts: the first call fixes the result (the token's fate, or a
    // refusal after a cancel), and every repeat reads it back.
    // A key never prepared is refused, and the refusal kept: a later prepare changes nothing.
    const doc = await this.upsertWithRetry(() =>
      this.charges.findOneAndUpdate(
        { _id: request.idempotencyKey },
        [
          {
            $set: {
              chargeId: { $ifNull: ['$chargeId', chargeId] },
              amountCents: { $ifNull: ['$amountCents', request.amountCents] },
              currency: { $ifNull: ['$currency', request.currency] },
              cancelled: { $ifNull: ['$cancelled', false] },
              refunded: { $ifNull: ['$refunded', false] },
              createdAt: { $ifNull: ['$createdAt', '$$NOW'] },
              calls: { $add: [{ $ifNull: ['$calls', 0] }, 1] },
              result: {
                $ifNull: [
                  '$result',
                  { $cond: ['$cancelled', refused, { $ifNull: ['$decision', refused] }] },
                ],
              },
            },
          },
        ],
        { upsert: true, returnDocument: 'after' },
      ),
    );
    return doc?.result ?? refused;
  }

  async cancel(request: CancelRequest): Promise<CancelResult> {
    const chargeId = `ch_test_${request.idempotencyKey}`;
    // Upserted: a cancel that comes before the authorisation makes it a refusal.
    const doc = await this.markCancelled(request.idempotencyKey, chargeId);
    const authorised = doc?.result?.outcome === 'AUTHORIZED';
    if (authorised && !doc.refunded) {
      await this.charges.updateOne({ _id: request.idempotencyKey }, { $set: { refunded: true } });
    }
    return {
      refunded: authorised,
      chargeId: doc?.result?.chargeId ?? null,
      amountCents: authorised ? doc.amountCents : 0,
    };
  }

  private markCancelled(key: string, chargeId: string): Promise<ChargeDoc | null> {
    return this.upsertWithRetry(() =>
      this.charges.findOneAndUpdate(
        { _id: key },
        {
          $set: { cancelled: true },
          $setOnInsert: {
            chargeId,
            amountCents: 0,
            currency: 'XXX',
            calls: 0,
            refunded: false,
            createdAt: new Date(),
          },
        },
        { upsert: true, returnDocument: 'after' },
      ),
    );
  }

  /** An upsert that met another call's insert of the same key: the second try updates it. */
  private async upsertWithRetry<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return write();
    }
  }
}
