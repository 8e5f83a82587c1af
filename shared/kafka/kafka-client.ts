import {
  type Admin,
  type ITopicConfig,
  Kafka,
  type LogEntry,
  logLevel,
  Partitioners,
  type Producer,
} from 'kafkajs';
import type { KafkaConfig } from '../config/config.js';
import type { Logger } from '../logger/logger.js';

const PINO_LEVEL_OF: Record<logLevel, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.NOTHING]: 'debug',
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs is chatty at INFO (every join, every connect); pass on warnings and errors only. */
const KAFKAJS_LOG_LEVEL = logLevel.WARN;

export interface CreateKafkaOptions {
  logger: Logger;
  /** Per-request timeout towards the brokers (ms). */
  requestTimeout?: number;
  /** How long the initial connection may take (ms). */
  connectionTimeout?: number;
}

/** A kafkajs client whose logs go through pino with the `kafka` component binding. */
export function createKafka(config: KafkaConfig, options: CreateKafkaOptions): Kafka {
  const logger = options.logger.child({ component: 'kafka' });
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    ...(config.tls ? { ssl: true } : {}),
    ...(config.sasl ? { sasl: { ...config.sasl } } : {}),
    connectionTimeout: options.connectionTimeout ?? 3_000,
    requestTimeout: options.requestTimeout ?? 30_000,
    logLevel: KAFKAJS_LOG_LEVEL,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _name, ...extra } = log;
        // kafkajs logs every error response a broker sends at ERROR from its Connection, even
        // the expected ones it retries (a rebalance in progress); the component that gives up
        // logs the real failure, so these are warnings.
        const pinoLevel =
          namespace === 'Connection' && level === logLevel.ERROR ? 'warn' : PINO_LEVEL_OF[level];
        logger[pinoLevel]({ namespace, ...extra }, message);
      },
  });
}

/**
 * A connected producer that writes each message exactly once per partition even when it
 * retries (idempotent, acks from all in-sync replicas, one request in flight so order
 * within a partition is kept). Keys choose partitions with the Java client's murmur2
 * partitioner, so any Kafka client routes a key to the same partition.
 */
export async function createProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    // No retry cap: an idempotent producer keeps its exactly-once-per-partition guarantee only
    // with unlimited retries (kafkajs's default for it).
    retry: { initialRetryTime: 100 },
  });
  await producer.connect();
  return producer;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** 1 for a single local broker; 3 on a real cluster. */
  replicationFactor?: number;
  config?: Record<string, string>;
}

/**
 * Deletes topics made for one run (a test's, a benchmark's). Each topic costs the broker memory
 * for as long as it exists: thousands left behind by earlier runs can exhaust a small broker's
 * heap. Topics that are already gone are skipped.
 */
export async function deleteTopics(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((topic) => existing.has(topic));
    if (present.length > 0) await admin.deleteTopics({ topics: present });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates the topics that do not exist yet and waits for their partition leaders, so a
 * producer can write to them straight away. Returns the names that were created.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<string[]> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length === 0) return [];
    const topics: ITopicConfig[] = missing.map((spec) => ({
      topic: spec.topic,
      numPartitions: spec.partitions,
      replicationFactor: spec.replicationFactor ?? 1,
      configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
    }));
    // A concurrent creator may win the race; createTopics then reports false, which is fine.
    try {
      await admin.createTopics({ topics, waitForLeaders: true });
    } catch (err) {
      // A broker that has just started can report a topic it created a moment ago as unknown
      // while kafkajs waits for its leaders (it retries only LEADER_NOT_AVAILABLE): wait here.
      if ((err as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw err;
      await waitForLeaders(
        admin,
        missing.map((spec) => spec.topic),
      );
    }
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics });
      const ready = found.every((topic) =>
        topic.partitions.every((partition) => partition.leader >= 0),
      );
      if (found.length === topics.length && ready) return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`no leaders for ${topics.join(', ')} in time`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Anything with a kafkajs-style `disconnect()`: producers, consumers, admins. */
export interface Disconnectable {
  disconnect(): Promise<void>;
}

/**
 * Disconnects every client even when some fail, so shutdown never leaves a socket open;
 * the first failure is rethrown afterwards.
 */
export async function disconnectAll(clients: readonly Disconnectable[]): Promise<void> {
  const results = await Promise.allSettled(clients.map((client) => client.disconnect()));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}
