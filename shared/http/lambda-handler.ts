import awsLambdaFastify from '@fastify/aws-lambda';
import type { FastifyInstance } from 'fastify';
import { lazyResource } from '../lambda/lazy-resource.js';
import { flushTelemetryOnLambda, telemetryReady } from '../telemetry/telemetry.js';
import type { HttpApp } from './http-app.js';

type Proxy = awsLambdaFastify.PromiseHandler<unknown, awsLambdaFastify.LambdaResponse>;

/** An API Gateway HTTP API handler (payload format 2.0), plus `close()` for an orderly stop. */
export type HttpLambdaHandler = Proxy & {
  /** Closes the app (and through its onClose hooks, its clients) if it was built. */
  close(): Promise<void>;
};

/**
 * An app whose clients are still connecting: the handler serves only once `connected` has
 * resolved, which it awaits after the app is ready, so the two overlap on a cold start.
 */
export interface StartingApp {
  app: HttpApp;
  connected: Promise<unknown>;
}

function isStarting(built: HttpApp | StartingApp): built is StartingApp {
  return 'connected' in built && 'app' in built;
}

/**
 * The Lambda entry point for an HTTP function. The app is built on the first invocation and
 * reused by every later one in the same execution environment, so clients created in `build`
 * live as long as the container; a failed start is retried by the next invocation.
 */
export function createLambdaHandler(
  build: () => Promise<HttpApp | StartingApp> | HttpApp | StartingApp,
): HttpLambdaHandler {
  const started = lazyResource(
    async () => {
      // Before the app is built: its request tracing is wired in as it is made.
      await telemetryReady();
      const built = await build();
      const { app, connected } = isStarting(built) ? built : { app: built, connected: null };
      try {
        await app.ready();
        await connected;
      } catch (err) {
        await app.close().catch(() => undefined);
        throw err;
      }
      const proxy = awsLambdaFastify<unknown>(app as unknown as FastifyInstance, {
        decorateRequest: false,
      }) as Proxy;
      return { app, proxy };
    },
    ({ app }) => app.close(),
  );
  const handler = (async (event, context) => {
    try {
      return await (await started.get()).proxy(event, context);
    } finally {
      await flushTelemetryOnLambda();
    }
  }) as HttpLambdaHandler;
  handler.close = () => started.close();
  return handler;
}
