/**
 * What the payments module offers the rest of the platform: the provider port and the adapter
 * a configuration names. The order saga asks the provider within its one step per order; the
 * provider's charges are its own (locally the test provider's collection).
 */

export { type PaymentsConfig, readPaymentsConfig } from './config.js';
export type {
  AuthorizeResult,
  CancelResult,
  PaymentProvider,
} from './payment-provider.js';
export { createPaymentProvider } from './provider-factory.js';
/** The test provider, which every local composition and test uses. */
export { TestPaymentProvider } from './test-payment-provider.js';
