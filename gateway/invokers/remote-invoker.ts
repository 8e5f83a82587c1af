import { ConfigError } from '../../shared/config/env-reader.js';
import { LambdaInvokeClient } from '../../shared/lambda/lambda-invoke-client.js';
import type { GatewayConfig } from '../config.js';
import type { FunctionInvoker } from './function-invoker.js';
import { HttpInvoker } from './http-invoker.js';
import { LambdaInvokeInvoker } from './lambda-invoke-invoker.js';

/** The invoker for a gateway whose functions run elsewhere (`http` or `lambda`). */
export function createRemoteInvoker(config: GatewayConfig): FunctionInvoker {
  if (config.invoker === 'http') return new HttpInvoker(config.functionUrls);
  if (config.invoker === 'lambda') {
    const client = new LambdaInvokeClient({
      timeoutMs: 10_000,
      ...(config.lambdaEndpoint ? { endpoint: config.lambdaEndpoint } : {}),
    });
    return new LambdaInvokeInvoker(client, (fn) => `${config.lambdaNamePrefix}${fn}`);
  }
  throw new ConfigError([
    'FUNCTION_INVOKER=in-process needs the functions in this process; use http or lambda here',
  ]);
}
