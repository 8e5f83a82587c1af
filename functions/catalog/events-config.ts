import { readInventoryAddress } from '../../shared/config/config.js';
import type { EnvReader } from '../../shared/config/env-reader.js';
import {
  type MediaStorageConfig,
  readMediaStorageConfig,
} from '../../shared/storage/media-storage-config.js';
import {
  readWorkflowFunctionConfig,
  type WorkflowFunctionConfig,
} from '../../shared/workflow-function/workflow-function-config.js';

/**
 * The catalog's Kafka-triggered function: the stock that search sees, and catalog imports
 * (which read their file from the media bucket and give new SKUs their first stock). Apart
 * from config.ts, so the HTTP function's bundle does not take in the Kafka client.
 */
export interface CatalogEventsConfig extends WorkflowFunctionConfig {
  inventoryAddress: string;
  media: MediaStorageConfig;
}

export function readCatalogEventsConfig(env: EnvReader): CatalogEventsConfig {
  const base = readWorkflowFunctionConfig(env, 'orderly-catalog-events');
  return {
    ...base,
    inventoryAddress: readInventoryAddress(env, base.runtime),
    media: readMediaStorageConfig(env, base.runtime),
  };
}
