import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { Logger } from '../../shared/logger/logger.js';
import { measureCpu, serverPids } from '../lib/process-cpu.js';
import { type PerOrderCounts, sagaAtRate, startWarmHarness } from './saga-bench.js';

/** Where the platform process spends its CPU, by who is responsible for the code. */
const BUCKETS: { name: string; pattern: RegExp }[] = [
  {
    name: 'MongoDB driver and BSON',
    pattern: /node_modules\/(mongodb|bson|mongodb-connection-string-url)\//,
  },
  { name: 'Kafka client (kafkajs)', pattern: /node_modules\/kafkajs\// },
  { name: 'gRPC and protobuf', pattern: /node_modules\/(@grpc|protobufjs|@protobufjs)\// },
  {
    name: 'logging (pino)',
    pattern: /node_modules\/(pino|pino-std-serializers|sonic-boom|thread-stream|fast-redact)/,
  },
  { name: 'tracing (OpenTelemetry)', pattern: /node_modules\/@opentelemetry\// },
  { name: 'JWT', pattern: /node_modules\/(fast-jwt|@fastify\/jwt|jsonwebtoken)/ },
  {
    name: 'validation and serialisation (Ajv, TypeBox, fast-json-stringify)',
    pattern:
      /node_modules\/(ajv|ajv-formats|@sinclair\/typebox|fast-json-stringify|fast-uri|@fastify\/ajv-compiler|json-schema-ref-resolver)/,
  },
  {
    name: 'Fastify and inject',
    pattern:
      /node_modules\/(fastify|find-my-way|light-my-request|avvio|@fastify|fast-querystring|process-warning|secure-json-parse)/,
  },
  { name: 'other libraries', pattern: /node_modules\// },
  {
    name: 'Orderly: the Kafka event-source emulator',
    pattern: /\/localstack\/kafka-event-source\//,
  },
  { name: 'Orderly: other local platform code', pattern: /\/localstack\// },
  { name: 'Orderly: functions', pattern: /\/functions\// },
  { name: 'Orderly: inventory service', pattern: /\/services\// },
  { name: 'Orderly: shared', pattern: /\/shared\// },
  { name: 'the benchmark and harness', pattern: /\/(bench|test-support)\// },
];

/** Node's native socket writes: each one a send system call. */
const SOCKET_SENDS = new Set(['writeBuffer', 'writev', 'writeUtf8String', 'writeLatin1String']);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/**
 * Splits a CPU profile by the nearest frame with a source file: time in a built-in (JSON,
 * a Buffer copy, a crypto call) counts for the code that called it; garbage collection and
 * the VM's own work ("program") are their own rows.
 */
function splitProfile(profile: {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}): Map<string, number> {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const bucketOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = bucketOf.get(id);
    if (known) return known;
    const node = byId.get(id);
    const { functionName, url } = node?.callFrame ?? { functionName: '', url: '' };
    let bucket: string;
    if (SOCKET_SENDS.has(functionName) && !url) {
      // The send system call: on loopback it runs the receiver's side of TCP too, and wakes it.
      const up = parent.get(id);
      bucket = `socket sends, for: ${up === undefined ? 'unknown' : resolve(up)}`;
    } else if (functionName === '(garbage collector)') bucket = 'garbage collection';
    else if (functionName === '(idle)') bucket = 'idle';
    else if (functionName === '(program)') bucket = 'the VM itself (compiling, runtime)';
    else if (url && !url.startsWith('node:')) {
      bucket = BUCKETS.find((b) => b.pattern.test(url))?.name ?? 'other source';
    } else {
      // A built-in or Node's own JavaScript: charged to its caller, up to the first frame
      // with a source; a stack of nothing else (timers, sockets' own callbacks) is Node's.
      const up = parent.get(id);
      const root = up === undefined || byId.get(up)?.callFrame.functionName === '(root)';
      bucket = root ? 'Node internals (no caller with a source)' : resolve(up);
    }
    bucketOf.set(id, bucket);
    return bucket;
  };
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i += 1) {
    const bucket = resolve(samples[i] as number);
    totals.set(bucket, (totals.get(bucket) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  return totals;
}

export interface CpuSplitResult {
  settings: { ratePerSecond: number; seconds: number };
  confirmed: number;
  /** Database commands and Kafka records per order in the same run (the saga benchmark's counts). */
  perOrder: PerOrderCounts;
  /** The same, in a run of the same load just before, without the profiler. */
  unprofiledPerOrderMs: { platform: number; mongod: number | null; kafka: number | null };
  /** CPU ms per confirmed order: the platform process, mongod and Kafka (from /proc). */
  perOrderMs: { platform: number; mongod: number | null; kafka: number | null };
  /** The platform's CPU per confirmed order split by the code responsible, ms, largest first. */
  platformSplit: { what: string; msPerOrder: number; share: number }[];
}

/**
 * Checkouts at a fixed rate through the embedded platform (the saga benchmark's harness, warm),
 * with the V8 profiler on: where one order's CPU goes, in the platform and in the servers.
 */
export async function benchCpuSplit(
  logger: Logger,
  settings = { ratePerSecond: 25, seconds: 20 },
): Promise<CpuSplitResult> {
  const harness = await startWarmHarness(logger);
  const session = new Session();
  session.connect();
  try {
    await harness.waitForConsumersIdle(60_000).catch(() => undefined);
    const servers = serverPids(['mongo', 'kafka']);
    // The same load without the profiler first: what the profiler itself adds.
    const plain = await measureCpu(servers, () =>
      sagaAtRate(harness, settings.ratePerSecond, settings.seconds, 'plain', 30_000),
    );
    await harness.waitForConsumersIdle(60_000).catch(() => undefined);
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const {
      result: step,
      ownMs,
      serversMs,
    } = await measureCpu(servers, () =>
      sagaAtRate(harness, settings.ratePerSecond, settings.seconds, 'cpu', 30_000),
    );
    const { profile } = await session.post('Profiler.stop');
    // BENCH_CPU_PROFILE=file keeps the whole profile, for Chrome DevTools or speedscope.
    if (process.env.BENCH_CPU_PROFILE) {
      writeFileSync(process.env.BENCH_CPU_PROFILE, JSON.stringify(profile));
    }
    const confirmed = Math.max(step.completed, 1);
    const totals = splitProfile(profile as Parameters<typeof splitProfile>[0]);
    totals.delete('idle');
    const profiled = [...totals.values()].reduce((a, b) => a + b, 0);
    const round = (n: number) => Math.round(n * 100) / 100;
    // The profile's samples are scaled to the CPU the process measured (the profiler's own
    // cost and its sampling gaps make the raw sum differ a little).
    const scale = ownMs / Math.max(profiled, 1);
    return {
      settings,
      confirmed: step.completed,
      perOrder: step.perOrder,
      unprofiledPerOrderMs: {
        platform: round(plain.ownMs / Math.max(plain.result.completed, 1)),
        mongod:
          plain.serversMs.mongo === undefined
            ? null
            : round(plain.serversMs.mongo / Math.max(plain.result.completed, 1)),
        kafka:
          plain.serversMs.kafka === undefined
            ? null
            : round(plain.serversMs.kafka / Math.max(plain.result.completed, 1)),
      },
      perOrderMs: {
        platform: round(ownMs / confirmed),
        mongod: serversMs.mongo === undefined ? null : round(serversMs.mongo / confirmed),
        kafka: serversMs.kafka === undefined ? null : round(serversMs.kafka / confirmed),
      },
      platformSplit: [...totals]
        .map(([what, ms]) => ({
          what,
          msPerOrder: round((ms * scale) / confirmed),
          share: round(ms / Math.max(profiled, 1)),
        }))
        .sort((a, b) => b.msPerOrder - a.msPerOrder),
    };
  } finally {
    session.disconnect();
    await harness.stop();
  }
}
