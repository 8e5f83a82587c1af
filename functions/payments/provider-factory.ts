import type { Db } from 'mongodb';
import type { Logger } from '../../shared/logger/logger.js';
import type { PaymentsConfig } from './config.js';
import type { PaymentProvider } from './payment-provider.js';
import { TestPaymentProvider } from './test-payment-provider.js';

/** The provider the configuration names, said in the log when a deployed stage takes test cards. */
export function createPaymentProvider(
  config: PaymentsConfig,
  db: Db,
  logger: Logger,
): PaymentProvider {
  if (config.testPaymentsDeployed) {
    logger.warn(
      'ALLOW_TEST_PAYMENTS=true: this deployed stage accepts test cards and takes no money',
    );
  }
  return new TestPaymentProvider(db);
}
