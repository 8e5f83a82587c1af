import type { EnvReader } from '../../shared/config/env-reader.js';
import {
  readWorkflowFunctionConfig,
  type WorkflowFunctionConfig,
} from '../../shared/workflow-function/workflow-function-config.js';

/**
 * The catalog's Kafka-triggered function: the stock that search sees. Apart from config.ts,
 * so the HTTP function's bundle does not take in the Kafka client this one needs.
 */
export function readCatalogEventsConfig(env: EnvReader): WorkflowFunctionConfig {
  return readWorkflowFunctionConfig(env, 'orderly-catalog-events');
}
