import type { EnvReader } from '../../shared/config/env-reader.js';
import { type MailConfig, readMailConfig } from '../../shared/email/mail-config.js';
import {
  readWorkflowFunctionConfig,
  type WorkflowFunctionConfig,
} from '../../shared/workflow-function/workflow-function-config.js';

export interface NotificationsConfig extends WorkflowFunctionConfig {
  mail: MailConfig;
}

export function readNotificationsConfig(env: EnvReader): NotificationsConfig {
  const base = readWorkflowFunctionConfig(env, 'orderly-notifications');
  return { ...base, mail: readMailConfig(env, base.runtime) };
}
