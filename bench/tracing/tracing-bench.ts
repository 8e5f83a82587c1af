import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
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

/** Tracing off; on, exporting to an endpoint that takes and drops (the platform's own cost); on, into Zipkin on the same cores. */
export const TRACING_MODES = ['off', 'sink', 'zipkin'] as const;
export type TracingMode = (typeof TRACING_MODES)[number];

export interface Ratios {
  p50: number;
  p99: number;
  cpuPerOrder: number;
}

export interface TracingBenchResult {
  settings: { ratePerSecond: number; seconds: number; rounds: number; node?: string };
  runs: Record<TracingMode, TracingRun[]>;
  /** Medians over the rounds, ÷ tracing off (1 = no cost). */
  ratios: { sink: Ratios; zipkin: Ratios };
}

/** An OTLP/HTTP endpoint that reads every export and answers 200: tracing's cost without a backend's. */
function startSink(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}/v1/traces` });
    });
  });
}

function envFor(mode: TracingMode, zipkinSpans: string, sinkUrl: string): NodeJS.ProcessEnv {
  if (mode === 'zipkin')
    return { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkinSpans };
  if (mode === 'sink')
    return { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sinkUrl };
  return { OTEL_TRACES_EXPORTER: 'none' };
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
 * Telemetry off against on, in the same run and alternated (off, sink, zipkin, off, …) so the
 * machine's drift falls on every mode: checkouts at a fixed rate through the embedded
 * platform, each run in a fresh process. `sink` exports every span over OTLP to an endpoint
 * that drops it (what tracing costs the platform); `zipkin` into a real Zipkin on this
 * machine, which shares the two cores with the platform, Kafka and mongod.
 */
export async function benchTracing(
  logger: Logger,
  settings = {
    ratePerSecond: Number(process.env.BENCH_TRACING_RATE ?? 10),
    seconds: Number(process.env.BENCH_TRACING_SECONDS ?? 20),
    rounds: Number(process.env.BENCH_TRACING_ROUNDS ?? 2),
  },
): Promise<TracingBenchResult> {
  const zipkin = await zipkinUp(logger);
  const sink = await startSink();
  const runs: Record<TracingMode, TracingRun[]> = { off: [], sink: [], zipkin: [] };
  try {
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const mode of TRACING_MODES) {
        const { stdout } = await run(
          // BENCH_TRACING_NODE: another Node, e.g. the Lambda runtime's major version.
          process.env.BENCH_TRACING_NODE ?? process.execPath,
          ['--import', 'tsx', 'bench/tracing/tracing-run.ts'],
          {
            cwd: REPO_ROOT,
            maxBuffer: 16 * 1024 * 1024,
            env: {
              ...process.env,
              ...envFor(mode, zipkin.spansUrl, sink.url),
              BENCH_TRACING_RATE: String(settings.ratePerSecond),
              BENCH_TRACING_SECONDS: String(settings.seconds),
            },
          },
        );
        const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as TracingRun;
        logger.info({ mode, ...result, perOrder: undefined }, 'tracing bench run');
        runs[mode].push(result);
      }
    }
  } finally {
    sink.server.close();
    await zipkin.stop();
  }
  const of = (mode: TracingMode, pick: (r: TracingRun) => number) => median(runs[mode].map(pick));
  const against = (mode: TracingMode): Ratios => ({
    p50: ratio(
      of(mode, (r) => r.p50Ms),
      of('off', (r) => r.p50Ms),
    ),
    p99: ratio(
      of(mode, (r) => r.p99Ms),
      of('off', (r) => r.p99Ms),
    ),
    cpuPerOrder: ratio(
      of(mode, (r) => r.cpuMsPerOrder),
      of('off', (r) => r.cpuMsPerOrder),
    ),
  });
  return {
    settings: { ...settings, node: process.env.BENCH_TRACING_NODE ?? process.version },
    runs,
    ratios: { sink: against('sink'), zipkin: against('zipkin') },
  };
}
