import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/** The CloudWatch namespace Orderly's metrics appear under. */
export const EMF_NAMESPACE = 'Orderly';

const UNITS: Record<string, string> = { s: 'Seconds', '{record}': 'Count' };

/**
 * Writes metrics as CloudWatch Embedded Metric Format: one JSON line per data point on
 * stdout, which Lambda sends to CloudWatch Logs, where CloudWatch turns it into metrics. No
 * collector, layer or network call in the function (docs/decisions.md). Deltas: each line is
 * what happened since the last flush, the end of the previous invocation; a histogram is sent
 * as its mean and count since then.
 */
export class EmfMetricExporter implements PushMetricExporter {
  constructor(
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {}

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    for (const lines of emfLines(metrics)) this.write(`${lines}\n`);
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.DELTA;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** The EMF lines of one export. */
export function emfLines(metrics: ResourceMetrics, now = Date.now()): string[] {
  const lines: string[] = [];
  for (const scope of metrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const name = metric.descriptor.name;
      const unit = UNITS[metric.descriptor.unit] ?? 'Count';
      for (const point of metric.dataPoints) {
        let value: number;
        let count: number | undefined;
        if (metric.dataPointType === DataPointType.HISTOGRAM) {
          const histogram = point.value as { sum?: number; count: number };
          if (histogram.count === 0) continue;
          value = (histogram.sum ?? 0) / histogram.count;
          count = histogram.count;
        } else {
          value = point.value as number;
          if (metric.dataPointType === DataPointType.SUM && value === 0) continue;
        }
        const dimensions = Object.fromEntries(
          Object.entries(point.attributes).map(([key, attribute]) => [key, String(attribute)]),
        );
        lines.push(
          JSON.stringify({
            _aws: {
              Timestamp: now,
              CloudWatchMetrics: [
                {
                  Namespace: EMF_NAMESPACE,
                  Dimensions: [Object.keys(dimensions)],
                  Metrics: [
                    { Name: name, Unit: unit },
                    ...(count !== undefined ? [{ Name: `${name}.count`, Unit: 'Count' }] : []),
                  ],
                },
              ],
            },
            ...dimensions,
            [name]: value,
            ...(count !== undefined ? { [`${name}.count`]: count } : {}),
          }),
        );
      }
    }
  }
  return lines;
}
