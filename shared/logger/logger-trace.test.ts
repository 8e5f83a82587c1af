import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { loadConfig } from '../config/config.js';
import { readTelemetryConfig } from '../telemetry/telemetry-config.js';
import { inSpan } from '../telemetry/trace-context.js';
import { shutdownTracing, startTracing, tracerFor } from '../telemetry/tracing.js';
import { createLogger } from './logger.js';

describe('log lines and traces', () => {
  it('carries the traceId and spanId of the span a line is written in, and none outside', async () => {
    // Spans go to an OTLP endpoint nobody listens on: only their ids matter here.
    await startTracing(
      loadConfig(readTelemetryConfig, {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      }),
    );
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    const logger = createLogger({ name: 'test', destination }).child({ component: 'child' });
    logger.info('before');
    const ids = await inSpan(tracerFor('test'), 'work', {}, async (span) => {
      logger.info('inside');
      await new Promise((resolve) => setTimeout(resolve, 5));
      logger.info('inside, after an await');
      return span.spanContext();
    });
    await shutdownTracing();

    assert.equal(lines[0]?.traceId, undefined);
    for (const line of lines.slice(1)) {
      assert.equal(line.traceId, ids.traceId, String(line.msg));
      assert.equal(line.spanId, ids.spanId, String(line.msg));
    }
    assert.match(ids.traceId, /^[0-9a-f]{32}$/);
  });
});
