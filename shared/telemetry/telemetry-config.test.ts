import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config/config.js';
import { ConfigError } from '../config/env-reader.js';
import { readTelemetryConfig } from './telemetry-config.js';

describe('telemetry configuration (the standard OTEL_* variables)', () => {
  it('is off for traces and Prometheus for metrics by default', () => {
    const config = loadConfig(readTelemetryConfig, {});
    assert.equal(config.traces, 'none');
    assert.equal(config.metrics, 'prometheus');
    assert.equal(config.sampleRatio, 1);
    assert.equal(config.otlpTracesUrl, 'http://127.0.0.1:4318/v1/traces');
  });

  it('derives the per-signal OTLP endpoints, and OTEL_SDK_DISABLED turns everything off', () => {
    const config = loadConfig(readTelemetryConfig, {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'emf',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    assert.equal(config.otlpTracesUrl, 'http://collector:4318/v1/traces');
    assert.equal(config.otlpMetricsUrl, 'http://collector:4318/v1/metrics');
    assert.equal(config.sampleRatio, 0.25);
    const off = loadConfig(readTelemetryConfig, {
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_SDK_DISABLED: 'true',
    });
    assert.equal(off.traces, 'none');
    assert.equal(off.metrics, 'none');
  });

  it('names every bad variable at once', () => {
    assert.throws(
      () =>
        loadConfig(readTelemetryConfig, {
          OTEL_TRACES_EXPORTER: 'jaeger',
          OTEL_METRICS_EXPORTER: 'statsd',
          OTEL_TRACES_SAMPLER_ARG: '1.5',
        }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.length === 3 &&
        err.problems.some((problem) => problem.includes('OTEL_TRACES_EXPORTER')) &&
        err.problems.some((problem) => problem.includes('OTEL_METRICS_EXPORTER')) &&
        err.problems.some((problem) => problem.includes('OTEL_TRACES_SAMPLER_ARG')),
    );
  });
});
