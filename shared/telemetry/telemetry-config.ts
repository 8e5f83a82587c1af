import type { EnvReader } from '../config/env-reader.js';

/** Where spans go: nowhere (the default), a Zipkin server, or an OTLP/HTTP endpoint (a collector). */
export const TRACE_EXPORTERS = ['none', 'zipkin', 'otlp'] as const;
export type TraceExporterKind = (typeof TRACE_EXPORTERS)[number];

/**
 * Where metrics go: `prometheus` keeps them for the gateway's `/metrics` (server mode, the
 * default), `emf` writes CloudWatch Embedded Metric Format lines after each invocation (Lambda),
 * `otlp` pushes them to a collector, `none` drops them.
 */
export const METRIC_EXPORTERS = ['none', 'prometheus', 'emf', 'otlp'] as const;
export type MetricExporterKind = (typeof METRIC_EXPORTERS)[number];

export interface TelemetryConfig {
  traces: TraceExporterKind;
  /**
   * The share of new traces recorded (0 to 1; OTEL_TRACES_SAMPLER_ARG): a trace that arrives
   * recorded or not (its `traceparent`) stays so, so a trace is whole or absent.
   */
  sampleRatio: number;
  zipkinUrl: string;
  otlpTracesUrl: string;
  metrics: MetricExporterKind;
  otlpMetricsUrl: string;
  /** How often pushed metrics (OTLP) are exported (ms). */
  metricsIntervalMs: number;
  /** `service.namespace` and the prefix of every service name. */
  namespace: string;
}

export const DEFAULT_ZIPKIN_URL = 'http://127.0.0.1:9411/api/v2/spans';
const DEFAULT_OTLP = 'http://127.0.0.1:4318';

/**
 * The standard OpenTelemetry variables (OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER,
 * OTEL_METRICS_EXPORTER, OTEL_EXPORTER_ZIPKIN_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT and its
 * per-signal forms), so any OpenTelemetry-aware deployment sets them the way it already does.
 */
export function readTelemetryConfig(env: EnvReader): TelemetryConfig {
  const disabled = env.oneOf('OTEL_SDK_DISABLED', ['true', 'false'], 'false') === 'true';
  const otlpBase = (env.optionalString('OTEL_EXPORTER_OTLP_ENDPOINT') ?? DEFAULT_OTLP).replace(
    /\/+$/,
    '',
  );
  const traces = env.oneOf('OTEL_TRACES_EXPORTER', TRACE_EXPORTERS, 'none');
  const metrics = env.oneOf('OTEL_METRICS_EXPORTER', METRIC_EXPORTERS, 'prometheus');
  const ratioText = env.optionalString('OTEL_TRACES_SAMPLER_ARG');
  const sampleRatio = ratioText === undefined ? 1 : Number(ratioText);
  if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
    env.report(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got "${ratioText}"`);
  }
  return {
    traces: disabled ? 'none' : traces,
    sampleRatio: sampleRatio >= 0 && sampleRatio <= 1 ? sampleRatio : 1,
    zipkinUrl: env.string('OTEL_EXPORTER_ZIPKIN_ENDPOINT', DEFAULT_ZIPKIN_URL),
    otlpTracesUrl: env.string('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', `${otlpBase}/v1/traces`),
    metrics: disabled ? 'none' : metrics,
    otlpMetricsUrl: env.string('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', `${otlpBase}/v1/metrics`),
    metricsIntervalMs: env.int('OTEL_METRIC_EXPORT_INTERVAL', 60_000, { min: 1_000 }),
    namespace: env.string('OTEL_SERVICE_NAMESPACE', 'orderly'),
  };
}
