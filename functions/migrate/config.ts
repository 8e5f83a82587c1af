import {
  type MongoConfig,
  type RuntimeConfig,
  readMongoConfig,
  readRuntimeConfig,
} from '../../shared/config/config.js';
import type { EnvReader } from '../../shared/config/env-reader.js';

export interface MigrateConfig {
  runtime: RuntimeConfig;
  mongo: MongoConfig;
}

export function readMigrateConfig(env: EnvReader): MigrateConfig {
  const runtime = readRuntimeConfig(env);
  return { runtime, mongo: readMongoConfig(env, runtime) };
}
