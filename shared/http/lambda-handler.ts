import awsLambdaFastify from '@fastify/aws-lambda';
import type { FastifyInstance } from 'fastify';
import type { HttpApp } from './http-app.js';

/** An API Gateway HTTP API handler (payload format 2.0) returning the proxy response. */
export type HttpLambdaHandler = awsLambdaFastify.PromiseHandler<
  unknown,
  awsLambdaFastify.LambdaResponse
>;

/**
 * The Lambda entry point for an HTTP function. The app is built on the first invocation and
 * reused by every later one in the same execution environment, so clients created in `build`
 * live as long as the container; a failed start is retried by the next invocation.
 */
export function createLambdaHandler(build: () => Promise<HttpApp> | HttpApp): HttpLambdaHandler {
  let proxy: Promise<HttpLambdaHandler> | undefined;
  return async (event, context) => {
    if (!proxy) {
      const starting = Promise.resolve(build()).then(async (app) => {
        await app.ready();
        return awsLambdaFastify<unknown>(app as unknown as FastifyInstance, {
          decorateRequest: false,
        }) as HttpLambdaHandler;
      });
      proxy = starting;
      starting.catch(() => {
        if (proxy === starting) proxy = undefined;
      });
    }
    return (await proxy)(event, context);
  };
}
