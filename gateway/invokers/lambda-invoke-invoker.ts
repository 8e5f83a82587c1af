import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
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

export interface LambdaInvokeOptions {
  /** The deployed name of a function (`orderly-prod-catalog`). */
  nameOf: (fn: FunctionName) => string;
  /** Another Invoke API than AWS's (serverless-offline's Lambda port locally). */
  endpoint?: string;
  region?: string;
  timeoutMs?: number;
}

/**
 * Calls the functions through the Lambda Invoke API (the AWS SDK, so requests are signed with
 * the gateway's role on AWS) with the API Gateway (HTTP API, payload 2.0) event they would get
 * behind API Gateway. Locally the endpoint is serverless-offline's Lambda port.
 */
export class LambdaInvokeInvoker implements FunctionInvoker {
  private readonly client: LambdaClient;

  constructor(private readonly options: LambdaInvokeOptions) {
    this.client = new LambdaClient({
      region: options.region ?? process.env.AWS_REGION ?? 'eu-west-1',
      maxAttempts: 2,
      ...(options.endpoint
        ? {
            endpoint: options.endpoint,
            // serverless-offline checks no signature; the SDK still wants something to sign with.
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          }
        : {}),
    });
  }

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
    const response = await this.client.send(
      new InvokeCommand({
        FunctionName: this.options.nameOf(fn),
        InvocationType: 'RequestResponse',
        Payload: Buffer.from(JSON.stringify(event)),
      }),
      { abortSignal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) },
    );
    const text = response.Payload ? Buffer.from(response.Payload).toString('utf8') : '';
    if (response.FunctionError) {
      throw new Error(`${fn} failed to run (${response.FunctionError}): ${text.slice(0, 300)}`);
    }
    const result = parseJson(text) as ApiGatewayV2Result;
    const body = result.isBase64Encoded
      ? Buffer.from(result.body ?? '', 'base64').toString('utf8')
      : (result.body ?? '');
    return { statusCode: result.statusCode ?? 200, body: parseJson(body) };
  }
}
