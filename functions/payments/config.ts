import type { RuntimeConfig } from '../../shared/config/config.js';
import type { EnvReader } from '../../shared/config/env-reader.js';
import { allowsTestPayments } from '../../shared/config/production-safety.js';

export interface PaymentsConfig {
  provider: 'test';
  /**
   * A deployed stage that takes test cards (PAYMENT_PROVIDER=test with ALLOW_TEST_PAYMENTS=true,
   * a demo shop): said in the log at every start.
   */
  testPaymentsDeployed?: boolean;
}

/** The payment provider of the function that asks it (the order saga). */
export function readPaymentsConfig(env: EnvReader, runtime: RuntimeConfig): PaymentsConfig {
  const deployed = runtime.nodeEnv === 'production';
  // A deployed stage names its provider: an unset variable never means "accept test cards".
  if (deployed && env.optionalString('PAYMENT_PROVIDER') === undefined) {
    env.report('PAYMENT_PROVIDER is required but not set');
  }
  // The provider port has one adapter so far; a real provider adds its name here.
  const provider = env.oneOf('PAYMENT_PROVIDER', ['test'] as const, 'test');
  return {
    provider,
    ...(deployed && provider === 'test' && allowsTestPayments(env)
      ? { testPaymentsDeployed: true }
      : {}),
  };
}
