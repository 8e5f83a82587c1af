import { clientAddressHeaders, type ForwardedClient } from '../../shared/http/client-address.js';
import { carrierOf } from '../../shared/telemetry/trace-context.js';

/** The HTTP functions the gateway resolves against. */
export const FUNCTION_NAMES = ['accounts', 'catalog', 'carts', 'orders'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One call of a function's HTTP route, whatever carries it. */
export interface FunctionRequest {
  method: HttpMethod;
  /** The route's path with parameters filled in and encoded, e.g. `/orders/abc/cancel`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** The caller's `Authorization` header, passed through untouched. */
  authorization?: string;
  /** Carried as `x-request-id`, so the function's logs line up with the gateway's. */
  requestId?: string;
  /** The client's address, signed for this request id (shared/http/client-address.ts). */
  forwardedClient?: ForwardedClient;
}

export interface FunctionResponse {
  statusCode: number;
  /** The parsed JSON body (null for an empty one). */
  body: unknown;
}

/**
 * How the gateway reaches the functions: in process (`inject`), over HTTP (serverless-offline
 * or API Gateway), or through the Lambda Invoke API. Resolvers only see this interface.
 */
export interface FunctionInvoker {
  invoke(fn: FunctionName, request: FunctionRequest): Promise<FunctionResponse>;
  close?(): Promise<void>;
}

export function queryString(query: FunctionRequest['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function requestHeaders(request: FunctionRequest): Record<string, string> {
  return {
    accept: 'application/json',
    ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(request.authorization ? { authorization: request.authorization } : {}),
    ...(request.requestId ? { 'x-request-id': request.requestId } : {}),
    ...(request.forwardedClient ? clientAddressHeaders(request.forwardedClient) : {}),
    // The trace goes on in the function (`traceparent`, and the order id as `baggage`).
    ...carrierOf(),
  };
}

export function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return {
      error: { code: 'INTERNAL', message: 'the function answered with something other than JSON' },
    };
  }
}
