import type { Admin, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { createProducer } from '../../shared/kafka/kafka-client.js';
import { DEAD_LETTER_HEADERS } from '../../shared/kafka-function/dead-letters.js';

export interface DeadLetterRecord {
  offset: string;
  reason: string;
  detail: string;
  /** `topic/partition/offset` of the original record. */
  source: string;
  consumer: string;
  time: string;
  key: Buffer | null;
  value: Buffer | null;
  /** The original record's own headers. */
  headers: IHeaders;
}

const header = (headers: IHeaders | undefined, name: string) => {
  const value = headers?.[name];
  return value === undefined ? '' : String(Array.isArray(value) ? value[0] : value);
};

function toRecord(message: KafkaMessage): DeadLetterRecord {
  const own = Object.values(DEAD_LETTER_HEADERS) as string[];
  return {
    offset: message.offset,
    reason: header(message.headers, DEAD_LETTER_HEADERS.reason),
    detail: header(message.headers, DEAD_LETTER_HEADERS.detail),
    source: header(message.headers, DEAD_LETTER_HEADERS.source),
    consumer: header(message.headers, DEAD_LETTER_HEADERS.consumer),
    time: header(message.headers, DEAD_LETTER_HEADERS.time),
    key: message.key,
    value: message.value,
    headers: Object.fromEntries(
      Object.entries(message.headers ?? {}).filter(([name]) => !own.includes(name)),
    ),
  };
}

/** A topic created a moment ago may not have a leader known to every broker yet: retry. */
async function fetchOffsetsWithRetry(admin: Admin, topic: string) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (err) {
      if (attempt >= 10) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/**
 * Reads a dead-letter topic from `fromOffset` of each partition up to its end as it is now,
 * without joining a consumer group (so reading never moves anyone's position).
 */
export async function readDeadLetters(kafka: Kafka, dlqTopic: string): Promise<DeadLetterRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await fetchOffsetsWithRetry(admin, dlqTopic).finally(() => admin.disconnect());
  const wanted = ends.filter((end) => Number(end.high) > Number(end.low));
  if (wanted.length === 0) return [];
  const consumer = kafka.consumer({ groupId: `orderly-dlq-reader-${process.pid}-${Date.now()}` });
  const records: DeadLetterRecord[] = [];
  const remaining = new Map(wanted.map((end) => [end.partition, Number(end.high)]));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: dlqTopic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`could not read ${dlqTopic} to its end`)),
        60_000,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const high = remaining.get(partition);
            if (high === undefined) return;
            records.push(toRecord(message));
            if (Number(message.offset) + 1 >= high) remaining.delete(partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/**
 * Produces dead letters again to the topic they came from, with their original key, value and
 * headers plus `orderly-replayed-from` (the dead letter's offset): after a fix, the functions
 * process them like any record. Events are idempotent, so replaying one twice is harmless.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  letters: readonly DeadLetterRecord[],
  dlqTopic: string,
): Promise<number> {
  const producer = await createProducer(kafka);
  try {
    let replayed = 0;
    for (const letter of letters) {
      const topic = letter.source.split('/')[0];
      if (!topic) continue;
      await producer.send({
        topic,
        acks: -1,
        messages: [
          {
            key: letter.key,
            value: letter.value,
            headers: { ...letter.headers, 'orderly-replayed-from': `${dlqTopic}/${letter.offset}` },
          },
        ],
      });
      replayed += 1;
    }
    return replayed;
  } finally {
    await producer.disconnect();
  }
}
