import type { EnvReader } from '../../shared/config/env-reader.js';
import {
  type HttpFunctionConfig,
  readHttpFunctionConfig,
} from '../../shared/http/function-config.js';

export type CartsConfig = HttpFunctionConfig;

/** The carts function's configuration: runtime, database and token checks. */
export function readCartsConfig(env: EnvReader): CartsConfig {
  return readHttpFunctionConfig(env);
}
