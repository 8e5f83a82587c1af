import type { Consumer, EachBatchPayload, IHeaders, Kafka, Producer } from 'kafkajs';
import { EVENT_TYPE_HEADER } from '../../shared/events/event-type-header.js';
import { sendDeadLetters } from '../../shared/kafka-function/dead-letters.js';
import {
  buildKafkaLambdaEvent,
  type LambdaKafkaEvent,
} from '../../shared/kafka-function/lambda-kafka-event.js';
import type { Logger } from '../../shared/logger/logger.js';
import { recordConsumerLag } from '../../shared/telemetry/metrics.js';
import { backoffMs, isTooOld, nextRetry, type RetryState } from './batch-retries.js';
import { traceDelivery } from './delivery-tracing.js';
import type { ErrorHandling, EventSourceMapping } from './event-source-mappings.js';
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
  /** Replaces the error-handling controls of every mapping (tests, the fault suite). */
  errorHandling?: Partial<ErrorHandling>;
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
 * only its own partition (it is paused, the others go on being fetched). As the mapping's
 * error-handling controls say, a failing batch is split down to the record that fails, and
 * after its retries (or past its maximum age) that record goes to the on-failure topic and
 * the partition goes on.
 */
export class KafkaEventSourceEmulator {
  private readonly consumers: Consumer[] = [];
  private readonly logger: Logger;
  private stopping = false;
  private readonly wake = new Set<() => void>();
  /** Per consumer group and partition: the chunk being retried. */
  private readonly failing = new Map<string, RetryState>();
  private producer: Promise<Producer> | undefined;

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

  private async deliver(mapping: EventSourceMapping, payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const source = {
      eventSource: mapping.eventSource,
      ...(mapping.eventSource === 'aws:kafka'
        ? {
            eventSourceArn: `arn:aws:kafka:local:000000000000:cluster/orderly-local/${mapping.topic}`,
          }
        : {}),
      bootstrapServers: this.options.bootstrapServers,
    };
    const onError = { ...mapping.onError, ...this.options.errorHandling };
    const key = `${mapping.consumerGroupId}/${batch.topic}/${batch.partition}`;
    // As the mapping's filter criteria on AWS: records of other event types never reach the
    // function, and their offsets are committed with the rest.
    const messages = mapping.eventTypes
      ? batch.messages.filter((message) => passesFilter(message.headers, mapping.eventTypes))
      : batch.messages;
    if (messages.length === 0) {
      const last = batch.messages.at(-1)?.offset;
      if (last !== undefined) resolveOffset(last);
      await heartbeat();
      return;
    }
    let start = 0;
    while (start < messages.length) {
      if (this.stopping || !isRunning() || isStale()) return;
      const first = messages[start]?.offset;
      const failing = this.failing.get(key);
      const retry = failing && failing.offset === first ? failing : undefined;
      const size = Math.min(mapping.batchSize, retry?.size ?? mapping.batchSize);
      const chunk = messages.slice(start, start + size);
      const delivery = traceDelivery(chunk, {
        topic: batch.topic,
        partition: batch.partition,
        functionName: mapping.functionName,
        attempt: (retry?.attempts ?? 0) + 1,
      });
      const records = delivery.messages.map((message) => ({
        ...message,
        topic: batch.topic,
        partition: batch.partition,
      }));
      const event = buildKafkaLambdaEvent(source, records);
      const where = {
        function: mapping.functionName,
        topic: batch.topic,
        partition: batch.partition,
        firstOffset: first,
        records: chunk.length,
      };
      const tooOld = records.every((record) => isTooOld(record.timestamp, onError));
      const error = await this.invoke(mapping, event, tooOld && onError.onFailureTopic !== null);
      delivery.end(error);
      if (error !== null) {
        const next = nextRetry(retry, first ?? '0', chunk.length, onError);
        const settled =
          (next.exhausted || tooOld) && onError.onFailureTopic
            ? await this.sendToDestination(mapping, event, error, tooOld, next.state, where)
            : false;
        if (!settled) {
          this.failing.set(key, next.state);
          this.logger.warn(
            { ...where, attempt: next.state.attempts, error },
            next.state.size < chunk.length
              ? 'invocation failed; retrying the batch in halves'
              : 'invocation failed; retrying the batch',
          );
          // Only this partition waits: paused, it is not fetched; resumed, it is fetched again
          // from its last resolved offset, which is this chunk's first record.
          this.retryLater(payload, backoffMs(next.state.attempts, this.options.maxRetryDelayMs));
          return;
        }
      }
      if (retry) this.failing.delete(key);
      const last = chunk.at(-1)?.offset;
      start += chunk.length;
      if (last === undefined) continue;
      // Only resolved offsets are committed (every COMMIT_INTERVAL_MS, on rebalance and on
      // stop), and an offset is resolved only after its invocation succeeded or its records
      // went to the on-failure destination.
      resolveOffset(last);
      recordConsumerLag(
        `${this.options.topicPrefix ?? ''}${mapping.consumerGroupId}`,
        batch.topic,
        batch.partition,
        Math.max(0, Number(batch.highWatermark) - 1 - Number(last)),
      );
      await heartbeat();
    }
    // Filtered-out records after the last delivered one are done with too.
    const lastOfBatch = batch.messages.at(-1)?.offset;
    if (messages !== batch.messages && lastOfBatch !== undefined) resolveOffset(lastOfBatch);
  }

  /** Pauses the batch's partition and resumes it after `delayMs` (at once on stop). */
  private retryLater(payload: EachBatchPayload, delayMs: number): void {
    const resume = payload.pause();
    void this.pause(delayMs).then(() => {
      if (!this.stopping) resume();
    });
  }

  /** Invokes the function with one chunk; the error's message, or null when it succeeded. */
  private async invoke(
    mapping: EventSourceMapping,
    event: LambdaKafkaEvent,
    tooOld: boolean,
  ): Promise<string | null> {
    // As on AWS, records past the maximum age are not sent to the function at all.
    if (tooOld) return 'the records are older than the maximum record age';
    try {
      await this.options.invoker.invoke(mapping.functionName, event);
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  /**
   * Sends a chunk that used its retries (or grew too old) to the on-failure topic. False when
   * that failed too (Kafka away): the chunk is then retried like any failure.
   */
  private async sendToDestination(
    mapping: EventSourceMapping,
    event: LambdaKafkaEvent,
    error: string,
    tooOld: boolean,
    state: RetryState,
    where: Record<string, unknown>,
  ): Promise<boolean> {
    const letters = Object.values(event.records)
      .flat()
      .map((record) => ({
        record,
        reason: tooOld ? ('RECORD_TOO_OLD' as const) : ('RETRIES_EXHAUSTED' as const),
        detail: error,
      }));
    try {
      await sendDeadLetters(await this.deadLetterProducer(), mapping.functionName, letters);
    } catch (err) {
      this.logger.error({ ...where, err }, 'could not send failed records to their destination');
      return false;
    }
    this.logger.error(
      { ...where, attempts: state.attempts, error },
      'records sent to the dead-letter topic after their retries; the partition goes on',
    );
    return true;
  }

  private deadLetterProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.options.kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      return producer;
    })().catch((err) => {
      this.producer = undefined;
      throw err;
    });
    return this.producer;
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
    const producer = this.producer;
    this.producer = undefined;
    await producer?.then((running) => running.disconnect()).catch(() => undefined);
  }
}

/**
 * Whether a record passes the mapping's event-type filter: its type header names one of the
 * types. A record without the header (not written by the platform's producers) passes, and
 * the function decodes it, dead-lettering it if it is no event; AWS, matching on the value,
 * would drop a value that is not JSON instead.
 */
function passesFilter(
  headers: IHeaders | undefined,
  types: readonly string[] | undefined,
): boolean {
  const header = headers?.[EVENT_TYPE_HEADER];
  if (header === undefined || types === undefined) return true;
  const type = Array.isArray(header) ? header[0] : header;
  return type === undefined || types.includes(type.toString());
}
