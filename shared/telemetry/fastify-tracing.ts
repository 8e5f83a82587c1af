import {
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

interface RequestTrace {
  span: Span;
  context: Context;
}

/**
 * One SERVER span per request, continuing the caller's trace from its `traceparent` header
 * (or the active trace, for a request injected in process), named after the route
 * (`POST /orders`), with OpenTelemetry's HTTP attributes; a 5xx or a thrown error marks it
 * failed. The route's handler runs in the span's context: Fastify calls it from the body
 * parser's stream events, which would otherwise run in the context of the socket.
 *
 * Written here rather than taken from @fastify/otel: that plugin builds on
 * @opentelemetry/instrumentation, whose base class installs a require hook for the whole
 * process as soon as one instrumentation is made, and under that hook every later `require`
 * resolved its caller's stack trace: it cost the platform more CPU than the tracing SDK itself
 * (docs/decisions.md).
 */
export function traceFastifyRequests(
  app: FastifyInstance,
  tracer: Tracer,
  untraced?: (url: string) => boolean,
): void {
  const traces = new WeakMap<FastifyRequest, RequestTrace>();

  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (untraced?.(route ?? request.url)) return done();
    const active = context.active();
    const parent = trace.getSpan(active) ? active : propagation.extract(active, request.headers);
    const span = tracer.startSpan(
      `${request.method} ${route ?? request.url}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.url.split('?')[0] ?? request.url,
          ...(route ? { 'http.route': route } : {}),
        },
      },
      parent,
    );
    const traced = { span, context: trace.setSpan(parent, span) };
    traces.set(request, traced);
    context.with(traced.context, done);
  });

  app.addHook('onRoute', (routeOptions) => {
    const handler = routeOptions.handler;
    routeOptions.handler = function tracedHandler(this: FastifyInstance, request, reply) {
      const traced = traces.get(request);
      return traced
        ? context.with(traced.context, () => handler.call(this, request, reply))
        : handler.call(this, request, reply);
    };
  });

  app.addHook('onError', (request, _reply, error, done) => {
    traces.get(request)?.span.recordException(error);
    done();
  });

  app.addHook('onResponse', (request, reply, done) => {
    const traced = traces.get(request);
    if (traced) {
      traced.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) traced.span.setStatus({ code: SpanStatusCode.ERROR });
      traced.span.end();
      traces.delete(request);
    }
    done();
  });
}
