import { readInventoryAddress } from '../../shared/config/config.js';
import type { EnvReader } from '../../shared/config/env-reader.js';
import { readWorkflowTimings } from '../../shared/config/workflow-timings.js';
import {
  readWorkflowFunctionConfig,
  type WorkflowFunctionConfig,
} from '../../shared/workflow-function/workflow-function-config.js';
import { type PaymentsConfig, readPaymentsConfig } from '../payments/port.js';

export interface OrderSagaConfig extends WorkflowFunctionConfig {
  inventoryAddress: string;
  reservationTtlSeconds: number;
  payments: PaymentsConfig;
}

export function readOrderSagaConfig(env: EnvReader): OrderSagaConfig {
  const base = readWorkflowFunctionConfig(env, 'orderly-order-saga');
  return {
    ...base,
    inventoryAddress: readInventoryAddress(env, base.runtime),
    reservationTtlSeconds: readWorkflowTimings(env).reservationTtlSeconds,
    payments: readPaymentsConfig(env, base.runtime),
  };
}
