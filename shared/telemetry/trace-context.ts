import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';

/**
 * W3C trace context as text fields (`traceparent`, `tracestate`, `baggage`): what goes into
 * HTTP headers, Kafka record headers, gRPC metadata, and an outbox entry, so whoever handles
 * the next hop continues the same trace.
 */
export type TraceCarrier = Record<string, string>;

/** The carrier of `ctx`; undefined when there is no trace to continue (tracing off). */
export function carrierOf(ctx: Context = context.active()): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** The context a carrier continues, on top of `base` (`base` itself, when it carries none). */
export function contextOf(
  carrier: Readonly<Record<string, string>> | undefined,
  base: Context = ROOT_CONTEXT,
): Context {
  return carrier ? propagation.extract(base, carrier) : base;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent; the active context when omitted. */
  parent?: Context;
}

/**
 * Runs `work` in a new active span, which records a thrown error (status ERROR, exception
 * event) and ends when `work` settles.
 */
export function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  work: (span: Span, ctx: Context) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(
    name,
    {
      ...(options.kind !== undefined ? { kind: options.kind } : {}),
      ...(options.attributes ? { attributes: options.attributes } : {}),
    },
    parent,
  );
  const ctx = trace.setSpan(parent, span);
  return context.with(ctx, async () => {
    try {
      return await work(span, ctx);
    } catch (err) {
      recordFailure(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Marks a span failed with the error as its exception event. */
export function recordFailure(span: Span, err: unknown): void {
  if (!span.isRecording()) return;
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}
