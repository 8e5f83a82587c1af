import type { Consumer, Kafka, Producer } from 'kafkajs';
import { EVENT_SOURCE_FETCH } from '../../localstack/kafka-event-source/kafka-event-source-emulator.js';
import { createKafka, createProducer, ensureTopics } from '../../shared/kafka/kafka-client.js';
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
}

export interface SagaBenchResult {
  settings: { lowRate: number; highRate: number; seconds: number; bareHops: number };
  bareHops: LatencyRun;
  sagaLow: LatencyRun;
  sagaHigh: LatencyRun;
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
    completedPerSecond: round(sorted.length / (spanMs / 1000)),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
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
  }
}

/** Checkouts offered at a fixed rate; latency from the request to the OrderConfirmed record. */
async function sagaAtRate(
  harness: CheckoutHarness,
  ratePerSecond: number,
  total: number,
  tag: string,
): Promise<LatencyRun> {
  const startedAt = new Map<string, number>();
  const began = Date.now();
  await offerAtRate(ratePerSecond, total, async (i) => {
    const t0 = Date.now();
    const orderId = await harness.checkout(`${tag}-${i}`, { 'BENCH-SKU': 1 });
    startedAt.set(orderId, t0);
  });
  const confirmations = () =>
    harness.recorder.messages.filter(
      (m) => m.event?.type === 'OrderConfirmed' && startedAt.has(m.event.subject),
    );
  await until(() => confirmations().length >= total, 60_000);
  const done = confirmations();
  const latencies = done.map((m) => m.timestamp - (startedAt.get(m.event?.subject ?? '') ?? 0));
  const last = Math.max(...done.map((m) => m.timestamp));
  return summarise(total, total / ratePerSecond, latencies, last - began);
}

export async function benchSaga(
  logger: Logger,
  settings = { lowRate: 5, highRate: 40, seconds: 10, bareHops: 5 },
): Promise<SagaBenchResult> {
  const harness = await CheckoutHarness.start({ logger });
  try {
    await harness.addProduct('BENCH-SKU', 1000, 1_000_000);
    // Warm up every path (connections, JIT) before measuring.
    await sagaAtRate(harness, 10, 20, 'warm');
    const lowTotal = settings.lowRate * settings.seconds;
    const kafka = createKafka({ ...integrationConfig().kafka, clientId: 'bench-hops' }, { logger });
    const bare = await bareHops(kafka, settings.bareHops, settings.lowRate, lowTotal);
    logger.info(bare, 'bare Kafka hops');
    const sagaLow = await sagaAtRate(harness, settings.lowRate, lowTotal, 'low');
    logger.info(sagaLow, 'saga at the low rate');
    const sagaHigh = await sagaAtRate(
      harness,
      settings.highRate,
      settings.highRate * settings.seconds,
      'high',
    );
    logger.info(sagaHigh, 'saga at the high rate');
    return {
      settings,
      bareHops: bare,
      sagaLow,
      sagaHigh,
      p50RatioToBareHops: round(sagaLow.p50Ms / Math.max(bare.p50Ms, 0.01)),
    };
  } finally {
    await harness.stop();
  }
}
