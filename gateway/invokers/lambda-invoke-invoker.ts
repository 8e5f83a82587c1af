import { randomUUID } from 'node:crypto';
import type { LambdaInvokeClient } from '../../shared/lambda/lambda-invoke-client.js';
import {
  type FunctionInvoker,
  type FunctionName,
  type FunctionRequest,
  type FunctionResponse,
  parseJson,
  queryString,
  requestHeaders,
} from './function-invoker.js';

interface ApiGatewayV2Result {
  statusCode?: number;
  body?: string;
  isBase64Encoded?: boolean;
}

/**
 * Calls the functions through the Lambda Invoke API with the API Gateway (HTTP API, payload
 * 2.0) event they would get behind API Gateway. `nameOf` gives a function's deployed name
 * (`orderly-prod-catalog`).
 */
export class LambdaInvokeInvoker implements FunctionInvoker {
  constructor(
    private readonly client: LambdaInvokeClient,
    private readonly nameOf: (fn: FunctionName) => string,
  ) {}

  async invoke(fn: FunctionName, request: FunctionRequest): Promise<FunctionResponse> {
    const now = new Date();
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: request.path,
      rawQueryString: queryString(request.query).slice(1),
      headers: requestHeaders(request),
      requestContext: {
        accountId: 'offline',
        apiId: 'gateway',
        domainName: 'localhost',
        http: {
          method: request.method,
          path: request.path,
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'orderly-gateway',
        },
        requestId: request.requestId ?? randomUUID(),
        routeKey: '$default',
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
      },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      isBase64Encoded: false,
    };
    const result = parseJson(
      await this.client.invoke(this.nameOf(fn), event),
    ) as ApiGatewayV2Result;
    const body = result.isBase64Encoded
      ? Buffer.from(result.body ?? '', 'base64').toString('utf8')
      : (result.body ?? '');
    return { statusCode: result.statusCode ?? 200, body: parseJson(body) };
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
