import { FastifyOtelInstrumentation } from '@fastify/otel';
import { context } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { inComponent, tracerFor, tracingEnabled } from './tracing.js';

export interface RequestTracingOptions {
  /** The component (service) the spans belong to: `orders`, `gateway`, … */
  component: string;
  /** Routes that start no trace (health checks, metrics, static files). */
  untraced?: (url: string) => boolean;
}

/**
 * A SERVER span per request, continuing the caller's trace from its `traceparent` header,
 * and one span for the route's handler: Fastify's own OpenTelemetry plugin (@fastify/otel),
 * wired in directly rather than through module patching, so it also works in the bundled
 * Lambda functions. Must be called before the app's routes are declared.
 */
export function traceRequests(app: FastifyInstance, options: RequestTracingOptions): void {
  if (!tracingEnabled()) return;
  const { component, untraced } = options;
  // Marks what follows as this component's work, for the spans shared code starts (database
  // commands, gRPC calls); the plugin's hook below runs inside this context.
  app.addHook('onRequest', (_request, _reply, done) => {
    context.with(inComponent(context.active(), component), done);
  });
  const instrumentation = new FastifyOtelInstrumentation({
    registerOnInitialization: false,
    instrumentHooks: false,
    ...(untraced ? { ignorePaths: (route: { url: string }) => untraced(route.url) } : {}),
    requestHook: (span, request) => {
      span.updateName(`${request.method} ${request.routeOptions.url ?? request.url}`);
    },
    // Named after the route it serves, not the plugin that declared it.
    lifecycleHook: (span, { hookName, request }) => {
      if (hookName === 'handler')
        span.updateName(`handle ${request.routeOptions.url ?? request.url}`);
    },
  });
  instrumentation.setTracerProvider({ getTracer: () => tracerFor(component) });
  // What the plugin does itself when it registers on initialisation: applied to this
  // instance now, so every route declared after it is wired.
  (instrumentation.plugin() as (app: FastifyInstance, opts: unknown, done: () => void) => void)(
    app,
    undefined,
    () => undefined,
  );
}
