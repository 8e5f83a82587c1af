import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type {
  CommandFailedEvent,
  CommandStartedEvent,
  CommandSucceededEvent,
  MongoClient,
} from 'mongodb';
import { activeTracer } from './tracing.js';

/** Commands of the driver's own housekeeping, not the application's. */
const UNTRACED = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'buildInfo']);

/**
 * One CLIENT span per database command, from the driver's command monitoring (the documented
 * API, which works bundled, unlike instrumentation that patches the driver's modules). The
 * driver reports a command in the async context of the operation that sent it, so the span's
 * parent is the request, event or gRPC call that did the write. Commands with no recording
 * span around them (a relay's idle poll) start no trace of their own.
 */
export function traceMongoCommands(client: MongoClient, component: string): void {
  const open = new Map<number, Span>();
  client.on('commandStarted', (event: CommandStartedEvent) => {
    if (UNTRACED.has(event.commandName) || !trace.getActiveSpan()?.isRecording()) return;
    const target = event.command[event.commandName];
    const collection = typeof target === 'string' ? target : undefined;
    const span = activeTracer(component).startSpan(
      collection ? `${event.commandName} ${collection}` : event.commandName,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'mongodb',
          'db.namespace': event.databaseName,
          'db.operation.name': event.commandName,
          ...(collection ? { 'db.collection.name': collection } : {}),
          'server.address': event.address,
        },
      },
    );
    open.set(event.requestId, span);
  });
  const finish = (event: CommandSucceededEvent | CommandFailedEvent, failure?: Error) => {
    const span = open.get(event.requestId);
    if (!span) return;
    open.delete(event.requestId);
    if (failure) {
      span.recordException(failure);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
    }
    span.end();
  };
  client.on('commandSucceeded', (event) => finish(event));
  client.on('commandFailed', (event) => finish(event, event.failure));
}
