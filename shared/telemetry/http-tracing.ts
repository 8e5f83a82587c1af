import { context } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { inComponent, tracingSdk } from './tracing.js';

export interface RequestTracingOptions {
  /** The component (service) the spans belong to: `orders`, `gateway`, … */
  component: string;
  /** Routes that start no trace (health checks, metrics, static files). */
  untraced?: (url: string) => boolean;
}

/**
 * A SERVER span per request, continuing the caller's trace from its `traceparent` header
 * (fastify-tracing.ts, loaded with the SDK): Fastify hooks rather than module patching, so it
 * also works in the bundled Lambda functions. Must be called before the app's routes are
 * declared; nothing while tracing is off.
 */
export function traceRequests(app: FastifyInstance, options: RequestTracingOptions): void {
  const sdk = tracingSdk();
  if (!sdk) return;
  const { component, untraced } = options;
  // Marks what follows as this component's work, for the spans shared code starts (database
  // commands, gRPC calls); the plugin's hook below runs inside this context.
  app.addHook('onRequest', (_request, _reply, done) => {
    context.with(inComponent(context.active(), component), done);
  });
  sdk.traceFastify(app, component, untraced);
}
