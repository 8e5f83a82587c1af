import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';
import type {
  AuthorizeRequest,
  AuthorizeResult,
  CancelRequest,
  CancelResult,
  PaymentProvider,
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
/** What an authorisation after the payment's cancel is declined with. */
const CANCELLED_FIRST = 'payment_canceled';

interface ChargeDoc {
  _id: string;
  chargeId: string;
  /** Absent while only a cancel came: the authorisation that follows is declined. */
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

/**
 * A provider for development and tests that keeps its charges in the database, the way a
 * real provider keeps them on its side: one charge per idempotency key, whatever the number
 * of calls, so a test can prove no order is ever charged twice, and none kept after its cancel.
 */
export class TestPaymentProvider implements PaymentProvider {
  readonly charges: Collection<ChargeDoc>;

  constructor(db: Db) {
    this.charges = db.collection<ChargeDoc>('test_provider_charges');
  }

  async authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    const chargeId = `ch_test_${request.idempotencyKey}`;
    const declineCode =
      DECLINES[request.token] ?? (APPROVED.has(request.token) ? null : 'invalid_token');
    const result: AuthorizeResult = declineCode
      ? { outcome: 'DECLINED', chargeId, declineCode }
      : { outcome: 'AUTHORIZED', chargeId };
    try {
      await this.charges.insertOne({
        _id: request.idempotencyKey,
        chargeId,
        result,
        amountCents: request.amountCents,
        currency: request.currency,
        calls: 1,
        cancelled: false,
        refunded: false,
        createdAt: new Date(),
      });
      return result;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    // A repeat answers the first decision; after a cancel with none, the decision is a decline.
    const refused: AuthorizeResult = {
      outcome: 'DECLINED',
      chargeId,
      declineCode: CANCELLED_FIRST,
    };
    await this.charges.updateOne(
      { _id: request.idempotencyKey, result: { $exists: false } },
      { $set: { result: refused } },
    );
    const first = await this.charges.findOneAndUpdate(
      { _id: request.idempotencyKey },
      { $inc: { calls: 1 } },
      { returnDocument: 'after' },
    );
    if (!first?.result) throw new Error(`no charge for ${request.idempotencyKey}`);
    return first.result;
  }

  async cancel(request: CancelRequest): Promise<CancelResult> {
    const chargeId = `ch_test_${request.idempotencyKey}`;
    // Upserted: a cancel that comes before the authorisation makes it a decline.
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

  private async markCancelled(key: string, chargeId: string): Promise<ChargeDoc | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.charges.findOneAndUpdate(
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
        );
      } catch (err) {
        // The authorisation inserted the charge at the same moment: mark that one.
        if (!isDuplicateKeyError(err) || attempt > 0) throw err;
      }
    }
  }
}
