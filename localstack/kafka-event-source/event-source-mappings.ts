import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { DEAD_LETTER_SUFFIX } from '../../shared/events/topics.js';

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
  /** What happens to a batch that keeps failing, as the mapping's CloudFormation resource says. */
  onError: ErrorHandling;
  /**
   * The event types the mapping's filter criteria let through (`filterPatterns: [{ value: {
   * type: [...] } }]`); undefined: every record. AWS matches them on the record's value; the
   * emulator reads the type header the platform's producers write (event-type-header.ts).
   */
  eventTypes?: readonly string[];
}

/**
 * The error-handling controls of a Kafka event source mapping (AWS provisioned mode):
 * `MaximumRetryAttempts`, `MaximumRecordAgeInSeconds`, `BisectBatchOnFunctionError` and the
 * on-failure destination, a Kafka topic (`kafka://orders.dlq`).
 */
export interface ErrorHandling {
  /** Retries after the first failed attempt before the records go to the destination (-1: forever). */
  maxRetryAttempts: number;
  /** Records older than this go to the destination instead of the function (s; -1: no limit). */
  maxRecordAgeSeconds: number;
  /** A failing batch is split in two and each half retried, down to the one failing record. */
  bisectOnError: boolean;
  /** The topic failed records go to, unprefixed; null: they are retried forever. */
  onFailureTopic: string | null;
}

/** AWS's defaults: retried forever, never split, nowhere to go. */
export const AWS_DEFAULT_ERROR_HANDLING: ErrorHandling = {
  maxRetryAttempts: -1,
  maxRecordAgeSeconds: -1,
  bisectOnError: false,
  onFailureTopic: null,
};

/** When a destination is set and retries are infinite, AWS retries at most this many times. */
const AWS_RETRY_CAP_WITH_DESTINATION = 10;

interface KafkaEventConfig {
  topic?: unknown;
  filterPatterns?: unknown;
  batchSize?: unknown;
  maximumBatchingWindow?: unknown;
  startingPosition?: unknown;
  consumerGroupId?: unknown;
  enabled?: unknown;
}

/** The logical id the framework gives a function's Kafka event source mapping of `topic`. */
export function eventSourceMappingLogicalId(functionName: string, topic: string): string {
  const fn = functionName.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  const alnum = topic.replace(/[^0-9A-Za-z]/g, '');
  const upper = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  return `${upper(fn)}EventSourceMappingKafka${upper(alnum)}`;
}

type ResourceExtensions = Record<string, { Properties?: Record<string, unknown> }>;

/** The `extensions` of every entry of `resources` (a list of fragments, or one object). */
function resourceExtensions(resources: unknown): ResourceExtensions {
  const fragments = Array.isArray(resources) ? resources : [resources];
  const merged: ResourceExtensions = {};
  for (const fragment of fragments) {
    if (!fragment || typeof fragment !== 'object') continue;
    const extensions = (fragment as { extensions?: ResourceExtensions }).extensions ?? {};
    for (const [id, extension] of Object.entries(extensions)) {
      merged[id] = { Properties: { ...merged[id]?.Properties, ...extension?.Properties } };
    }
  }
  return merged;
}

function errorHandlingOf(
  properties: Record<string, unknown> = {},
  topic: string,
  what: string,
): ErrorHandling {
  const destination = (properties.DestinationConfig as { OnFailure?: { Destination?: unknown } })
    ?.OnFailure?.Destination;
  let onFailureTopic: string | null = null;
  if (destination !== undefined) {
    if (typeof destination !== 'string' || !destination.startsWith('kafka://')) {
      throw new Error(
        `${what} DestinationConfig.OnFailure.Destination must be a literal kafka:// topic to be emulated, got ${JSON.stringify(destination)}`,
      );
    }
    onFailureTopic = destination.slice('kafka://'.length);
    if (onFailureTopic !== `${topic}${DEAD_LETTER_SUFFIX}`) {
      throw new Error(
        `${what}: the on-failure topic must be the topic's dead-letter twin ${topic}${DEAD_LETTER_SUFFIX}, got ${onFailureTopic}`,
      );
    }
  }
  let maxRetryAttempts = asNumber(properties.MaximumRetryAttempts, -1);
  if (maxRetryAttempts < 0 && onFailureTopic) maxRetryAttempts = AWS_RETRY_CAP_WITH_DESTINATION;
  return {
    maxRetryAttempts,
    maxRecordAgeSeconds: asNumber(properties.MaximumRecordAgeInSeconds, -1),
    bisectOnError: properties.BisectBatchOnFunctionError === true,
    onFailureTopic,
  };
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
 * literal values: they are the same on every stage. The error-handling controls, which the
 * framework's event syntax lacks, are read from the mapping's resource extension.
 */
export function parseEventSourceMappings(yamlText: string): EventSourceMapping[] {
  const doc = parse(yamlText) as {
    service?: unknown;
    resources?: unknown;
    functions?: Record<string, { handler?: unknown; events?: Record<string, unknown>[] }>;
  };
  const service = typeof doc.service === 'string' ? doc.service : 'service';
  const extensions = resourceExtensions(doc.resources);
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
        ...eventTypesOf(config.filterPatterns, `functions.${functionName} ${kind} ${topic}`),
        onError: errorHandlingOf(
          extensions[eventSourceMappingLogicalId(functionName, topic)]?.Properties,
          topic,
          `functions.${functionName} ${kind} ${topic}`,
        ),
      });
    }
  }
  return mappings;
}

/**
 * The event types of a mapping's filter patterns. Only the one shape the platform uses is
 * emulated, a list of values of the value's `type`; any other pattern is refused by name
 * rather than ignored (the emulator would deliver what AWS filters out).
 */
function eventTypesOf(patterns: unknown, where: string): { eventTypes?: string[] } {
  if (patterns === undefined) return {};
  const types = Array.isArray(patterns)
    ? patterns.flatMap((pattern) => {
        const value = (pattern as { value?: { type?: unknown } } | null)?.value;
        const keys = Object.keys((pattern ?? {}) as object);
        const valueKeys = Object.keys((value ?? {}) as object);
        const list = value?.type;
        return keys.length === 1 &&
          valueKeys.length === 1 &&
          Array.isArray(list) &&
          list.every((t) => typeof t === 'string')
          ? [list as string[]]
          : [];
      })
    : [];
  if (!Array.isArray(patterns) || types.length !== patterns.length) {
    throw new Error(
      `${where}: filterPatterns other than [{ value: { type: [...] } }] are not emulated`,
    );
  }
  return { eventTypes: [...new Set(types.flat())] };
}

export function readEventSourceMappings(serverlessYmlPath: string): EventSourceMapping[] {
  return parseEventSourceMappings(readFileSync(serverlessYmlPath, 'utf8'));
}
