import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';
import type {
  AuthorizeRequest,
  AuthorizeResult,
  PaymentProvider,
  RefundRequest,
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

interface ChargeDoc {
  _id: string;
  chargeId: string;
  result: AuthorizeResult;
  amountCents: number;
  currency: string;
  /** How many authorize calls used this key: more than one means a retry, never a charge. */
  calls: number;
  refunded: boolean;
  createdAt: Date;
}

/**
 * A provider for development and tests that keeps its charges in the database, the way a
 * real provider keeps them on its side: one charge per idempotency key, whatever the number
 * of calls, so a test can prove no order is ever charged twice.
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
        refunded: false,
        createdAt: new Date(),
      });
      return result;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const first = await this.charges.findOneAndUpdate(
        { _id: request.idempotencyKey },
        { $inc: { calls: 1 } },
        { returnDocument: 'after' },
      );
      if (!first) throw err;
      return first.result;
    }
  }

  async refund(request: RefundRequest): Promise<void> {
    await this.charges.updateOne({ _id: request.idempotencyKey }, { $set: { refunded: true } });
  }
}
