import { context, propagation } from '@opentelemetry/api';
import { BaggageSpanProcessor } from '@opentelemetry/baggage-span-processor';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import { ORDER_ID_ATTRIBUTE } from './attributes.js';
import { traceFastifyRequests } from './fastify-tracing.js';
import { OrderSpans } from './order-spans.js';
import type { TelemetryConfig } from './telemetry-config.js';

/**
 * The OpenTelemetry SDK, loaded only when tracing is on (tracing.ts imports it dynamically):
 * its 300 KB stay out of a function's cold start otherwise.
 */
export interface TracingSdk {
  providerFor(component: string): BasicTracerProvider;
  orderSpans: OrderSpans;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
  /** A SERVER span per request of `app` (see fastify-tracing.ts). */
  traceFastify(app: FastifyInstance, component: string, untraced?: (url: string) => boolean): void;
}

function exporterFor(config: TelemetryConfig): SpanExporter {
  return config.traces === 'zipkin'
    ? new ZipkinExporter({ url: config.zipkinUrl })
    : new OTLPTraceExporter({ url: config.otlpTracesUrl });
}

/** Registers the context manager and the W3C propagators, and hands out providers. */
export function installTracing(config: TelemetryConfig): TracingSdk {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  // Shared by every provider: an order's spans are spread over its components.
  const orderSpans = new OrderSpans();
  const providers = new Map<string, BasicTracerProvider>();
  // Every provider decides alike: by the trace id, so an order's spans in every component
  // (and process) are all kept or all dropped.
  const sampler = new ParentBasedSampler({
    root: new TraceIdRatioBasedSampler(config.sampleRatio),
  });
  const providerFor = (component: string): BasicTracerProvider => {
    let provider = providers.get(component);
    if (!provider) {
      provider = new BasicTracerProvider({
        sampler,
        resource: resourceFromAttributes({
          'service.name': `${config.namespace}-${component}`,
          'service.namespace': config.namespace,
        }),
        spanProcessors: [
          // The order id travels as baggage from where the order is born; this copies it onto
          // every span started under it in other processes (gRPC calls, consumers).
          new BaggageSpanProcessor((key) => key === ORDER_ID_ATTRIBUTE),
          orderSpans,
          // Measured against 200 ms and 256-span batches (npm run bench -- tracing): more
          // frequent exports cost more CPU per order and did not lower the p99.
          new BatchSpanProcessor(exporterFor(config), {
            scheduledDelayMillis: 500,
            maxQueueSize: 16_384,
            maxExportBatchSize: 1_024,
          }),
        ],
      });
      providers.set(component, provider);
    }
    return provider;
  };
  return {
    providerFor,
    orderSpans,
    async flush() {
      await Promise.allSettled([...providers.values()].map((provider) => provider.forceFlush()));
    },
    async shutdown() {
      await Promise.allSettled([...providers.values()].map((provider) => provider.shutdown()));
      providers.clear();
    },
    traceFastify(app, component, untraced) {
      traceFastifyRequests(app, providerFor(component).getTracer('orderly'), untraced);
    },
  };
}
