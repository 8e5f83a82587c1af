import type { Attributes, Counter, Gauge, Histogram } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  MeterProvider,
  type MetricReader,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { loadConfig } from '../config/config.js';
import { EmfMetricExporter } from './emf-exporter.js';
import { readTelemetryConfig, type TelemetryConfig } from './telemetry-config.js';

/**
 * The platform's metrics, one instrument per question an operator asks. Names follow
 * OpenTelemetry's dotted style; Prometheus sees them as `orderly_checkouts_total`, …
 */
interface Instruments {
  invocations: Counter;
  errors: Counter;
  duration: Histogram;
  checkouts: Counter;
  reservations: Counter;
  deadLetters: Counter;
  consumerLag: Gauge;
}

interface Metrics {
  provider: MeterProvider;
  instruments: Instruments;
  /** The pull reader behind the gateway's `/metrics` (prometheus mode). */
  prometheus?: PrometheusExporter;
}

let metrics: Metrics | null | undefined;

function readerFor(config: TelemetryConfig): {
  reader: MetricReader;
  prometheus?: PrometheusExporter;
} {
  if (config.metrics === 'prometheus') {
    const prometheus = new PrometheusExporter({ preventServerStart: true });
    return { reader: prometheus, prometheus };
  }
  if (config.metrics === 'emf') {
    // Flushed at the end of each Lambda invocation: the interval only bounds a long one.
    return {
      reader: new PeriodicExportingMetricReader({
        exporter: new EmfMetricExporter(),
        exportIntervalMillis: config.metricsIntervalMs,
      }),
    };
  }
  return {
    reader: new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({
        url: config.otlpMetricsUrl,
        temporalityPreference: AggregationTemporality.CUMULATIVE,
      }),
      exportIntervalMillis: config.metricsIntervalMs,
    }),
  };
}

/** Starts metrics with `config` (once per process; later calls are ignored). */
export function startMetrics(config: TelemetryConfig): void {
  if (metrics !== undefined) return;
  if (config.metrics === 'none') {
    metrics = null;
    return;
  }
  const { reader, prometheus } = readerFor(config);
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': config.namespace,
      'service.namespace': config.namespace,
    }),
    readers: [reader],
  });
  const meter = provider.getMeter('orderly');
  metrics = {
    provider,
    ...(prometheus ? { prometheus } : {}),
    instruments: {
      invocations: meter.createCounter('orderly.function.invocations', {
        description: 'Invocations of each function (an HTTP request, a Kafka batch)',
      }),
      errors: meter.createCounter('orderly.function.errors', {
        description: 'Invocations that failed (HTTP 5xx, a batch the event source retries)',
      }),
      duration: meter.createHistogram('orderly.function.duration', {
        description: 'How long each invocation took',
        unit: 's',
        advice: {
          explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        },
      }),
      checkouts: meter.createCounter('orderly.checkouts', {
        description: 'Orders that reached a final status, by status and reason',
      }),
      reservations: meter.createCounter('orderly.reservations', {
        description: 'Stock reservations decided by inventory: granted or refused',
      }),
      deadLetters: meter.createCounter('orderly.dead_letters', {
        description: 'Records sent to a dead-letter topic, by topic and reason',
      }),
      consumerLag: meter.createGauge('orderly.consumer.lag', {
        description: 'Records not yet consumed, per consumer group and partition',
        unit: '{record}',
      }),
    },
  };
}

function instruments(): Instruments | undefined {
  if (metrics === undefined) startMetrics(loadConfig(readTelemetryConfig));
  return metrics?.instruments;
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
  if (metrics === undefined) instruments();
  const exporter = metrics?.prometheus;
  if (!exporter) return null;
  const { resourceMetrics } = await exporter.collect();
  return new PrometheusSerializer().serialize(resourceMetrics);
}

/** Exports what pushed metrics have gathered (the end of a Lambda invocation). */
export async function flushMetrics(): Promise<void> {
  await metrics?.provider.forceFlush().catch(() => undefined);
}

export async function shutdownMetrics(): Promise<void> {
  await metrics?.provider.shutdown().catch(() => undefined);
}
