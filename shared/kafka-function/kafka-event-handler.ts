import type { Producer } from 'kafkajs';
import { decodeEvent } from '../events/decode-event.js';
import type { DomainEvent } from '../events/envelope.js';
import type { EventType } from '../events/event-schemas.js';
import { EVENT_TYPE_HEADER } from '../events/event-type-header.js';
import { lazyResource } from '../lambda/lazy-resource.js';
import type { Logger } from '../logger/logger.js';
import { inProcessSpan } from '../telemetry/kafka-tracing.js';
import { recordInvocation } from '../telemetry/metrics.js';
import { type DeadLetter, sendDeadLetters } from './dead-letters.js';
import { runInKeyLanes } from './key-lanes.js';
import {
  decodeBase64,
  headersOf,
  type LambdaKafkaEvent,
  type LambdaKafkaRecord,
} from './lambda-kafka-event.js';

/**
 * Thrown by a handler for an event that can never be applied (it names an order that does
 * not exist, say): the record goes to the dead-letter topic and the batch goes on. Any other
 * error fails the invocation, and the event source retries the whole batch.
 */
export class UnprocessableEventError extends Error {
  override readonly name = 'UnprocessableEventError';
}

/**
 * Thrown for an event that cannot be applied yet (a payment result for an order whose stock
 * is not reserved yet): it fails the batch like any transient error, so the event source
 * delivers it again later instead of dropping it.
 */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
}

/** What every Kafka-triggered function needs: a producer for its events and dead letters. */
export interface KafkaFunctionContext {
  producer: Producer;
  close(): Promise<void>;
}

export interface KafkaEventHandlerOptions<C extends KafkaFunctionContext> {
  /** The function's name, recorded on its dead letters. */
  name: string;
  logger: Logger;
  /** Creates the clients, once per execution environment (retried after a failure). */
  start(): Promise<C>;
  /** Applies one event; must be idempotent, as batches are redelivered after a failure. */
  handle(event: DomainEvent, context: C, logger: Logger): Promise<void>;
  /**
   * The event types `handle` acts on. A record whose type header names another is passed by
   * before it is decoded; a record without the header is decoded (and dead-lettered if bad).
   */
  handles: readonly EventType[];
}

/**
 * Keys of one partition in flight at once. Each in-flight key holds at most one database or
 * gRPC call, so this bounds a function's open requests at partitions × this.
 */
export const KEY_CONCURRENCY = 32;

export interface BatchSummary {
  processed: number;
  deadLettered: number;
  /** Records of types the function does not handle, passed by undecoded (absent when none). */
  skipped?: number;
}

export type KafkaFunctionHandler = ((event: LambdaKafkaEvent) => Promise<BatchSummary>) & {
  close(): Promise<void>;
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

type Decoded = { event: DomainEvent } | { letter: Omit<DeadLetter, 'record'> };

function decodeRecord(record: LambdaKafkaRecord): Decoded {
  if (record.value === null || record.value === undefined) {
    return { letter: { reason: 'UNDECODABLE', detail: 'the record has no value' } };
  }
  const bytes = decodeBase64(record.value);
  if (!bytes) return { letter: { reason: 'UNDECODABLE', detail: 'the value is not base64' } };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { letter: { reason: 'UNDECODABLE', detail: 'the value is not UTF-8 text' } };
  }
  const result = decodeEvent(text);
  return result.ok
    ? { event: result.event }
    : { letter: { reason: result.reason, detail: result.detail } };
}

/** The event type a record's header names, read without decoding its value. */
function typeHeaderOf(record: LambdaKafkaRecord): string | undefined {
  for (const entry of record.headers ?? []) {
    const bytes = entry[EVENT_TYPE_HEADER];
    if (bytes) return Buffer.from(bytes).toString('latin1');
  }
  return undefined;
}

/**
 * The lane of a record: its Kafka key (every event is keyed by its subject, the order id),
 * else the subject of the event it carries; a record with neither is a lane of its own.
 */
function laneKey({ record, decoded }: { record: LambdaKafkaRecord; decoded: Decoded }): string {
  if (record.key) return `k:${record.key}`;
  if ('event' in decoded) return `s:${decoded.event.subject}`;
  return `o:${record.offset}`;
}

/**
 * The Lambda entry point of a Kafka-triggered function. Partitions are processed side by
 * side; within a partition, the records of one key (one order) one after another in offset
 * order, and different keys concurrently. A record that can never be processed goes to the
 * dead-letter topic and its partition goes on; a transient failure (database or inventory
 * unavailable, an event that came too early) fails the whole invocation once every record
 * already started has finished, so the event source retries the batch, as AWS does. Handlers
 * are idempotent, so the records of other keys that did succeed are simply applied again.
 */
export function createKafkaEventHandler<C extends KafkaFunctionContext>(
  options: KafkaEventHandlerOptions<C>,
): KafkaFunctionHandler {
  const logger = options.logger.child({ function: options.name });
  const handled = new Set<string>(options.handles);
  const clients = lazyResource(options.start, (running) => running.close());

  async function processRecord(
    running: C,
    record: LambdaKafkaRecord,
    decoded: Decoded,
    summary: BatchSummary,
  ): Promise<void> {
    const where = { topic: record.topic, partition: record.partition, offset: record.offset };
    let letter: Omit<DeadLetter, 'record'> | undefined;
    if ('letter' in decoded) {
      letter = decoded.letter;
    } else {
      const { event } = decoded;
      const eventLogger = logger.child({
        ...where,
        eventId: event.id,
        eventType: event.type,
        subject: event.subject,
      });
      letter = await inProcessSpan(
        options.name,
        { ...where, headers: headersOf(record) },
        event,
        async (span) => {
          try {
            await options.handle(event, running, eventLogger);
            summary.processed += 1;
            return undefined;
          } catch (err) {
            if (!(err instanceof UnprocessableEventError)) throw err;
            span.addEvent('dead-lettered', { reason: 'UNPROCESSABLE', detail: err.message });
            return { reason: 'UNPROCESSABLE' as const, detail: err.message };
          }
        },
      );
    }
    if (letter) {
      logger.warn({ ...where, ...letter }, 'record sent to the dead-letter topic');
      await sendDeadLetters(running.producer, options.name, [{ record, ...letter }]);
      summary.deadLettered += 1;
    }
  }

  /** One partition's records: one lane per key, lanes side by side (key-lanes.ts). */
  async function processPartition(
    running: C,
    records: readonly LambdaKafkaRecord[],
  ): Promise<BatchSummary> {
    const summary: BatchSummary = { processed: 0, deadLettered: 0 };
    const wanted = records.filter((record) => {
      const type = typeHeaderOf(record);
      return type === undefined || handled.has(type);
    });
    if (wanted.length < records.length) summary.skipped = records.length - wanted.length;
    const items = wanted.map((record) => ({ record, decoded: decodeRecord(record) }));
    await runInKeyLanes(items, laneKey, KEY_CONCURRENCY, ({ record, decoded }) =>
      processRecord(running, record, decoded, summary),
    );
    return summary;
  }

  const handler = (async (event: LambdaKafkaEvent) => {
    const started = performance.now();
    let failed = true;
    try {
      const summary = await processBatch(event);
      failed = false;
      return summary;
    } finally {
      recordInvocation(options.name, (performance.now() - started) / 1000, failed);
    }
  }) as KafkaFunctionHandler;

  async function processBatch(event: LambdaKafkaEvent): Promise<BatchSummary> {
    const running = await clients.get();
    const groups = Object.values(event.records ?? {});
    const results = await Promise.allSettled(
      groups.map((records) => processPartition(running, records)),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) {
      logger.warn({ err: failed.reason }, 'batch failed; the event source will retry it');
      throw failed.reason;
    }
    const summary: BatchSummary = { processed: 0, deadLettered: 0 };
    for (const result of results as PromiseFulfilledResult<BatchSummary>[]) {
      summary.processed += result.value.processed;
      summary.deadLettered += result.value.deadLettered;
      if (result.value.skipped) summary.skipped = (summary.skipped ?? 0) + result.value.skipped;
    }
    logger.debug(summary, 'batch processed');
    return summary;
  }

  handler.close = () => clients.close();
  return handler;
}
