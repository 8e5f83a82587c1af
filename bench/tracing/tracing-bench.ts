import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../localstack/infra/paths.js';
import { zipkinUp } from '../../localstack/infra/zipkin.js';
import type { Logger } from '../../shared/logger/logger.js';
import type { RateStep } from '../saga/saga-bench.js';

const run = promisify(execFile);

export interface TracingRun extends RateStep {
  tracing: boolean;
  cpuMsPerOrder: number;
}

export interface TracingBenchResult {
  settings: { ratePerSecond: number; seconds: number; rounds: number };
  off: TracingRun[];
  on: TracingRun[];
  /** Medians over the rounds: tracing on ÷ off (1 = no cost). */
  ratios: { p50: number; p99: number; cpuPerOrder: number };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const ratio = (on: number, off: number) => Math.round((on / Math.max(off, 0.01)) * 100) / 100;

/**
 * Telemetry off against on, in the same run and alternated (off, on, off, on) so the
 * machine's drift falls on both: checkouts at a fixed rate through the embedded platform,
 * each run in a fresh process, tracing on exporting every span to a real Zipkin.
 */
export async function benchTracing(
  logger: Logger,
  settings = {
    ratePerSecond: Number(process.env.BENCH_TRACING_RATE ?? 20),
    seconds: Number(process.env.BENCH_TRACING_SECONDS ?? 15),
    rounds: Number(process.env.BENCH_TRACING_ROUNDS ?? 2),
  },
): Promise<TracingBenchResult> {
  const zipkin = await zipkinUp(logger);
  const off: TracingRun[] = [];
  const on: TracingRun[] = [];
  try {
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const tracing of [false, true]) {
        const { stdout } = await run(
          process.execPath,
          ['--import', 'tsx', 'bench/tracing/tracing-run.ts'],
          {
            cwd: REPO_ROOT,
            maxBuffer: 16 * 1024 * 1024,
            env: {
              ...process.env,
              OTEL_TRACES_EXPORTER: tracing ? 'zipkin' : 'none',
              OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.spansUrl,
              BENCH_TRACING_RATE: String(settings.ratePerSecond),
              BENCH_TRACING_SECONDS: String(settings.seconds),
            },
          },
        );
        const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as TracingRun;
        logger.info({ ...result, perOrder: undefined }, 'tracing bench run');
        (tracing ? on : off).push(result);
      }
    }
  } finally {
    await zipkin.stop();
  }
  const of = (runs: TracingRun[], pick: (r: TracingRun) => number) => median(runs.map(pick));
  return {
    settings,
    off,
    on,
    ratios: {
      p50: ratio(
        of(on, (r) => r.p50Ms),
        of(off, (r) => r.p50Ms),
      ),
      p99: ratio(
        of(on, (r) => r.p99Ms),
        of(off, (r) => r.p99Ms),
      ),
      cpuPerOrder: ratio(
        of(on, (r) => r.cpuMsPerOrder),
        of(off, (r) => r.cpuMsPerOrder),
      ),
    },
  };
}
