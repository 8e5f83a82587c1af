import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ORDER_ID_ATTRIBUTE } from './attributes.js';
import { OrderSpans } from './order-spans.js';

describe('the order id on every span of its trace', () => {
  it('names the open spans and the later ones of the trace, and no other trace', () => {
    const exported = new InMemorySpanExporter();
    const orderSpans = new OrderSpans();
    const tracer = new BasicTracerProvider({
      spanProcessors: [orderSpans, new SimpleSpanProcessor(exported)],
    }).getTracer('test');

    const request = tracer.startSpan('request');
    const inRequest = trace.setSpan(context.active(), request);
    const earlyRead = tracer.startSpan('read cart', {}, inRequest);
    earlyRead.end();
    const handler = tracer.startSpan('handler', {}, inRequest);
    const other = tracer.startSpan('another request');

    orderSpans.tag(request.spanContext().traceId, 'order-1');
    const insert = tracer.startSpan('insert order', {}, trace.setSpan(inRequest, handler));
    insert.end();
    handler.end();
    request.end();
    other.end();

    const tagOf = (name: string) =>
      exported.getFinishedSpans().find((span) => span.name === name)?.attributes[
        ORDER_ID_ATTRIBUTE
      ];
    assert.equal(tagOf('request'), 'order-1', 'open when the order got its id');
    assert.equal(tagOf('handler'), 'order-1');
    assert.equal(tagOf('insert order'), 'order-1', 'started after');
    assert.equal(tagOf('read cart'), undefined, 'ended before the order existed');
    assert.equal(tagOf('another request'), undefined, 'another trace');

    // The trace is forgotten once its last span ended: a late span of it is not named.
    const late = tracer.startSpan('late', {}, inRequest);
    late.end();
    assert.equal(tagOf('late'), undefined);
  });
});
