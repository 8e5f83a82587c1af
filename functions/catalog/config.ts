import { type AuthConfig, readAuthConfig } from '../../shared/auth/auth-config.js';
import {
  type MongoConfig,
  type RuntimeConfig,
  readMongoConfig,
  readRuntimeConfig,
} from '../../shared/config/config.js';
import type { EnvReader } from '../../shared/config/env-reader.js';

export interface CatalogConfig {
  runtime: RuntimeConfig;
  mongo: MongoConfig;
  auth: AuthConfig;
  /** host:port of the inventory gRPC service (initial stock of new products). */
  inventoryAddress: string;
}

export function readCatalogConfig(env: EnvReader): CatalogConfig {
  const runtime = readRuntimeConfig(env);
  return {
    runtime,
    mongo: readMongoConfig(env, runtime),
    auth: readAuthConfig(env, runtime),
    inventoryAddress: env.string(
      'INVENTORY_ADDR',
      runtime.nodeEnv === 'production' ? undefined : '127.0.0.1:50051',
    ),
  };
}
