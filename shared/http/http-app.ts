import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { ErrorCode } from '../errors/catalogue.js';
import { toHttpError } from '../errors/http.js';
import type { Logger } from '../logger/logger.js';
import { traceRequests } from '../telemetry/http-tracing.js';
import { recordInvocation } from '../telemetry/metrics.js';
import { catalogueErrorOf } from './http-errors.js';
import { compileSerializer } from './serializers.js';
import { compileValidator } from './validators.js';

export interface HttpAppOptions {
  logger: Logger;
  /** The component the app is (`orders`, `gateway`): its spans' service and metrics' label. */
  component: string;
  /** Routes that start no trace (health checks, static files). */
  untraced?: (url: string) => boolean;
  /** Largest accepted request body, in bytes. */
  bodyLimit?: number;
  /**
   * Addresses (or CIDR ranges) of the proxies in front of this server whose X-Forwarded-For
   * is believed, so that `request.ip` is the client's; none by default.
   */
  trustedProxies?: readonly string[];
}

export const REQUEST_ID_HEADER = 'x-request-id';

function fastifyWithTypeBox(options: HttpAppOptions) {
  return Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    ...(options.trustedProxies?.length ? { trustProxy: [...options.trustedProxies] } : {}),
    requestIdHeader: REQUEST_ID_HEADER,
    genReqId: () => randomUUID(),
    // One line per request, written in onResponse below, instead of Fastify's two.
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: true,
    }),
  }).withTypeProvider<TypeBoxTypeProvider>();
}

/** A Fastify app whose routes take TypeBox schemas and infer their types from them. */
export type HttpApp = ReturnType<typeof fastifyWithTypeBox>;

/**
 * The base of every HTTP function: request ids (taken from `x-request-id` or made up, bound to
 * every log line as `requestId` and echoed in the response), a body size limit, and one
 * error format: `{ error: { code, message, details } }` with the catalogue's HTTP status,
 * validation failures naming the offending field, and no internals on a 500.
 */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const app = fastifyWithTypeBox(options);
  app.setValidatorCompiler(compileValidator);
  app.setSerializerCompiler(compileSerializer);
  traceRequests(app as unknown as FastifyInstance, {
    component: options.component,
    untraced: options.untraced ?? ((url) => url === '/health'),
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    recordInvocation(options.component, reply.elapsedTime / 1000, reply.statusCode >= 500);
    // Debug, not info: a line per request costs more than a listing's own work in `npm start`
    // (a pretty-printed, synchronous write), and on AWS the platform logs every invocation.
    request.log.debug(
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request done',
    );
  });

  app.setErrorHandler((err, request, reply) => {
    const { status, body, error } = toHttpError(catalogueErrorOf(err));
    if (error.code === ErrorCode.INTERNAL) request.log.error({ err }, 'request failed');
    else request.log.info({ code: error.code, message: error.message }, 'request refused');
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: {
        code: ErrorCode.NOT_FOUND,
        message: `No route for ${request.method} ${request.url}`,
      },
    }),
  );
  return app;
}
