import {
  type Context,
  context,
  createContextKey,
  propagation,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { BaggageSpanProcessor } from '@opentelemetry/baggage-span-processor';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '../config/config.js';
import { ORDER_ID_ATTRIBUTE } from './attributes.js';
import { OrderSpans } from './order-spans.js';
import { readTelemetryConfig, type TelemetryConfig } from './telemetry-config.js';

/**
 * Tracing for every process and function. Off unless OTEL_TRACES_EXPORTER names an exporter:
 * then nothing is registered, every span below is the API's no-op span, and no header is
 * written, so telemetry off costs a few function calls per step (`npm run bench -- tracing`).
 *
 * One tracer provider per component (gateway, orders, order-saga, inventory, …), each with its
 * own `service.name`, because in `npm start` they all share one process and a trace viewer
 * should still show which component did what. Spans made by shared code (database commands,
 * gRPC calls, publishes) are attributed to the component whose span is active.
 */
interface Tracing {
  config: TelemetryConfig;
  providers: Map<string, BasicTracerProvider>;
  /** Shared by every provider: an order's spans are spread over its components. */
  orderSpans: OrderSpans;
}

let tracing: Tracing | null | undefined;
const COMPONENT = createContextKey('orderly.component');

/** Starts tracing with `config` (once per process; later calls are ignored). */
export function startTracing(config: TelemetryConfig): void {
  if (tracing !== undefined) return;
  if (config.traces === 'none') {
    tracing = null;
    return;
  }
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  tracing = { config, providers: new Map(), orderSpans: new OrderSpans() };
}

function current(): Tracing | null {
  if (tracing === undefined) startTracing(loadConfig(readTelemetryConfig));
  return tracing ?? null;
}

export function tracingEnabled(): boolean {
  return current() !== null;
}

function exporterFor(config: TelemetryConfig): SpanExporter {
  return config.traces === 'zipkin'
    ? new ZipkinExporter({ url: config.zipkinUrl })
    : new OTLPTraceExporter({ url: config.otlpTracesUrl });
}

/** The tracer of one component; a no-op tracer while tracing is off. */
export function tracerFor(component: string): Tracer {
  const on = current();
  if (!on) return trace.getTracer(component);
  let provider = on.providers.get(component);
  if (!provider) {
    provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        'service.name': `${on.config.namespace}-${component}`,
        'service.namespace': on.config.namespace,
      }),
      spanProcessors: [
        // The order id travels as baggage from where the order is born; this copies it onto
        // every span started under it (database commands, gRPC calls, publishes).
        new BaggageSpanProcessor((key) => key === ORDER_ID_ATTRIBUTE),
        on.orderSpans,
        new BatchSpanProcessor(exporterFor(on.config), {
          scheduledDelayMillis: 500,
          maxQueueSize: 16_384,
          maxExportBatchSize: 1_024,
        }),
      ],
    });
    on.providers.set(component, provider);
  }
  return provider.getTracer('orderly');
}

/**
 * Names the order that the trace of `ctx` is about: on every span of the trace in this
 * process (open and to come), and in the baggage of the context returned, so the processes
 * the trace goes on to put it on theirs.
 */
export function tagOrder(orderId: string, ctx: Context = context.active()): Context {
  const on = current();
  const span = trace.getSpan(ctx);
  if (!on || !span?.isRecording()) return ctx;
  on.orderSpans.tag(span.spanContext().traceId, orderId);
  const baggage = propagation.getBaggage(ctx) ?? propagation.createBaggage();
  return propagation.setBaggage(ctx, baggage.setEntry(ORDER_ID_ATTRIBUTE, { value: orderId }));
}

/** `ctx` with `component` as the one whose work follows (its spans' service). */
export function inComponent(ctx: Context, component: string): Context {
  return ctx.setValue(COMPONENT, component);
}

/** The tracer of the component whose work is active, else of `fallback`. */
export function activeTracer(fallback: string): Tracer {
  const component = context.active().getValue(COMPONENT);
  return tracerFor(typeof component === 'string' ? component : fallback);
}

/** Sends every finished span now: the end of a Lambda invocation, before the sandbox freezes. */
export async function flushTracing(): Promise<void> {
  const on = tracing;
  if (!on) return;
  await Promise.allSettled([...on.providers.values()].map((provider) => provider.forceFlush()));
}

/** Flushes and stops every provider (graceful shutdown). */
export async function shutdownTracing(): Promise<void> {
  const on = tracing;
  if (!on) return;
  await Promise.allSettled([...on.providers.values()].map((provider) => provider.shutdown()));
  on.providers.clear();
}
