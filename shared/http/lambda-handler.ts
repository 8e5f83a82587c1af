import awsLambdaFastify from '@fastify/aws-lambda';
import type { FastifyInstance } from 'fastify';
import { lazyResource } from '../lambda/lazy-resource.js';
import type { HttpApp } from './http-app.js';

type Proxy = awsLambdaFastify.PromiseHandler<unknown, awsLambdaFastify.LambdaResponse>;

/** An API Gateway HTTP API handler (payload format 2.0), plus `close()` for an orderly stop. */
export type HttpLambdaHandler = Proxy & {
  /** Closes the app (and through its onClose hooks, its clients) if it was built. */
  close(): Promise<void>;
};

/**
 * The Lambda entry point for an HTTP function. The app is built on the first invocation and
 * reused by every later one in the same execution environment, so clients created in `build`
 * live as long as the container; a failed start is retried by the next invocation.
 */
export function createLambdaHandler(build: () => Promise<HttpApp> | HttpApp): HttpLambdaHandler {
  const started = lazyResource(
    async () => {
      const app = await build();
      await app.ready();
      const proxy = awsLambdaFastify<unknown>(app as unknown as FastifyInstance, {
        decorateRequest: false,
      }) as Proxy;
      return { app, proxy };
    },
    ({ app }) => app.close(),
  );
  const handler = (async (event, context) =>
    (await started.get()).proxy(event, context)) as HttpLambdaHandler;
  handler.close = () => started.close();
  return handler;
}
