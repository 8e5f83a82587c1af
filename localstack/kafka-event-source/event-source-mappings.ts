import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The project's own deployment descriptor. */
export const SERVERLESS_YML = fileURLToPath(new URL('../../serverless.yml', import.meta.url));

/** One Kafka event source of one function, as declared in serverless.yml. */
export interface EventSourceMapping {
  /** The function's key under `functions:`. */
  functionName: string;
  /** `path/to/module.export`, relative to the service directory. */
  handler: string;
  eventSource: 'SelfManagedKafka' | 'aws:kafka';
  topic: string;
  /** Records per invocation at most (AWS default 100). */
  batchSize: number;
  /** How long AWS may wait to fill a batch (ms). */
  batchingWindowMs: number;
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  consumerGroupId: string;
  enabled: boolean;
}

interface KafkaEventConfig {
  topic?: unknown;
  batchSize?: unknown;
  maximumBatchingWindow?: unknown;
  startingPosition?: unknown;
  consumerGroupId?: unknown;
  enabled?: unknown;
}

function asNumber(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function literal(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.includes('${')) {
    throw new Error(
      `${what} must be a literal string in serverless.yml, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Reads the `kafka` (self-managed) and `msk` events of every function from a serverless.yml
 * document. Topic, batch size, batching window, starting position and consumer group must be
 * literal values: they are the same on every stage.
 */
export function parseEventSourceMappings(yamlText: string): EventSourceMapping[] {
  const doc = parse(yamlText) as {
    service?: unknown;
    functions?: Record<string, { handler?: unknown; events?: Record<string, unknown>[] }>;
  };
  const service = typeof doc.service === 'string' ? doc.service : 'service';
  const mappings: EventSourceMapping[] = [];
  for (const [functionName, fn] of Object.entries(doc.functions ?? {})) {
    for (const event of fn.events ?? []) {
      const [kind, raw] = Object.entries(event)[0] ?? [];
      if (kind !== 'kafka' && kind !== 'msk') continue;
      const config = (raw ?? {}) as KafkaEventConfig;
      const topic = literal(config.topic, `functions.${functionName} ${kind}.topic`);
      const startingPosition = config.startingPosition ?? 'TRIM_HORIZON';
      if (startingPosition !== 'LATEST' && startingPosition !== 'TRIM_HORIZON') {
        throw new Error(
          `functions.${functionName} ${kind}.startingPosition ${String(startingPosition)} is not emulated (LATEST or TRIM_HORIZON)`,
        );
      }
      mappings.push({
        functionName,
        handler: literal(fn.handler, `functions.${functionName}.handler`),
        eventSource: kind === 'msk' ? 'aws:kafka' : 'SelfManagedKafka',
        topic,
        batchSize: asNumber(config.batchSize, 100),
        batchingWindowMs: asNumber(config.maximumBatchingWindow, kind === 'msk' ? 0 : 0.5) * 1000,
        startingPosition,
        consumerGroupId:
          config.consumerGroupId === undefined
            ? `${service}-${functionName}-${topic}`
            : literal(config.consumerGroupId, `functions.${functionName} ${kind}.consumerGroupId`),
        enabled: config.enabled !== false,
      });
    }
  }
  return mappings;
}

export function readEventSourceMappings(serverlessYmlPath: string): EventSourceMapping[] {
  return parseEventSourceMappings(readFileSync(serverlessYmlPath, 'utf8'));
}
