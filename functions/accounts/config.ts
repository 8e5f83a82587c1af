import type { EnvReader } from '../../shared/config/env-reader.js';
import { readShopConfig } from '../../shared/email/mail-config.js';
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
  /**
   * Wrong passwords free of delay for one account from one client address, and for one client
   * address over every account; after them each try waits 1, 2, 4 … seconds.
   */
  loginFailuresPerAccount: number;
  loginFailuresPerAddress: number;
  /** The longest of those delays, and how long after the last failure the count is forgotten. */
  loginFailureWindowSeconds: number;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  authAttemptsPerMinute: 600,
  registrationsPerMinute: 300,
  loginFailuresPerAccount: 5,
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
  /** Created at start when both are set and no account holds the email. */
  admin?: { email: string; password: string };
  limits: AuthLimits;
  /** The shop's name and storefront address, for the links in account mails. */
  shop: { name: string; url: string };
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
    shop: (({ shopName, shopUrl }) => ({ name: shopName, url: shopUrl }))(
      readShopConfig(env, base.runtime),
    ),
  };
}
