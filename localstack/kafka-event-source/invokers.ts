import { pathToFileURL } from 'node:url';
import type { LambdaKafkaEvent } from '../../shared/kafka-function/lambda-kafka-event.js';
import type { LambdaInvokeClient } from '../../shared/lambda/lambda-invoke-client.js';
import type { EventSourceMapping } from './event-source-mappings.js';

/** Calls a function with one batch; rejects when the function failed. */
export interface Invoker {
  invoke(functionName: string, event: LambdaKafkaEvent): Promise<unknown>;
}

export type KafkaHandlerFunction = (event: LambdaKafkaEvent) => Promise<unknown>;

/** Invokes handlers living in this process (the embedded mode and the tests). */
export class InProcessInvoker implements Invoker {
  constructor(private readonly handlers: Readonly<Record<string, KafkaHandlerFunction>>) {}

  invoke(functionName: string, event: LambdaKafkaEvent): Promise<unknown> {
    const handler = this.handlers[functionName];
    if (!handler) return Promise.reject(new Error(`no in-process handler for ${functionName}`));
    return handler(event);
  }
}

/**
 * Imports the handler modules that serverless.yml names (`functions/x/lambda.handler` is the
 * export `handler` of `functions/x/lambda.ts`), for the embedded mode.
 */
export async function importHandlers(
  serviceDir: string,
  mappings: readonly EventSourceMapping[],
): Promise<Record<string, KafkaHandlerFunction>> {
  const handlers: Record<string, KafkaHandlerFunction> = {};
  for (const { functionName, handler } of mappings) {
    if (handlers[functionName]) continue;
    const dot = handler.lastIndexOf('.');
    const modulePath = `${serviceDir}/${handler.slice(0, dot)}.ts`;
    const module = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
    const exported = module[handler.slice(dot + 1)];
    if (typeof exported !== 'function') throw new Error(`${handler} is not a function`);
    handlers[functionName] = exported as KafkaHandlerFunction;
  }
  return handlers;
}

/**
 * Invokes functions through the Lambda Invoke API, as served by serverless-offline (port 3002
 * by default) or by AWS itself. `nameOf` maps a function key to its deployed name
 * (`orderly-local-order-saga`).
 */
export class LambdaInvokeApiInvoker implements Invoker {
  constructor(
    private readonly client: LambdaInvokeClient,
    private readonly nameOf: (functionName: string) => string = (name) => name,
  ) {}

  async invoke(functionName: string, event: LambdaKafkaEvent): Promise<unknown> {
    const text = await this.client.invoke(this.nameOf(functionName), event);
    return text ? JSON.parse(text) : null;
  }
}
