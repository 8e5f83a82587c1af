import type { EnvReader } from '../../shared/config/env-reader.js';
import {
  type HttpFunctionConfig,
  readHttpFunctionConfig,
} from '../../shared/http/function-config.js';

export interface AccountsConfig extends HttpFunctionConfig {
  /** Created (or promoted) at start when both are set. */
  admin?: { email: string; password: string };
  /** Login and register attempts allowed per client address and minute. */
  authAttemptsPerMinute: number;
}

export function readAccountsConfig(env: EnvReader): AccountsConfig {
  const base = readHttpFunctionConfig(env);
  const adminEmail = env.optionalString('ADMIN_EMAIL');
  const adminPassword = env.optionalString('ADMIN_PASSWORD');
  if (Boolean(adminEmail) !== Boolean(adminPassword)) {
    env.report('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  return {
    ...base,
    ...(adminEmail && adminPassword
      ? { admin: { email: adminEmail, password: adminPassword } }
      : {}),
    authAttemptsPerMinute: env.int('AUTH_ATTEMPTS_PER_MINUTE', 20, { min: 1, max: 10_000 }),
  };
}
