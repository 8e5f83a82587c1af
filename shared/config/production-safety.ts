import type { EnvReader } from './env-reader.js';
import { LOCAL_ADMIN, LOCAL_JWT_SECRET } from './local-defaults.js';

/**
 * Settings that are fine on a developer's machine and a hole on a deployed stage. Every
 * process reads its runtime through readRuntimeConfig, which calls this on a deployed stage:
 * whichever entry point starts, it refuses all of them, each by name, before it serves.
 */
export function refuseUnsafeSettings(env: EnvReader): void {
  const allow = env.optionalString('ALLOW_TEST_PAYMENTS');
  if (allow !== undefined && allow !== 'true' && allow !== 'false') {
    env.report(`ALLOW_TEST_PAYMENTS must be true or false, got "${allow}"`);
  }
  if (env.optionalString('JWT_SECRET') === LOCAL_JWT_SECRET) {
    env.report('JWT_SECRET is the published local development secret; set a secret of your own');
  }
  if (env.optionalString('ADMIN_PASSWORD') === LOCAL_ADMIN.password) {
    env.report('ADMIN_PASSWORD is the published local admin password; choose another');
  }
  if (env.optionalString('PAYMENT_PROVIDER') === 'test' && !allowsTestPayments(env)) {
    env.report(
      'PAYMENT_PROVIDER=test accepts test cards and takes no money: a deployed stage needs ' +
        'ALLOW_TEST_PAYMENTS=true to use it',
    );
  }
  for (const name of ['GRAPHIQL', 'GRAPHQL_INTROSPECTION', 'GRAPHQL_SUGGESTIONS']) {
    if (env.optionalString(name) === 'on') {
      env.report(`${name}=on shows the schema to anyone; it is for local development only`);
    }
  }
}

/**
 * ALLOW_TEST_PAYMENTS=true: a deployed stage (a demo, a staging shop) may take test cards.
 * Only the exact word turns it on.
 */
export function allowsTestPayments(env: EnvReader): boolean {
  return env.optionalString('ALLOW_TEST_PAYMENTS') === 'true';
}
