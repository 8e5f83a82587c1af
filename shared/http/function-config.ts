import { type AuthConfig, readAuthConfig } from '../auth/auth-config.js';
import {
  type MongoConfig,
  type RuntimeConfig,
  readMongoConfig,
  readRuntimeConfig,
} from '../config/config.js';
import type { EnvReader } from '../config/env-reader.js';

/** What every HTTP function reads from its environment: runtime, database, token settings. */
export interface HttpFunctionConfig {
  runtime: RuntimeConfig;
  mongo: MongoConfig;
  auth: AuthConfig;
}

export function readHttpFunctionConfig(env: EnvReader): HttpFunctionConfig {
  const runtime = readRuntimeConfig(env);
  return { runtime, mongo: readMongoConfig(env, runtime), auth: readAuthConfig(env, runtime) };
}
