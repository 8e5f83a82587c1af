import { flushMetrics, shutdownMetrics, startMetricsFromEnv } from './metrics.js';
import { flushTracing, shutdownTracing, startTracingFromEnv } from './tracing.js';

/**
 * Loads what the environment turns on (OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER), once per
 * process: every entry point awaits it before it builds its clients and serves, so the first
 * request is traced and counted like the others. With both off it loads nothing.
 */
export async function telemetryReady(): Promise<void> {
  await Promise.all([startTracingFromEnv(), startMetricsFromEnv()]);
}

/** True inside AWS Lambda (and serverless-offline's emulation of it). */
export function runningOnLambda(): boolean {
  return Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME);
}

/**
 * Sends the spans and metrics gathered so far. A Lambda function calls it before answering
 * each invocation: the sandbox may freeze, or never wake again, right after the answer.
 */
export async function flushTelemetry(): Promise<void> {
  await Promise.all([flushTracing(), flushMetrics()]);
}

/** On Lambda, `flushTelemetry`; elsewhere nothing (servers export in the background). */
export async function flushTelemetryOnLambda(): Promise<void> {
  if (runningOnLambda()) await flushTelemetry();
}

/** Flushes and stops tracing and metrics: the last step of a graceful shutdown. */
export async function shutdownTelemetry(): Promise<void> {
  await Promise.all([shutdownTracing(), shutdownMetrics()]);
}
