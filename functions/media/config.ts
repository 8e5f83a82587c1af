import type { EnvReader } from '../../shared/config/env-reader.js';
import {
  type MediaStorageConfig,
  readMediaStorageConfig,
} from '../../shared/storage/media-storage-config.js';
import {
  readWorkflowFunctionConfig,
  type WorkflowFunctionConfig,
} from '../../shared/workflow-function/workflow-function-config.js';

export interface MediaConfig extends WorkflowFunctionConfig {
  media: MediaStorageConfig;
}

export function readMediaConfig(env: EnvReader): MediaConfig {
  const base = readWorkflowFunctionConfig(env, 'orderly-media');
  return { ...base, media: readMediaStorageConfig(env, base.runtime) };
}
