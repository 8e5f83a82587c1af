import type { EnvReader } from '../../shared/config/env-reader.js';
import {
  type HttpFunctionConfig,
  readHttpFunctionConfig,
} from '../../shared/http/function-config.js';

/** The accounts function's throttles; every mode reads them from the same variables. */
export interface AuthLimits {
  /** Login and register requests allowed per client address and minute. */
  authAttemptsPerMinute: number;
  /** Registrations allowed per client address and minute. */
  registrationsPerMinute: number;
  /** Wrong passwords allowed per account, and per client address, in one window. */
  loginFailuresPerAccount: number;
  loginFailuresPerAddress: number;
  loginFailureWindowSeconds: number;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  authAttemptsPerMinute: 600,
  registrationsPerMinute: 300,
  loginFailuresPerAccount: 10,
  loginFailuresPerAddress: 100,
  loginFailureWindowSeconds: 900,
};

export function readAuthLimits(env: EnvReader): AuthLimits {
  const d = DEFAULT_AUTH_LIMITS;
  const count = { min: 1, max: 100_000 };
  return {
    authAttemptsPerMinute: env.int('AUTH_ATTEMPTS_PER_MINUTE', d.authAttemptsPerMinute, count),
    registrationsPerMinute: env.int('REGISTRATIONS_PER_MINUTE', d.registrationsPerMinute, count),
    loginFailuresPerAccount: env.int(
      'LOGIN_FAILURES_PER_ACCOUNT',
      d.loginFailuresPerAccount,
      count,
    ),
    loginFailuresPerAddress: env.int(
      'LOGIN_FAILURES_PER_ADDRESS',
      d.loginFailuresPerAddress,
      count,
    ),
    loginFailureWindowSeconds: env.int(
      'LOGIN_FAILURE_WINDOW_SECONDS',
      d.loginFailureWindowSeconds,
      { min: 1, max: 86_400 },
    ),
  };
}

export interface AccountsConfig extends HttpFunctionConfig {
  /** Created (or promoted) at start when both are set. */
  admin?: { email: string; password: string };
  limits: AuthLimits;
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
    limits: readAuthLimits(env),
  };
}
