import { readInventoryAddress } from '../../shared/config/config.js';
import type { EnvReader } from '../../shared/config/env-reader.js';
import {
  type HttpFunctionConfig,
  readHttpFunctionConfig,
} from '../../shared/http/function-config.js';
import {
  type MediaStorageConfig,
  readMediaStorageConfig,
} from '../../shared/storage/media-storage-config.js';

export interface CatalogConfig extends HttpFunctionConfig {
  /** host:port of the inventory gRPC service (initial stock of new products). */
  inventoryAddress: string;
  /** The media bucket: pictures, catalog files. */
  media: MediaStorageConfig;
}

export function readCatalogConfig(env: EnvReader): CatalogConfig {
  const base = readHttpFunctionConfig(env);
  return {
    ...base,
    inventoryAddress: readInventoryAddress(env, base.runtime),
    media: readMediaStorageConfig(env, base.runtime),
  };
}
