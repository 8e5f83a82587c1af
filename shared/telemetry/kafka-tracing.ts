import { context, type Span, SpanKind, trace } from '@opentelemetry/api';
import type { DomainEvent } from '../events/envelope.js';
import { EVENT_ID_ATTRIBUTE, EVENT_TYPE_ATTRIBUTE, ORDER_ID_ATTRIBUTE } from './attributes.js';
import { carrierOf, contextOf, inSpan, type TraceCarrier } from './trace-context.js';
import { activeTracer, inComponent, tagOrder, tracerFor, tracingEnabled } from './tracing.js';

/** The order an event is about: its correlation id, except for stock changes (a SKU's). */
export function orderIdOf(event: Pick<DomainEvent, 'type' | 'correlationId'>): string | undefined {
  return event.type === 'StockChanged' ? undefined : event.correlationId;
}

/** The attributes of a span about one event on one topic (OpenTelemetry's messaging ones). */
export function eventAttributes(event: DomainEvent, topic: string) {
  const orderId = orderIdOf(event);
  return {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.message.id': event.id,
    'messaging.kafka.message.key': event.subject,
    [EVENT_TYPE_ATTRIBUTE]: event.type,
    [EVENT_ID_ATTRIBUTE]: event.id,
    ...(orderId ? { [ORDER_ID_ATTRIBUTE]: orderId } : {}),
  };
}

export interface PublishSpan {
  span: Span;
  /** The record's headers: this span's context, so the consumer's span is its child. */
  headers: TraceCarrier | undefined;
}

/**
 * A PRODUCER span for publishing one outbox entry, child of the step that caused the event
 * (the trace context stored with it), so a relay publishing it minutes later still continues
 * the checkout's trace. Undefined while tracing is off.
 */
export function startPublishSpan(
  event: DomainEvent & { trace?: TraceCarrier },
  topic: string,
): PublishSpan | undefined {
  if (!tracingEnabled()) return undefined;
  const active = context.active();
  const parent = contextOf(event.trace, active);
  // Published right after its write (that step's span is active), or by a relay later.
  const relayed = !trace.getSpan(active)?.isRecording();
  const span = activeTracer('outbox-relay').startSpan(
    `publish ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        ...eventAttributes(event, topic),
        'messaging.operation.type': 'send',
        'orderly.outbox.published_by': relayed ? 'relay' : 'inline',
      },
    },
    parent,
  );
  return { span, headers: carrierOf(trace.setSpan(parent, span)) };
}

/** Where a record was read from, and its headers as text. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  headers: Readonly<Record<string, string>>;
}

/**
 * Runs a Kafka function's handling of one event in a CONSUMER span, child of the span whose
 * context the record's headers carry (its publish, or the event source's delivery), with the
 * order named on it and on everything the handler starts.
 */
export function inProcessSpan<T>(
  component: string,
  record: ConsumedRecord,
  event: DomainEvent,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return inSpan(
    tracerFor(component),
    `process ${record.topic}`,
    {
      kind: SpanKind.CONSUMER,
      parent: inComponent(contextOf(record.headers), component),
      attributes: {
        ...eventAttributes(event, record.topic),
        'messaging.operation.type': 'process',
        'messaging.destination.partition.id': String(record.partition),
        'messaging.kafka.offset': record.offset,
      },
    },
    (span, spanContext) => {
      const orderId = orderIdOf(event);
      const handling = orderId ? tagOrder(orderId, spanContext) : spanContext;
      return context.with(handling, () => work(span));
    },
  );
}
