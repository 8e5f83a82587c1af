import { trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

/** Fields that must never reach a log line, wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  // A shopper's payment token, wherever an event or a request body is logged.
  'paymentToken',
  '*.paymentToken',
  '*.*.paymentToken',
  '*.*.*.paymentToken',
];

export interface LoggerSettings {
  /** Service or tool name, bound to every line as `service`. */
  name: string;
  level?: string;
  /** Where lines go; stdout (JSON, one object a line) when omitted. */
  destination?: DestinationStream;
}

/**
 * Creates the process's root logger. Components take child loggers from it with their
 * own bindings (request id, order id, topic/partition/offset) rather than new roots.
 */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: settings.name },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceFields,
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

/**
 * The trace and span a line was written in (while tracing is on), so a log line leads to
 * its trace and a trace to its lines: `traceId` is what a trace viewer searches by.
 */
function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
