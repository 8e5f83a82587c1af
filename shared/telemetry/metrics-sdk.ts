import type { Counter, Gauge, Histogram } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  MeterProvider,
  type MetricReader,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { EmfMetricExporter } from './emf-exporter.js';
import type { TelemetryConfig } from './telemetry-config.js';

/**
 * The platform's metrics, one instrument per question an operator asks. Names follow
 * OpenTelemetry's dotted style; Prometheus sees them as `orderly_checkouts_total`, …
 */
export interface Instruments {
  invocations: Counter;
  errors: Counter;
  duration: Histogram;
  checkouts: Counter;
  reservations: Counter;
  deadLetters: Counter;
  consumerLag: Gauge;
}

export interface Metrics {
  provider: MeterProvider;
  instruments: Instruments;
  /** The pull reader behind the gateway's `/metrics` (prometheus mode). */
  prometheus?: PrometheusExporter;
}

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

/** The meter provider and the platform's instruments, reading and exporting as `config` says. */
export function installMetrics(config: TelemetryConfig): Metrics {
  const { reader, prometheus } = readerFor(config);
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': config.namespace,
      'service.namespace': config.namespace,
    }),
    readers: [reader],
  });
  const meter = provider.getMeter('orderly');
  return {
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

/** Every metric in Prometheus' text format, from the pull reader. */
export async function serializePrometheus(exporter: PrometheusExporter): Promise<string> {
  const { resourceMetrics } = await exporter.collect();
  return new PrometheusSerializer().serialize(resourceMetrics);
}
