import type { Consumer, Kafka, Producer } from 'kafkajs';
import { EVENT_SOURCE_FETCH } from '../../localstack/kafka-event-source/kafka-event-source-emulator.js';
import {
  createKafka,
  createProducer,
  deleteTopics,
  ensureTopics,
} from '../../shared/kafka/kafka-client.js';
import type { Logger } from '../../shared/logger/logger.js';
import { CheckoutHarness } from '../../test-support/checkout-harness.js';
import { integrationConfig, uniqueName } from '../../test-support/integration-env.js';
import { percentile } from '../lib/closed-loop.js';

export interface LatencyRun {
  offered: number;
  completed: number;
  /** Offered rate (per second) and the rate at which work was completed end to end. */
  offeredPerSecond: number;
  completedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The latency bound of a sustained rate: p99 checkout to CONFIRMED (the goal). */
export const SUSTAINED_P99_MS = 2_000;

/** One step of the ladder: checkouts offered at one rate, and what each order cost. */
export interface RateStep extends LatencyRun {
  /**
   * Kept up with: every order confirmed, at a completion rate within 10% of the offered one,
   * with p99 within SUSTAINED_P99_MS (beyond it a queue is building up).
   */
  sustained: boolean;
  perOrder: PerOrderCounts;
}

/** What one confirmed order cost, from the servers' counters. */
export interface PerOrderCounts {
  /** Write commands (insert, update, delete, findAndModify; a bulk write is one). */
  dbWrites: number;
  /** Documents inserted, updated or deleted: a bulk write of 32 updates counts 32. */
  dbDocumentsWritten: number;
  /**
   * Of those, the payment provider stand-in's (its collection's write operations, each of one
   * document): Stripe's own writes in production, not the platform's.
   */
  providerDocumentsWritten: number;
  dbReads: number;
  kafkaRecords: number;
}

export interface SagaBenchResult {
  settings: SagaBenchSettings & { bareRate: number };
  /** At the low rate: a record along 5 bare Kafka hops, and checkouts, for their p50s. */
  bareHops: LatencyRun;
  lowRate: RateStep;
  steps: RateStep[];
  /** The highest offered rate sustained (0 when none was), and its step. */
  knee: { ordersPerSecond: number; step: RateStep | null };
  /** The most orders confirmed per second in any step, sustained or not: the capacity. */
  peakCompletedPerSecond: number;
  /** Checkout-to-CONFIRMED p50 at the low rate over the bare 5-hop p50 (goal < 1). */
  p50RatioToBareHops: number;
}

const round = (n: number) => Math.round(n * 100) / 100;

function summarise(
  offered: number,
  seconds: number,
  latencies: number[],
  spanMs: number,
): LatencyRun {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    offered,
    completed: sorted.length,
    offeredPerSecond: round(offered / seconds),
    completedPerSecond: round(sorted.length / (Math.max(spanMs, 1) / 1000)),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

/** Starts `total` operations at a fixed rate, whether or not earlier ones have finished. */
async function offerAtRate(
  ratePerSecond: number,
  total: number,
  start: (i: number) => Promise<void>,
): Promise<void> {
  const began = performance.now();
  const running: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = began + (i * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    running.push(start(i));
  }
  await Promise.all(running);
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/**
 * The baseline: a record passed along `hops` topics by consumers that do nothing but
 * produce it to the next topic, with the emulator's fetch settings and the platform's
 * idempotent producer: the cost of the Kafka hops alone.
 */
async function bareHops(
  kafka: Kafka,
  hops: number,
  ratePerSecond: number,
  total: number,
): Promise<LatencyRun> {
  const prefix = `${uniqueName('bench_hop')}.`;
  const topics = Array.from({ length: hops + 1 }, (_, i) => `${prefix}${i}`);
  await ensureTopics(
    kafka,
    topics.map((topic) => ({ topic, partitions: 6 })),
  );
  const producer: Producer = await createProducer(kafka);
  const consumers: Consumer[] = [];
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let lastArrival = 0;
  try {
    for (let i = 0; i <= hops; i += 1) {
      const consumer = kafka.consumer({ groupId: `${prefix}g${i}`, ...EVENT_SOURCE_FETCH });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topic: topics[i] as string, fromBeginning: true });
      const next = topics[i + 1];
      await consumer.run({
        partitionsConsumedConcurrently: 6,
        eachMessage: async ({ message }) => {
          if (next) {
            await producer.send({
              topic: next,
              acks: -1,
              messages: [{ key: message.key, value: message.value }],
            });
            return;
          }
          const id = message.value?.toString() ?? '';
          const began = sentAt.get(id);
          if (began !== undefined) {
            latencies.push(Date.now() - began);
            lastArrival = Date.now();
          }
        },
      });
    }
    // Let the groups settle before the clock starts.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const began = Date.now();
    await offerAtRate(ratePerSecond, total, async (i) => {
      const id = `m${i}`;
      sentAt.set(id, Date.now());
      await producer.send({
        topic: topics[0] as string,
        acks: -1,
        messages: [{ key: id, value: id }],
      });
    });
    await until(() => latencies.length >= total, 30_000);
    return summarise(total, total / ratePerSecond, latencies, lastArrival - began);
  } finally {
    await Promise.allSettled(consumers.map((consumer) => consumer.disconnect()));
    await producer.disconnect();
    await deleteTopics(kafka, topics).catch(() => undefined);
  }
}

const WRITE_COMMANDS = ['insert', 'update', 'delete', 'findAndModify'] as const;
const READ_COMMANDS = ['find', 'aggregate', 'count', 'getMore'] as const;

/** The payment provider stand-in's collection (functions/payments/test-payment-provider.ts). */
const PROVIDER_COLLECTION = 'test_provider_charges';

/** The server's command counters (every client's), to count what an order costs. */
async function commandCounts(harness: CheckoutHarness): Promise<CommandCounts> {
  const status = await harness.db.admin().command({ serverStatus: 1 });
  // Per collection, `top` counts the operations that took its write lock: the stand-in writes
  // one document per operation (updateOne, findOneAndUpdate by id).
  const top = await harness.db.admin().command({ top: 1 });
  const provider = top.totals?.[`${harness.db.databaseName}.${PROVIDER_COLLECTION}`];
  const total = (names: readonly string[]) =>
    names.reduce((sum, name) => sum + Number(status.metrics?.commands?.[name]?.total ?? 0), 0);
  const documents = status.metrics?.document ?? {};
  return {
    writes: total(WRITE_COMMANDS),
    reads: total(READ_COMMANDS),
    documents:
      Number(documents.inserted ?? 0) +
      Number(documents.updated ?? 0) +
      Number(documents.deleted ?? 0),
    providerDocuments: Number(provider?.writeLock?.count ?? 0),
  };
}

interface CommandCounts {
  writes: number;
  reads: number;
  documents: number;
  providerDocuments: number;
}

/** Commands per second while no order moves: the background jobs' polling. */
async function backgroundCommandRate(
  harness: CheckoutHarness,
  seconds = 3,
): Promise<CommandCounts> {
  const before = await commandCounts(harness);
  const began = Date.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = await commandCounts(harness);
  const elapsed = (Date.now() - began) / 1000;
  // The serverStatus reads themselves are not counted as reads (they are not finds).
  return {
    writes: (after.writes - before.writes) / elapsed,
    reads: (after.reads - before.reads) / elapsed,
    documents: (after.documents - before.documents) / elapsed,
    providerDocuments: (after.providerDocuments - before.providerDocuments) / elapsed,
  };
}

/** Records on every topic of the platform so far. */
async function recordCount(harness: CheckoutHarness): Promise<number> {
  const admin = harness.kafka.admin();
  await admin.connect();
  try {
    let sum = 0;
    for (const { topic } of harness.platform.topics.specs()) {
      for (const partition of await admin.fetchTopicOffsets(topic)) sum += Number(partition.high);
    }
    return sum;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Checkouts offered at a fixed rate for `seconds`; latency from the request to the
 * OrderConfirmed record. Waits for the stragglers up to `drainMs` after the last offer.
 */
export async function sagaAtRate(
  harness: CheckoutHarness,
  ratePerSecond: number,
  seconds: number,
  tag: string,
  drainMs: number,
): Promise<RateStep> {
  const total = Math.round(ratePerSecond * seconds);
  const startedAt = new Map<string, number>();
  const confirmedAt = new Map<string, number>();
  let seen = 0;
  const collect = () => {
    const messages = harness.recorder.messages;
    for (; seen < messages.length; seen += 1) {
      const event = messages[seen]?.event;
      // The first copy: a repeat of a step sends the same OrderConfirmed again.
      if (
        event?.type === 'OrderConfirmed' &&
        startedAt.has(event.subject) &&
        !confirmedAt.has(event.subject)
      ) {
        confirmedAt.set(event.subject, messages[seen]?.timestamp ?? 0);
      }
    }
    return confirmedAt.size;
  };
  // The carts are filled before the clock starts and the counters are read: filling them is
  // the shopper's browsing, not the checkout, and its writes would be counted as the order's.
  for (let i = 0; i < total; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, total - i) }, (_, k) =>
        harness.fillCart(`${tag}-${i + k}`, { 'BENCH-SKU': 1 }),
      ),
    );
  }
  const background = await backgroundCommandRate(harness);
  const counts = await commandCounts(harness);
  const countedFrom = Date.now();
  const records = await recordCount(harness);
  const began = Date.now();
  let failed = 0;
  await offerAtRate(ratePerSecond, total, async (i) => {
    const t0 = Date.now();
    try {
      const orderId = await harness.placeOrder(`${tag}-${i}`);
      startedAt.set(orderId, t0);
    } catch {
      failed += 1;
    }
  });
  const offeredFor = Date.now();
  await until(() => collect() >= total - failed, offeredFor - began + drainMs);
  collect();
  const latencies = [...confirmedAt].map(([id, at]) => at - (startedAt.get(id) ?? at));
  const last = Math.max(began, ...confirmedAt.values());
  const run = summarise(total, seconds, latencies, last - began);
  // Let the stragglers' last writes land before the counters are read again.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = await commandCounts(harness);
  // The background jobs' polls (outbox relay, sweeps) run on timers whatever the load: their
  // share over the counted time is taken off, so the figures are what the orders cost.
  const countedSeconds = (Date.now() - countedFrom) / 1000;
  const recordsAfter = await recordCount(harness);
  const per = (n: number) => round(Math.max(n, 0) / Math.max(run.completed, 1));
  return {
    ...run,
    sustained:
      failed === 0 &&
      run.completed === total &&
      run.completedPerSecond >= 0.9 * run.offeredPerSecond &&
      run.p99Ms <= SUSTAINED_P99_MS,
    perOrder: {
      dbWrites: per(after.writes - counts.writes - background.writes * countedSeconds),
      dbDocumentsWritten: per(
        after.documents - counts.documents - background.documents * countedSeconds,
      ),
      providerDocumentsWritten: per(after.providerDocuments - counts.providerDocuments),
      dbReads: per(after.reads - counts.reads - background.reads * countedSeconds),
      kafkaRecords: per(recordsAfter - records),
    },
  };
}

export interface SagaBenchSettings {
  /** Offered for 10 s first, for the latency of a lightly loaded platform (default 5/s). */
  lowRate: number;
  rates: number[];
  seconds: number;
  bareHops: number;
  /** How long to wait for the last orders of a step after its offers ended (ms). */
  drainMs: number;
}

export function sagaBenchSettings(env = process.env): SagaBenchSettings {
  const rates = (env.BENCH_SAGA_RATES ?? '25,35,50,75,100,150,200')
    .split(',')
    .map(Number)
    .filter((rate) => rate > 0);
  return {
    lowRate: 5,
    rates,
    seconds: Number(env.BENCH_SAGA_SECONDS ?? 30),
    bareHops: 5,
    drainMs: Number(env.BENCH_SAGA_DRAIN_MS ?? 30_000),
  };
}

/**
 * The embedded platform with the bench's product (stock for every order), warmed up: every
 * path (connections, JIT) has run before anything is measured. Stop it when done.
 */
export async function startWarmHarness(logger: Logger): Promise<CheckoutHarness> {
  const harness = await CheckoutHarness.start({
    logger,
    // Only the topic OrderConfirmed is on: the recorder shares the platform's process.
    recordedTopics: (topics) => [topics.forEvent('OrderConfirmed')],
  });
  try {
    await harness.addProduct('BENCH-SKU', 1000, 100_000_000);
    await sagaAtRate(harness, 10, 2, 'warm', 10_000);
    return harness;
  } catch (err) {
    await harness.stop();
    throw err;
  }
}

/**
 * The ladder: checkouts offered at each rate in turn, stopping after the first rate the
 * platform cannot sustain; first, at a low rate, checkouts and the baseline (bare Kafka hops)
 * in the same run, for the latency of the path itself.
 */
export async function benchSaga(
  logger: Logger,
  settings: SagaBenchSettings = sagaBenchSettings(),
): Promise<SagaBenchResult> {
  const harness = await startWarmHarness(logger);
  try {
    const bareRate = settings.lowRate;
    const kafka = createKafka({ ...integrationConfig().kafka, clientId: 'bench-hops' }, { logger });
    const bare = await bareHops(kafka, settings.bareHops, bareRate, bareRate * 10);
    logger.info(bare, 'bare Kafka hops');
    const lowRate = await sagaAtRate(harness, bareRate, 10, 'low', settings.drainMs);
    await harness.waitForConsumersIdle(60_000).catch(() => undefined);
    const steps: RateStep[] = [];
    for (const rate of settings.rates) {
      const step = await sagaAtRate(harness, rate, settings.seconds, `r${rate}`, settings.drainMs);
      logger.info(step, 'saga at a fixed rate');
      steps.push(step);
      if (!step.sustained) break;
      await harness.waitForConsumersIdle(60_000).catch(() => undefined);
    }
    const sustained = steps.filter((step) => step.sustained);
    const knee = sustained.at(-1) ?? null;
    return {
      settings: { ...settings, bareRate },
      bareHops: bare,
      lowRate,
      steps,
      knee: { ordersPerSecond: knee?.offeredPerSecond ?? 0, step: knee },
      peakCompletedPerSecond: Math.max(0, ...steps.map((step) => step.completedPerSecond)),
      p50RatioToBareHops: round(lowRate.p50Ms / Math.max(bare.p50Ms, 0.01)),
    };
  } finally {
    await harness.stop();
  }
}
