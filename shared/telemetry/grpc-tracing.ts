import { Metadata } from '@grpc/grpc-js';
import { type Context, SpanKind } from '@opentelemetry/api';
import { carrierOf, contextOf } from './trace-context.js';

/** OpenTelemetry's RPC attributes of one call. */
export function rpcAttributes(service: string, method: string) {
  return { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method };
}

export const RPC_CLIENT = SpanKind.CLIENT;
export const RPC_SERVER = SpanKind.SERVER;

/** Call metadata carrying the active trace context (empty while tracing is off). */
export function tracedMetadata(options?: ConstructorParameters<typeof Metadata>[0]): Metadata {
  const metadata = new Metadata(options);
  for (const [key, value] of Object.entries(carrierOf() ?? {})) metadata.set(key, value);
  return metadata;
}

/** The trace context a call's metadata carries (the root context, when none). */
export function contextOfMetadata(metadata: Metadata): Context {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.getMap())) {
    if (typeof value === 'string') carrier[key] = value;
  }
  return contextOf(carrier.traceparent ? carrier : undefined);
}
