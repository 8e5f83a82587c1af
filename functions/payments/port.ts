/**
 * What the payments module offers the rest of the platform; nothing else in functions/payments/
 * is imported from outside it. The payments collection is written only by the payments
 * function; the outbox relay sends what its outbox holds.
 */
export { PAYMENT_INDEXES, PAYMENTS_COLLECTION } from './payment-store.js';
