import type { EnvReader } from '../../shared/config/env-reader.js';
import {
  readWorkflowFunctionConfig,
  type WorkflowFunctionConfig,
} from '../../shared/workflow-function/workflow-function-config.js';

export function readNotificationsConfig(env: EnvReader): WorkflowFunctionConfig {
  return readWorkflowFunctionConfig(env, 'orderly-notifications');
}
