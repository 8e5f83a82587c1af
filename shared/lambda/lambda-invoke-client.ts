import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

export interface LambdaInvokeClientOptions {
  /** Another Invoke API than AWS's: serverless-offline's Lambda port locally. */
  endpoint?: string;
  region?: string;
  timeoutMs?: number;
}

/**
 * Synchronous Lambda invocations through the AWS SDK: signed with the caller's role on AWS,
 * and the same calls against serverless-offline's Invoke API locally.
 */
export class LambdaInvokeClient {
  private readonly client: LambdaClient;
  private readonly timeoutMs: number;

  constructor(options: LambdaInvokeClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
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

  /** Runs `functionName` with `payload` and returns its result as text; rejects if it failed. */
  async invoke(functionName: string, payload: unknown): Promise<string> {
    const response = await this.client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
      { abortSignal: AbortSignal.timeout(this.timeoutMs) },
    );
    const text = response.Payload ? Buffer.from(response.Payload).toString('utf8') : '';
    if (response.FunctionError) {
      throw new Error(`${functionName} failed (${response.FunctionError}): ${text.slice(0, 500)}`);
    }
    return text;
  }

  close(): void {
    this.client.destroy();
  }
}
