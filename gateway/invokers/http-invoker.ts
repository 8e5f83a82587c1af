import {
  type FunctionInvoker,
  type FunctionName,
  type FunctionRequest,
  type FunctionResponse,
  parseJson,
  queryString,
  requestHeaders,
} from './function-invoker.js';

/**
 * Calls the functions' HTTP routes: serverless-offline (`http://127.0.0.1:3000`) or an API
 * Gateway URL. One base URL serves every function unless `baseUrls` names one per function.
 */
export class HttpInvoker implements FunctionInvoker {
  constructor(
    private readonly baseUrls: Readonly<Record<FunctionName, string>>,
    private readonly timeoutMs = 10_000,
  ) {}

  async invoke(fn: FunctionName, request: FunctionRequest): Promise<FunctionResponse> {
    const url = `${this.baseUrls[fn].replace(/\/$/, '')}${request.path}${queryString(request.query)}`;
    const response = await fetch(url, {
      method: request.method,
      headers: requestHeaders(request),
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return { statusCode: response.status, body: parseJson(await response.text()) };
  }
}
