import type { Producer } from 'kafkajs';
import type { PoisonReason } from '../events/decode-event.js';
import { DEAD_LETTER_SUFFIX } from '../events/topics.js';
import { recordDeadLetters } from '../telemetry/metrics.js';
import { decodeBase64, headersOf, type LambdaKafkaRecord } from './lambda-kafka-event.js';

/**
 * Why a record was set aside: a decoding failure, a handler's permanent refusal, or (from the
 * event source) a record that kept failing until its retries ran out or it grew too old.
 */
export type DeadLetterReason =
  | PoisonReason
  | 'UNPROCESSABLE'
  | 'RETRIES_EXHAUSTED'
  | 'RECORD_TOO_OLD';

/** Header names on a dead letter; the value and key are the original record's bytes. */
export const DEAD_LETTER_HEADERS = {
  reason: 'orderly-dlq-reason',
  detail: 'orderly-dlq-detail',
  source: 'orderly-dlq-source',
  consumer: 'orderly-dlq-consumer',
  time: 'orderly-dlq-time',
} as const;

export interface DeadLetter {
  record: LambdaKafkaRecord;
  reason: DeadLetterReason;
  detail: string;
}

/** The original bytes of a field: decoded when it is valid base64, else the text as it came. */
function originalBytes(field: string | null | undefined): Buffer | null {
  if (field === null || field === undefined) return null;
  return decodeBase64(field) ?? Buffer.from(field, 'utf8');
}

/**
 * A record's value with the secrets an event may carry (the shopper's payment token) blanked:
 * a dead letter is kept for days and read by operators. Anything else is kept byte for byte.
 */
export function withoutSecrets(value: Buffer | null): Buffer | null {
  if (!value?.includes('paymentToken')) return value;
  try {
    const parsed = JSON.parse(value.toString('utf8')) as { data?: Record<string, unknown> };
    if (!parsed.data || typeof parsed.data.paymentToken !== 'string') return value;
    parsed.data.paymentToken = REDACTED;
    return Buffer.from(JSON.stringify(parsed), 'utf8');
  } catch {
    return value;
  }
}

/** What a dead letter holds in place of a secret. */
export const REDACTED = '[redacted]';

/**
 * Writes records that can never be processed to their topic's dead-letter twin
 * (`orders` -> `orders.dlq`), keeping the original key and headers and the value without its
 * secrets, and adding why, where from and when; an operator can inspect them and produce
 * them again.
 */
export async function sendDeadLetters(
  producer: Producer,
  consumer: string,
  letters: readonly DeadLetter[],
): Promise<void> {
  if (letters.length === 0) return;
  const byTopic = new Map<string, Parameters<Producer['send']>[0]['messages']>();
  for (const { record, reason, detail } of letters) {
    const topic = `${record.topic}${DEAD_LETTER_SUFFIX}`;
    const messages = byTopic.get(topic) ?? [];
    messages.push({
      key: originalBytes(record.key),
      value: withoutSecrets(originalBytes(record.value)),
      headers: {
        ...headersOf(record),
        [DEAD_LETTER_HEADERS.reason]: reason,
        [DEAD_LETTER_HEADERS.detail]: detail.slice(0, 1_000),
        [DEAD_LETTER_HEADERS.source]: `${record.topic}/${record.partition}/${record.offset}`,
        [DEAD_LETTER_HEADERS.consumer]: consumer,
        [DEAD_LETTER_HEADERS.time]: new Date().toISOString(),
      },
    });
    byTopic.set(topic, messages);
  }
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
  });
  for (const { record, reason } of letters) recordDeadLetters(record.topic, reason, 1);
}
