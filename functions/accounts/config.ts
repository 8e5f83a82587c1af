import { type AuthConfig, readAuthConfig } from '../../shared/auth/auth-config.js';
import {
  type MongoConfig,
  type RuntimeConfig,
  readMongoConfig,
  readRuntimeConfig,
} from '../../shared/config/config.js';
import type { EnvReader } from '../../shared/config/env-reader.js';

export interface AccountsConfig {
  runtime: RuntimeConfig;
  mongo: MongoConfig;
  auth: AuthConfig;
  /** Created (or promoted) at start when both are set. */
  admin?: { email: string; password: string };
  /** Login and register attempts allowed per client address and minute. */
  authAttemptsPerMinute: number;
}

export function readAccountsConfig(env: EnvReader): AccountsConfig {
  const runtime = readRuntimeConfig(env);
  const adminEmail = env.optionalString('ADMIN_EMAIL');
  const adminPassword = env.optionalString('ADMIN_PASSWORD');
  if (Boolean(adminEmail) !== Boolean(adminPassword)) {
    env.report('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  return {
    runtime,
    mongo: readMongoConfig(env, runtime),
    auth: readAuthConfig(env, runtime),
    ...(adminEmail && adminPassword
      ? { admin: { email: adminEmail, password: adminPassword } }
      : {}),
    authAttemptsPerMinute: env.int('AUTH_ATTEMPTS_PER_MINUTE', 20, { min: 1, max: 10_000 }),
  };
}
