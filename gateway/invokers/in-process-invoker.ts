import type { HttpApp } from '../../shared/http/http-app.js';
import {
  type FunctionInvoker,
  type FunctionName,
  type FunctionRequest,
  type FunctionResponse,
  parseJson,
  queryString,
  requestHeaders,
} from './function-invoker.js';

/** Calls the function apps living in this process through Fastify's `inject`. */
export class InProcessInvoker implements FunctionInvoker {
  constructor(private readonly apps: Readonly<Record<FunctionName, HttpApp>>) {}

  async invoke(fn: FunctionName, request: FunctionRequest): Promise<FunctionResponse> {
    const response = await this.apps[fn].inject({
      method: request.method,
      url: `${request.path}${queryString(request.query)}`,
      headers: requestHeaders(request),
      ...(request.body !== undefined ? { payload: JSON.stringify(request.body) } : {}),
    });
    return { statusCode: response.statusCode, body: parseJson(response.body) };
  }

  async close(): Promise<void> {
    await Promise.allSettled(Object.values(this.apps).map((app) => app.close()));
  }
}
