import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import mercurius from 'mercurius';
import { badUserInput, notFound, unauthenticated } from '../shared/errors/catalogue.js';
import { forwardClient } from '../shared/http/client-address.js';
import { createHttpApp, type HttpApp } from '../shared/http/http-app.js';
import type { Logger } from '../shared/logger/logger.js';
import { prometheusText } from '../shared/telemetry/metrics.js';
import { clientAddressOf } from './client-address.js';
import type { GatewayContext, StockReader } from './context.js';
import { createErrorFormatter } from './errors.js';
import { FunctionClient } from './function-client.js';
import { registerGraphQLOverHttp } from './graphql-over-http.js';
import { traceGraphqlOperations } from './graphql-tracing.js';
import type { FunctionInvoker } from './invokers/function-invoker.js';
import { validationRules } from './limits.js';
import { loaders, resolvers } from './resolvers.js';
import { registerSecurityHeaders } from './security-headers.js';
import type { GatewaySettings } from './settings.js';
import { serveStorefront } from './storefront.js';
import {
  registerSocketLimits,
  type SocketAllowance,
  subscriptionGuard,
} from './subscription-limits.js';
import { subscriptionResolvers } from './subscriptions.js';

/** Whether a request may read `/metrics`: with its token, or openly on a developer's machine. */
function metricsAllowed(settings: GatewaySettings, authorization: string | undefined): boolean {
  if (!settings.metricsToken) return settings.openMetrics;
  const given = Buffer.from(authorization ?? '');
  const expected = Buffer.from(`Bearer ${settings.metricsToken}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The public contract (`schema/storefront.graphql`), kept exactly as published. */
export const SCHEMA_PATH = new URL('./schema/storefront.graphql', import.meta.url);
/** What the gateway adds to the contract (new types and fields only). */
export const EXTENSIONS_PATH = new URL('./schema/extensions.graphql', import.meta.url);

/** The served schema: the contract and its extensions. */
export function servedSchema(): string {
  return `${readFileSync(SCHEMA_PATH, 'utf8')}\n${readFileSync(EXTENSIONS_PATH, 'utf8')}`;
}

export interface GatewayDeps {
  logger: Logger;
  invoker: FunctionInvoker;
  stock: StockReader;
  settings: GatewaySettings;
  /** Compile queries to JavaScript after this many runs (0: never), and cache parsed queries. */
  jit?: number;
  queryCache?: number | false;
  /** Serve subscriptions over WebSocket (server mode; a Lambda function cannot hold sockets). */
  subscriptions?: boolean;
  /**
   * The secret the functions share (JWT_SECRET): with it, each call carries the client's
   * address, signed, so the functions' per-client limits count clients, not the gateway.
   */
  hopSecret?: string;
  /** The built storefront's folder (`frontend/dist`), served at `/`; none: API only. */
  storefrontRoot?: string;
  /** Where the storefront reads pictures from and uploads them to (object storage). */
  storefrontOrigins?: readonly string[];
}

/**
 * The GraphQL gateway: Mercurius serving the storefront contract at `/graphql` (POST, and GET
 * for queries), resolving every field through the functions and inventory, with query
 * limits, a body size limit and a per-client rate limit applied before anything is called.
 */
export async function buildGateway(deps: GatewayDeps): Promise<HttpApp> {
  const { settings } = deps;
  const app = createHttpApp({
    component: 'gateway',
    // The API is traced; health checks, metrics and the storefront's files are not.
    untraced: (url) => !url.startsWith('/graphql'),
    logger: deps.logger,
    bodyLimit: settings.bodyLimit,
    trustedProxies: settings.trustedProxies,
  });
  const clientOf = (request: FastifyRequest) => clientAddressOf(request, settings.viewerAddress);
  await app.register(rateLimit, {
    max: settings.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: clientOf,
    // The API is limited; the storefront's static files cost nothing to serve.
    allowList: (request) => !request.url.startsWith('/graphql'),
  });

  // Before any route: helmet's headers go on every answer (the API's too).
  await registerSecurityHeaders(app as unknown as FastifyInstance, deps.storefrontOrigins ?? []);

  // Liveness for load balancers and container health checks; not rate limited, never calls out.
  app.get('/health', { config: { rateLimit: false } }, async () => ({ status: 'ok' }));

  // Prometheus scrapes the platform's metrics here (OTEL_METRICS_EXPORTER=prometheus, the
  // default of a server); 404 where metrics go elsewhere (EMF on Lambda, OTLP).
  app.get('/metrics', { config: { rateLimit: false } }, async (request, reply) => {
    if (!metricsAllowed(settings, request.headers.authorization)) {
      throw settings.metricsToken
        ? unauthenticated('/metrics needs its token: Authorization: Bearer <METRICS_TOKEN>')
        : notFound('Metrics are served here only with METRICS_TOKEN set');
    }
    const text = await prometheusText();
    if (text === null)
      throw notFound('Metrics are not kept for pulling here (OTEL_METRICS_EXPORTER)');
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
  });

  // Batches are off unless configured, and bounded when on: refuse before parsing any of it.
  app.addHook('preHandler', async (request) => {
    if (request.url.startsWith('/graphql') && Array.isArray(request.body)) {
      if (settings.maxBatch === 0) throw badUserInput('Batched queries are not accepted here');
      if (request.body.length > settings.maxBatch) {
        throw badUserInput(`A batch may hold at most ${settings.maxBatch} queries`);
      }
    }
  });

  registerGraphQLOverHttp(app);
  if (deps.subscriptions) {
    await registerSocketLimits(app as unknown as FastifyInstance, {
      ...settings.subscriptions,
      maxMessageBytes: settings.bodyLimit,
    });
  }
  await app.register(mercurius, {
    schema: servedSchema(),
    resolvers: deps.subscriptions
      ? { ...resolvers, Subscription: subscriptionResolvers(deps.invoker, deps.stock) }
      : resolvers,
    ...(deps.subscriptions
      ? {
          subscription: {
            // The token comes in the upgrade request's Authorization header or in the
            // connection_init payload (`{ "authorization": "Bearer ..." }`), as browsers prefer.
            context: (_socket: unknown, request: { headers: Record<string, unknown> }) => ({
              authorization: request.headers.authorization,
              // One per connection: the subscriptions it runs (subscription-limits.ts).
              socketAllowance: { active: new Set<string>() },
            }),
            onConnect: ({ payload }: { payload?: { authorization?: unknown } }) =>
              typeof payload?.authorization === 'string'
                ? { authorization: payload.authorization }
                : {},
          },
        }
      : {}),
    loaders,
    path: '/graphql',
    graphiql: settings.graphiql,
    queryDepth: settings.limits.maxDepth,
    validationRules: validationRules(settings.limits),
    allowBatchedQueries: settings.maxBatch > 0,
    jit: deps.jit ?? 1,
    cache: deps.queryCache ?? 1_024,
    errorFormatter: createErrorFormatter(deps.logger, {
      suggestions: settings.limits.suggestions,
    }),
    context: (request) => {
      const authorization = request.headers.authorization;
      const context: GatewayContext = {
        functions: new FunctionClient(deps.invoker, {
          ...(authorization ? { authorization } : {}),
          requestId: request.id,
          ...(deps.hopSecret
            ? { forwardedClient: forwardClient(deps.hopSecret, clientOf(request), request.id) }
            : {}),
        }),
        stock: deps.stock,
        logger: request.log as Logger,
        authorization,
      };
      return context;
    },
  });
  if (deps.subscriptions) {
    const guard = subscriptionGuard(settings.limits, {
      ...settings.subscriptions,
      maxMessageBytes: settings.bodyLimit,
    });
    app.graphql.addHook('preSubscriptionParsing', (schema, source, context, id) =>
      guard(schema, source, context as never, id),
    );
    app.graphql.addHook('onSubscriptionEnd', async (context, id) => {
      (context as { socketAllowance?: SocketAllowance }).socketAllowance?.active.delete(String(id));
    });
  }
  traceGraphqlOperations(app as unknown as FastifyInstance);
  if (deps.storefrontRoot) {
    await serveStorefront(app, deps.storefrontRoot);
  }
  return app;
}
