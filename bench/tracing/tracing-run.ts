import { createLogger } from '../../shared/logger/logger.js';
import { telemetryReady } from '../../shared/telemetry/telemetry.js';
import { flushTracing, tracingEnabled } from '../../shared/telemetry/tracing.js';
import { sagaAtRate, startWarmHarness } from '../saga/saga-bench.js';

/**
 * One run of the tracing benchmark, in a process of its own (tracing is set once per
 * process, from OTEL_TRACES_EXPORTER): checkouts at a fixed rate through the embedded
 * platform, and the CPU this process spent per confirmed order. Prints one JSON line.
 */
const rate = Number(process.env.BENCH_TRACING_RATE ?? 10);
const seconds = Number(process.env.BENCH_TRACING_SECONDS ?? 20);
const logger = createLogger({ name: 'bench-tracing', level: 'error' });

await telemetryReady();
const harness = await startWarmHarness(logger);
try {
  await harness.waitForConsumersIdle(30_000).catch(() => undefined);
  const cpuBefore = process.cpuUsage();
  const step = await sagaAtRate(harness, rate, seconds, 'run', 30_000);
  const cpu = process.cpuUsage(cpuBefore);
  await flushTracing();
  process.stdout.write(
    `${JSON.stringify({
      tracing: tracingEnabled(),
      ...step,
      cpuMsPerOrder:
        Math.round(((cpu.user + cpu.system) / 1000 / Math.max(step.completed, 1)) * 100) / 100,
    })}\n`,
  );
} finally {
  await harness.stop();
}
