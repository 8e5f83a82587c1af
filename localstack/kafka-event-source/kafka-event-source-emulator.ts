import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { buildKafkaLambdaEvent } from '../../shared/kafka-lambda/kafka-lambda-event.js';
import type { Logger } from '../../shared/logger/logger.js';
import type { EventSourceMapping } from './event-source-mappings.js';
import type { Invoker } from './invokers.js';

export interface EmulatorOptions {
  kafka: Kafka;
  mappings: readonly EventSourceMapping[];
  invoker: Invoker;
  logger: Logger;
  /** The brokers, as the event's `bootstrapServers` reports them. */
  bootstrapServers: string;
  /** Prepended to topics and consumer groups (the functions' KAFKA_TOPIC_PREFIX). */
  topicPrefix?: string;
  /** Longest pause between retries of a failing batch (ms). */
  maxRetryDelayMs?: number;
  /** Partitions of one topic consumed side by side. */
  partitionsConsumedConcurrently?: number;
}

/** How often resolved offsets are committed; a crash redelivers at most this much. */
const COMMIT_INTERVAL_MS = 500;

/**
 * Fetch settings of every emulated mapping. With minBytes 1 the broker answers a fetch as
 * soon as one record is there, so the wait only bounds how long an idle fetch stays open:
 * records are delivered at once at low load, and batches grow by themselves under load.
 */
export const EVENT_SOURCE_FETCH = { minBytes: 1, maxWaitTimeInMs: 500 } as const;

/**
 * Emulates AWS Lambda's Kafka event source mappings on one machine: one consumer group per
 * mapping, batches of at most `batchSize` records of one partition, the exact Lambda event,
 * and an invocation through the configured invoker. As on AWS, offsets are committed only
 * after the invocation succeeded, and a failing batch is retried with backoff, holding up
 * only its own partition.
 */
export class KafkaEventSourceEmulator {
  private readonly consumers: Consumer[] = [];
  private readonly logger: Logger;
  private stopping = false;
  private readonly wake = new Set<() => void>();

  constructor(private readonly options: EmulatorOptions) {
    this.logger = options.logger.child({ component: 'kafka-event-source' });
  }

  async start(): Promise<void> {
    const prefix = this.options.topicPrefix ?? '';
    for (const mapping of this.options.mappings.filter((m) => m.enabled)) {
      const topic = `${prefix}${mapping.topic}`;
      const consumer = this.options.kafka.consumer({
        groupId: `${prefix}${mapping.consumerGroupId}`,
        ...EVENT_SOURCE_FETCH,
        allowAutoTopicCreation: false,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
      });
      this.consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({
        topic,
        fromBeginning: mapping.startingPosition === 'TRIM_HORIZON',
      });
      await consumer.run({
        autoCommit: true,
        autoCommitInterval: COMMIT_INTERVAL_MS,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 6,
        eachBatch: (payload) => this.deliver(mapping, payload),
      });
      this.logger.info(
        { function: mapping.functionName, topic, groupId: `${prefix}${mapping.consumerGroupId}` },
        'event source mapping started',
      );
    }
  }

  private async deliver(
    mapping: EventSourceMapping,
    { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload,
  ): Promise<void> {
    const source = {
      eventSource: mapping.eventSource,
      ...(mapping.eventSource === 'aws:kafka'
        ? {
            eventSourceArn: `arn:aws:kafka:local:000000000000:cluster/orderly-local/${mapping.topic}`,
          }
        : {}),
      bootstrapServers: this.options.bootstrapServers,
    };
    for (let start = 0; start < batch.messages.length; start += mapping.batchSize) {
      const chunk = batch.messages.slice(start, start + mapping.batchSize);
      const event = buildKafkaLambdaEvent(
        source,
        chunk.map((message) => ({ ...message, topic: batch.topic, partition: batch.partition })),
      );
      const where = {
        function: mapping.functionName,
        topic: batch.topic,
        partition: batch.partition,
        firstOffset: chunk[0]?.offset,
        records: chunk.length,
      };
      for (let attempt = 1, delayMs = 100; ; attempt += 1) {
        if (this.stopping || !isRunning() || isStale()) return;
        try {
          await this.options.invoker.invoke(mapping.functionName, event);
          break;
        } catch (err) {
          this.logger.warn(
            { ...where, attempt, error: err instanceof Error ? err.message : String(err) },
            'invocation failed; retrying the batch',
          );
          await this.pause(delayMs);
          await heartbeat().catch(() => undefined);
          delayMs = Math.min(delayMs * 2, this.options.maxRetryDelayMs ?? 5_000);
        }
      }
      const last = chunk.at(-1)?.offset;
      if (last === undefined) continue;
      // Only resolved offsets are committed (every COMMIT_INTERVAL_MS, on rebalance and on
      // stop), and an offset is resolved only after its invocation succeeded.
      resolveOffset(last);
      await heartbeat();
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake.add(done);
    });
  }

  /** Stops consuming; a batch being retried is abandoned uncommitted, to be delivered again. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of [...this.wake]) wake();
    await Promise.allSettled(this.consumers.map((consumer) => consumer.disconnect()));
    this.consumers.length = 0;
  }
}
