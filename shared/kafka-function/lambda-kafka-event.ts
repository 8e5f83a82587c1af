/**
 * The event AWS Lambda receives from a Kafka event source mapping: `aws:kafka` for Amazon MSK,
 * `SelfManagedKafka` for any other cluster. Records are grouped by "topic-partition" and keep
 * their order within a group; keys and values are base64, header values are byte arrays.
 */
export interface LambdaKafkaRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CREATE_TIME' | 'LOG_APPEND_TIME';
  key?: string | null;
  value: string | null;
  headers: Record<string, number[]>[];
}

export interface LambdaKafkaEvent {
  eventSource: 'aws:kafka' | 'SelfManagedKafka';
  /** The MSK cluster ARN; absent for self-managed clusters. */
  eventSourceArn?: string;
  bootstrapServers: string;
  records: Record<string, LambdaKafkaRecord[]>;
}

/** A record as a Kafka client delivers it, before it is encoded for Lambda. */
export interface RawKafkaRecord {
  topic: string;
  partition: number;
  offset: string | number;
  timestamp: string | number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

export interface KafkaEventSource {
  eventSource: LambdaKafkaEvent['eventSource'];
  eventSourceArn?: string;
  bootstrapServers: string;
}

function headerList(headers: RawKafkaRecord['headers']): Record<string, number[]>[] {
  const list: Record<string, number[]>[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      list.push({ [name]: [...Buffer.from(one)] });
    }
  }
  return list;
}

/** Builds the exact event Lambda would receive for these records. */
export function buildKafkaLambdaEvent(
  source: KafkaEventSource,
  records: readonly RawKafkaRecord[],
): LambdaKafkaEvent {
  const grouped: Record<string, LambdaKafkaRecord[]> = {};
  for (const record of records) {
    const group = `${record.topic}-${record.partition}`;
    grouped[group] ??= [];
    grouped[group].push({
      topic: record.topic,
      partition: record.partition,
      offset: Number(record.offset),
      timestamp: Number(record.timestamp),
      timestampType: 'CREATE_TIME',
      key: record.key ? record.key.toString('base64') : null,
      value: record.value ? record.value.toString('base64') : null,
      headers: headerList(record.headers),
    });
  }
  return {
    eventSource: source.eventSource,
    ...(source.eventSourceArn ? { eventSourceArn: source.eventSourceArn } : {}),
    bootstrapServers: source.bootstrapServers,
    records: grouped,
  };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes a base64 field strictly: Buffer.from would silently skip invalid characters. */
export function decodeBase64(text: string): Buffer | null {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : null;
}

/** Header values as strings, for logs and dead letters. */
export function headersOf(record: LambdaKafkaRecord): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of record.headers ?? []) {
    for (const [name, bytes] of Object.entries(entry)) {
      headers[name] = Buffer.from(bytes).toString('utf8');
    }
  }
  return headers;
}
