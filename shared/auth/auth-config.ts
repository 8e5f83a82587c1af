import type { RuntimeConfig } from '../config/config.js';
import type { EnvReader } from '../config/env-reader.js';
import { LOCAL_JWT_SECRET } from '../config/local-defaults.js';

export interface AuthConfig {
  /** HS256 signing secret, at least 32 characters. */
  jwtSecret: string;
  issuer: string;
  audience: string;
  tokenTtlSeconds: number;
}

export function readAuthConfig(env: EnvReader, runtime: RuntimeConfig): AuthConfig {
  // The published local secret outside production only; there JWT_SECRET must be set.
  const jwtSecret = env.string(
    'JWT_SECRET',
    runtime.nodeEnv === 'production' ? undefined : LOCAL_JWT_SECRET,
  );
  if (jwtSecret && jwtSecret.length < 32) env.report('JWT_SECRET must be at least 32 characters');
  return {
    jwtSecret,
    issuer: env.string('JWT_ISSUER', 'orderly'),
    audience: env.string('JWT_AUDIENCE', 'orderly-api'),
    tokenTtlSeconds: env.int('JWT_TTL_SECONDS', 3600, { min: 60, max: 7 * 24 * 3600 }),
  };
}
