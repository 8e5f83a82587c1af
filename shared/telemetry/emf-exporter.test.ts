import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { EMF_NAMESPACE, EmfMetricExporter } from './emf-exporter.js';

interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

function meterWritingTo(lines: string[]) {
  const provider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new EmfMetricExporter((line) => lines.push(line)),
        exportIntervalMillis: 3_600_000,
      }),
    ],
  });
  return { provider, meter: provider.getMeter('test') };
}

describe('CloudWatch Embedded Metric Format', () => {
  it('writes one EMF line per data point, its attributes as dimensions', async () => {
    const lines: string[] = [];
    const { provider, meter } = meterWritingTo(lines);
    meter.createCounter('orderly.checkouts').add(2, { status: 'CONFIRMED' });
    meter
      .createHistogram('orderly.function.duration', { unit: 's' })
      .record(0.25, { function: 'orders' });
    meter
      .createHistogram('orderly.function.duration', { unit: 's' })
      .record(0.75, { function: 'orders' });
    await provider.forceFlush();

    const parsed = lines.map((line) => JSON.parse(line) as EmfLine);
    const checkouts = parsed.find((line) => 'orderly.checkouts' in line);
    assert.ok(checkouts, lines.join('\n'));
    const [directive] = checkouts._aws.CloudWatchMetrics;
    assert.equal(directive?.Namespace, EMF_NAMESPACE);
    assert.deepEqual(directive?.Dimensions, [['status']]);
    assert.deepEqual(directive?.Metrics, [{ Name: 'orderly.checkouts', Unit: 'Count' }]);
    assert.equal(checkouts.status, 'CONFIRMED');
    assert.equal(checkouts['orderly.checkouts'], 2);

    const duration = parsed.find((line) => 'orderly.function.duration' in line);
    assert.equal(duration?.['orderly.function.duration'], 0.5, 'the mean of the period');
    assert.equal(duration?.['orderly.function.duration.count'], 2);
    assert.equal(duration?._aws.CloudWatchMetrics[0]?.Metrics[0]?.Unit, 'Seconds');
    await provider.shutdown();
  });

  it('sends deltas: a second flush with nothing new writes no counter line', async () => {
    const lines: string[] = [];
    const { provider, meter } = meterWritingTo(lines);
    const counter = meter.createCounter('orderly.function.invocations');
    counter.add(1, { function: 'payments' });
    await provider.forceFlush();
    const first = lines.length;
    assert.equal(first, 1);
    await provider.forceFlush();
    assert.equal(lines.length, first, 'nothing happened since the last flush');
    counter.add(3, { function: 'payments' });
    await provider.forceFlush();
    assert.equal((JSON.parse(lines.at(-1) ?? '{}') as EmfLine)['orderly.function.invocations'], 3);
    await provider.shutdown();
  });
});
