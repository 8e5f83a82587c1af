import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTrace, traceTree, type ZipkinSpan } from './zipkin-trace.js';

const span = (
  id: string,
  parentId: string | undefined,
  timestamp: number,
  extra: Partial<ZipkinSpan> = {},
): ZipkinSpan => ({
  traceId: 't',
  id,
  ...(parentId ? { parentId } : {}),
  timestamp,
  duration: 2_000,
  name: `span ${id}`,
  localEndpoint: { serviceName: 'orderly-orders' },
  ...extra,
});

describe('a trace from Zipkin as a tree', () => {
  it('nests children under their parents in start order; a span with no parent here is a root', () => {
    const roots = traceTree([
      span('c', 'a', 3_000),
      span('a', undefined, 1_000),
      span('b', 'a', 2_000),
      span('orphan', 'missing', 1_500),
    ]);
    assert.deepEqual(
      roots.map((root) => root.span.id),
      ['a', 'orphan'],
    );
    assert.deepEqual(
      roots[0]?.children.map((child) => child.span.id),
      ['b', 'c'],
    );
  });

  it('prints offsets, services, durations, failures and retries', () => {
    const text = formatTrace(
      traceTree([
        span('a', undefined, 1_000),
        span('b', 'a', 3_500, {
          name: 'receive orders',
          localEndpoint: { serviceName: 'orderly-kafka-event-source' },
          tags: { error: 'inventory unavailable', 'messaging.delivery.attempt': '2' },
        }),
      ]),
    );
    const lines = text.split('\n');
    assert.match(lines[0] ?? '', /^\s+0\.0 ms {2}orders: span a \(2\.0 ms\)$/);
    assert.match(
      lines[1] ?? '',
      /^\s+2\.5 ms {4}kafka-event-source: receive orders \(2\.0 ms\) {2}\[ERROR inventory unavailable, attempt 2\]$/,
    );
  });
});
