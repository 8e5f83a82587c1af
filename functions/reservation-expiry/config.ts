import { readInventoryAddress } from '../../shared/config/config.js';
import type { EnvReader } from '../../shared/config/env-reader.js';
import { readWorkflowTimings } from '../../shared/config/workflow-timings.js';
import {
  readWorkflowFunctionConfig,
  type WorkflowFunctionConfig,
} from '../../shared/workflow-function/workflow-function-config.js';

export interface OrderSweepsConfig extends WorkflowFunctionConfig {
  inventoryAddress: string;
  /** How long an order may stay PENDING before the repair sweep acts on it (s). */
  repairAfterSeconds: number;
}

export function readOrderSweepsConfig(env: EnvReader): OrderSweepsConfig {
  const base = readWorkflowFunctionConfig(env, 'orderly-reservation-expiry');
  return {
    ...base,
    inventoryAddress: readInventoryAddress(env, base.runtime),
    repairAfterSeconds: readWorkflowTimings(env).repairAfterSeconds,
  };
}
