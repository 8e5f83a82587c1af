import { type AuthConfig, readAuthConfig } from '../../shared/auth/auth-config.js';
import {
  type MongoConfig,
  type RuntimeConfig,
  readMongoConfig,
  readRuntimeConfig,
} from '../../shared/config/config.js';
import type { EnvReader } from '../../shared/config/env-reader.js';

export interface OrdersConfig {
  runtime: RuntimeConfig;
  mongo: MongoConfig;
  auth: AuthConfig;
}

export function readOrdersConfig(env: EnvReader): OrdersConfig {
  const runtime = readRuntimeConfig(env);
  return { runtime, mongo: readMongoConfig(env, runtime), auth: readAuthConfig(env, runtime) };
}
