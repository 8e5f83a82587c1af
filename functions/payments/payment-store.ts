import type { Collection, Db } from 'mongodb';
import type { CollectionIndexes } from '../../shared/mongo/mongo-client.js';
import type { OutboxEvent } from '../../shared/outbox/outbox.js';

/**
 * AUTHORIZING while the provider is asked; then AUTHORIZED or DECLINED; REFUNDED after a
 * cancel. CANCELLED when the order was cancelled before its payment started: the later
 * StockReserved (if any) then charges nothing.
 */
export type PaymentStatus = 'AUTHORIZING' | 'AUTHORIZED' | 'DECLINED' | 'REFUNDED' | 'CANCELLED';

/** One payment per order (`_id` is the order id), with its own outbox. */
export interface PaymentDoc {
  _id: string;
  userId: string;
  status: PaymentStatus;
  amountCents: number;
  currency: string;
  chargeId: string | null;
  declineCode: string | null;
  /**
   * The shopper's payment token while the payment is AUTHORIZING, so that whoever finds it
   * abandoned (its process died during the provider's call) can ask the provider again under
   * the same idempotency key; removed once the payment is decided.
   */
  paymentToken?: string;
  appliedEvents: string[];
  outbox: OutboxEvent[];
  outboxLeaseUntil?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const PAYMENTS_COLLECTION = 'payments';

export const PAYMENT_INDEXES: CollectionIndexes[] = [
  {
    collection: PAYMENTS_COLLECTION,
    indexes: [{ key: { 'outbox.0.time': 1 }, name: 'outbox_pending' }],
  },
];

export function paymentsCollection(db: Db): Collection<PaymentDoc> {
  return db.collection<PaymentDoc>(PAYMENTS_COLLECTION);
}
