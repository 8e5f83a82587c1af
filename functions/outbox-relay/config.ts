import type { EnvReader } from '../../shared/config/env-reader.js';
import {
  readWorkflowFunctionConfig,
  type WorkflowFunctionConfig,
} from '../../shared/workflow-function/workflow-function-config.js';

export interface OutboxRelayConfig extends WorkflowFunctionConfig {
  /** How long one scheduled invocation keeps relaying while there is work (ms). */
  budgetMs: number;
}

export function readOutboxRelayConfig(env: EnvReader): OutboxRelayConfig {
  return {
    ...readWorkflowFunctionConfig(env, 'orderly-outbox-relay'),
    budgetMs: env.int('RELAY_BUDGET_MS', 50_000, { min: 1_000, max: 840_000 }),
  };
}
