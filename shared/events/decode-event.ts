import { FormatRegistry } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { type DomainEvent, Envelope } from './envelope.js';
import { EventData, type EventType } from './event-schemas.js';

if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) => !Number.isNaN(Date.parse(value)));
}

const envelopeCheck = TypeCompiler.Compile(Envelope);
const dataChecks = Object.fromEntries(
  Object.entries(EventData).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]),
) as unknown as Record<EventType, ReturnType<typeof TypeCompiler.Compile>>;

/** Why a record can never be processed; the dead-letter topic records it. */
export type PoisonReason =
  | 'UNDECODABLE'
  | 'INVALID_JSON'
  | 'SCHEMA_INVALID'
  | 'UNKNOWN_TYPE'
  | 'UNSUPPORTED_VERSION';

export type DecodeResult =
  | { ok: true; event: DomainEvent }
  | { ok: false; reason: PoisonReason; detail: string };

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EventData, type);
}

function firstError(check: ReturnType<typeof TypeCompiler.Compile>, value: unknown): string {
  const error = check.Errors(value).First();
  return error ? `${error.path || '/'}: ${error.message}` : 'invalid';
}

/** Parses and validates one event; never throws. */
export function decodeEvent(json: string): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    return { ok: false, reason: 'INVALID_JSON', detail: (err as Error).message };
  }
  return validateEvent(value);
}

/** Validates a parsed event against the envelope and its type's schema; never throws. */
export function validateEvent(value: unknown): DecodeResult {
  if (!envelopeCheck.Check(value)) {
    return { ok: false, reason: 'SCHEMA_INVALID', detail: firstError(envelopeCheck, value) };
  }
  if (!isEventType(value.type)) {
    return { ok: false, reason: 'UNKNOWN_TYPE', detail: `no event type ${value.type}` };
  }
  if (value.version !== 1) {
    return {
      ok: false,
      reason: 'UNSUPPORTED_VERSION',
      detail: `${value.type} version ${value.version} is not known here`,
    };
  }
  const check = dataChecks[value.type];
  if (!check.Check(value.data)) {
    return { ok: false, reason: 'SCHEMA_INVALID', detail: `data${firstError(check, value.data)}` };
  }
  return { ok: true, event: value as DomainEvent };
}

/** An event that breaks its schema: no retry can publish it. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/** Checks an event before it is produced, so a producer never writes what consumers refuse. */
export function assertValidEvent(event: DomainEvent): void {
  const result = validateEvent(event);
  if (!result.ok) {
    throw new InvalidEventError(`refusing to publish an invalid ${event.type}: ${result.detail}`);
  }
}
