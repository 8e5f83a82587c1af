import type { EnvReader } from '../../shared/config/env-reader.js';
import {
  readWorkflowFunctionConfig,
  type WorkflowFunctionConfig,
} from '../../shared/workflow-function/workflow-function-config.js';

export interface PaymentsConfig extends WorkflowFunctionConfig {
  provider: 'test';
}

export function readPaymentsConfig(env: EnvReader): PaymentsConfig {
  return {
    ...readWorkflowFunctionConfig(env, 'orderly-payments'),
    // The provider port has one adapter so far; a real provider adds its name here.
    provider: env.oneOf('PAYMENT_PROVIDER', ['test'] as const, 'test'),
  };
}
