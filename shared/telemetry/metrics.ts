import type { Attributes } from '@opentelemetry/api';
import { loadConfig } from '../config/config.js';
import type { Instruments, Metrics } from './metrics-sdk.js';
import { readTelemetryConfig, type TelemetryConfig } from './telemetry-config.js';

/**
 * The platform's metrics, one instrument per question an operator asks (metrics-sdk.ts).
 * Names follow OpenTelemetry's dotted style; Prometheus sees them as `orderly_checkouts_total`,
 * … The SDK is loaded once, before the process serves (`startMetrics`, `telemetryReady`);
 * until then, and with OTEL_METRICS_EXPORTER=none, recording does nothing.
 */
interface MetricsState {
  ready: Promise<void>;
  metrics?: Metrics;
}

let state: MetricsState | undefined;

/** Starts metrics with `config` (once per process; later calls wait for the first). */
export function startMetrics(config: TelemetryConfig): Promise<void> {
  if (state) return state.ready;
  const started: MetricsState = { ready: Promise.resolve() };
  state = started;
  if (config.metrics !== 'none') {
    started.ready = import('./metrics-sdk.js').then(({ installMetrics }) => {
      started.metrics = installMetrics(config);
    });
  }
  return started.ready;
}

/** Starts metrics as the environment says (OTEL_METRICS_EXPORTER), once. */
export function startMetricsFromEnv(): Promise<void> {
  return state?.ready ?? startMetrics(loadConfig(readTelemetryConfig));
}

function instruments(): Instruments | undefined {
  return state?.metrics?.instruments;
}

/** One invocation of `fn`, how long it took, and whether it failed. */
export function recordInvocation(fn: string, seconds: number, failed: boolean): void {
  const found = instruments();
  if (!found) return;
  const attributes: Attributes = { function: fn };
  found.invocations.add(1, attributes);
  if (failed) found.errors.add(1, attributes);
  found.duration.record(seconds, attributes);
}

/** An order reached a final status (counted by the one write that moved it there). */
export function recordCheckoutFinished(status: string, reason: string | null): void {
  instruments()?.checkouts.add(1, { status, reason: reason ?? 'none' });
}

export function recordReservation(outcome: 'granted' | 'refused'): void {
  instruments()?.reservations.add(1, { outcome });
}

export function recordDeadLetters(topic: string, reason: string, count: number): void {
  instruments()?.deadLetters.add(count, { topic, reason });
}

export function recordConsumerLag(
  group: string,
  topic: string,
  partition: number,
  lag: number,
): void {
  instruments()?.consumerLag.record(lag, { group, topic, partition });
}

/** Every metric in Prometheus' text format; null unless metrics are kept for pulling. */
export async function prometheusText(): Promise<string | null> {
  await startMetricsFromEnv();
  const exporter = state?.metrics?.prometheus;
  if (!exporter) return null;
  const { serializePrometheus } = await import('./metrics-sdk.js');
  return serializePrometheus(exporter);
}

/** Exports what pushed metrics have gathered (the end of a Lambda invocation). */
export async function flushMetrics(): Promise<void> {
  await state?.metrics?.provider.forceFlush().catch(() => undefined);
}

export async function shutdownMetrics(): Promise<void> {
  await state?.metrics?.provider.shutdown().catch(() => undefined);
}
