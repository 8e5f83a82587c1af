import {
  type Context,
  context,
  createContextKey,
  propagation,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { loadConfig } from '../config/config.js';
import { ORDER_ID_ATTRIBUTE } from './attributes.js';
import { readTelemetryConfig, type TelemetryConfig } from './telemetry-config.js';
import type { TracingSdk } from './tracing-sdk.js';

/**
 * Tracing for every process and function. Off unless OTEL_TRACES_EXPORTER names an exporter:
 * then the SDK is never loaded, every span below is the API's no-op span, and no header is
 * written, so telemetry off costs a few function calls per step (`npm run bench -- tracing`).
 * On, the SDK (tracing-sdk.ts) is imported once, before the process serves: entry points
 * await `startTracing`, or `telemetryReady` (telemetry.ts).
 *
 * One tracer provider per component (gateway, orders, order-saga, inventory, …), each with its
 * own `service.name`, because in `npm start` they all share one process and a trace viewer
 * should still show which component did what. Spans made by shared code (database commands,
 * gRPC calls, publishes) are attributed to the component whose span is active.
 */
interface Tracing {
  config: TelemetryConfig;
  ready: Promise<void>;
  sdk?: TracingSdk;
}

let tracing: Tracing | undefined;
const COMPONENT = createContextKey('orderly.component');

/** Starts tracing with `config` (once per process; later calls wait for the first). */
export function startTracing(config: TelemetryConfig): Promise<void> {
  if (tracing) return tracing.ready;
  const started: Tracing = { config, ready: Promise.resolve() };
  tracing = started;
  if (config.traces !== 'none') {
    started.ready = import('./tracing-sdk.js').then(({ installTracing }) => {
      started.sdk = installTracing(config);
    });
  }
  return started.ready;
}

/** Starts tracing as the environment says (OTEL_TRACES_EXPORTER), once. */
export function startTracingFromEnv(): Promise<void> {
  return tracing?.ready ?? startTracing(loadConfig(readTelemetryConfig));
}

function sdk(): TracingSdk | undefined {
  return tracing?.sdk;
}

/** True once spans are recorded and exported (tracing on, its SDK loaded). */
export function tracingEnabled(): boolean {
  return sdk() !== undefined;
}

/** The tracer of one component; a no-op tracer while tracing is off. */
export function tracerFor(component: string): Tracer {
  const loaded = sdk();
  return loaded ? loaded.providerFor(component).getTracer('orderly') : trace.getTracer(component);
}

/** The loaded SDK, for the request tracing of HTTP apps (http-tracing.ts). */
export function tracingSdk(): TracingSdk | undefined {
  return sdk();
}

/**
 * Names the order that the trace of `ctx` is about: on every span of the trace in this
 * process (open and to come), and in the baggage of the context returned, so the processes
 * the trace goes on to put it on theirs.
 */
export function tagOrder(orderId: string, ctx: Context = context.active()): Context {
  const loaded = sdk();
  const span = trace.getSpan(ctx);
  if (!loaded || !span?.isRecording()) return ctx;
  loaded.orderSpans.tag(span.spanContext().traceId, orderId);
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
  await sdk()?.flush();
}

/** Flushes and stops every provider (graceful shutdown). */
export async function shutdownTracing(): Promise<void> {
  await sdk()?.shutdown();
}
