import { type Span, SpanKind, trace } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import { DELIVERY_ATTEMPT_ATTRIBUTE } from '../../shared/telemetry/attributes.js';
import { carrierOf, contextOf, recordFailure } from '../../shared/telemetry/trace-context.js';
import { tracerFor, tracingEnabled } from '../../shared/telemetry/tracing.js';

const COMPONENT = 'kafka-event-source';

/** A Kafka header's value as text. */
function headerText(value: Buffer | string | (Buffer | string)[] | undefined): string | undefined {
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined ? undefined : one.toString();
}

function textHeaders(message: KafkaMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const text = headerText(value);
    if (text !== undefined) headers[name] = text;
  }
  return headers;
}

export interface TracedDelivery {
  /** The messages as the function gets them: each carries its delivery span's context. */
  messages: KafkaMessage[];
  /** Ends every delivery span, failed with `error` when the invocation failed. */
  end(error: string | null): void;
}

/**
 * One CONSUMER span per record per delivery, child of the record's publish span, with the
 * attempt number: an event delivered again after a failed invocation shows in its trace as a
 * second `receive` with attempt 2, the function's own spans under each. What the event source
 * does on AWS, where the function's span is the publish span's child directly.
 */
export function traceDelivery(
  messages: readonly KafkaMessage[],
  where: { topic: string; partition: number; functionName: string; attempt: number },
): TracedDelivery {
  if (!tracingEnabled()) return { messages: [...messages], end: () => undefined };
  const tracer = tracerFor(COMPONENT);
  const spans: Span[] = [];
  const traced = messages.map((message) => {
    const headers = textHeaders(message);
    if (!headers.traceparent) return message;
    const parent = contextOf(headers);
    const span = tracer.startSpan(
      `receive ${where.topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': where.topic,
          'messaging.destination.partition.id': String(where.partition),
          'messaging.kafka.offset': Number(message.offset),
          'messaging.operation.type': 'receive',
          'faas.invoked_name': where.functionName,
          [DELIVERY_ATTEMPT_ATTRIBUTE]: where.attempt,
          ...(where.attempt > 1 ? { 'orderly.redelivery': true } : {}),
        },
      },
      parent,
    );
    spans.push(span);
    const headersNow = { ...message.headers, ...carrierOf(trace.setSpan(parent, span)) };
    return { ...message, headers: headersNow } as KafkaMessage;
  });
  return {
    messages: traced,
    end(error) {
      for (const span of spans) {
        if (error !== null) recordFailure(span, new Error(error));
        span.end();
      }
    },
  };
}
