import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ORDER_ID_ATTRIBUTE } from './attributes.js';

interface OpenTrace {
  spans: Set<Span>;
  orderId?: string;
}

/**
 * Puts the order id on every span of its trace in this process: the spans still open when
 * the order got its id (the checkout request's, the gateway's around it) and every span
 * started after. Other processes learn the id from the baggage that travels with the trace.
 * Holds only open spans: a trace is forgotten when its last span here ends.
 */
export class OrderSpans implements SpanProcessor {
  private readonly open = new Map<string, OpenTrace>();

  onStart(span: Span, _parent: Context): void {
    const { traceId } = span.spanContext();
    let entry = this.open.get(traceId);
    if (!entry) {
      entry = { spans: new Set() };
      this.open.set(traceId, entry);
    }
    entry.spans.add(span);
    if (entry.orderId) span.setAttribute(ORDER_ID_ATTRIBUTE, entry.orderId);
  }

  onEnd(span: ReadableSpan): void {
    const { traceId } = span.spanContext();
    const entry = this.open.get(traceId);
    if (!entry) return;
    entry.spans.delete(span as Span);
    if (entry.spans.size === 0) this.open.delete(traceId);
  }

  /** Names the order of the trace `traceId`: on its open spans now, on its new ones later. */
  tag(traceId: string, orderId: string): void {
    const entry = this.open.get(traceId);
    if (!entry || entry.orderId === orderId) return;
    entry.orderId = orderId;
    for (const span of entry.spans) span.setAttribute(ORDER_ID_ATTRIBUTE, orderId);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
