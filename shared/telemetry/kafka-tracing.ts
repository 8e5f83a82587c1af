import { context, type Span, SpanKind, trace } from '@opentelemetry/api';
import type { DomainEvent } from '../events/envelope.js';
import { EVENT_ID_ATTRIBUTE, EVENT_TYPE_ATTRIBUTE, ORDER_ID_ATTRIBUTE } from './attributes.js';
import { carrierOf, contextOf, type TraceCarrier } from './trace-context.js';
import { activeTracer, tracingEnabled } from './tracing.js';

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
