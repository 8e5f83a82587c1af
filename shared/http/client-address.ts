import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * The client's address as the gateway saw it, passed to the functions it calls. A function
 * trusts it only with a valid signature (an HMAC under a secret the gateway and functions
 * share), so a caller reaching a function's route directly cannot choose its own address
 * and escape a per-client limit: without a valid signature, the function uses the address
 * of whoever connected (API Gateway's `sourceIp` on AWS).
 */
export const CLIENT_ADDRESS_HEADER = 'x-orderly-client-address';
export const CLIENT_ADDRESS_SIGNATURE_HEADER = 'x-orderly-client-address-signature';

export interface ForwardedClient {
  address: string;
  signature: string;
}

function sign(secret: string, address: string, requestId: string): string {
  return createHmac('sha256', `orderly-client-address\u0000${secret}`)
    .update(`${requestId}\u0000${address}`)
    .digest('base64url');
}

/** What the gateway attaches to a function call made for a client at `address`. */
export function forwardClient(secret: string, address: string, requestId: string): ForwardedClient {
  return { address, signature: sign(secret, address, requestId) };
}

/** The headers carrying a forwarded client address. */
export function clientAddressHeaders(forwarded: ForwardedClient): Record<string, string> {
  return {
    [CLIENT_ADDRESS_HEADER]: forwarded.address,
    [CLIENT_ADDRESS_SIGNATURE_HEADER]: forwarded.signature,
  };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The address a per-client limit should count: the gateway's forwarded one when its
 * signature verifies for this request id, else the connecting address.
 */
export function clientAddressOf(request: FastifyRequest, secret: string): string {
  const address = header(request, CLIENT_ADDRESS_HEADER);
  const signature = header(request, CLIENT_ADDRESS_SIGNATURE_HEADER);
  const requestId = header(request, 'x-request-id');
  if (!address || !signature || !requestId || address.length > 100) return request.ip;
  const expected = Buffer.from(sign(secret, address, requestId));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? address
    : request.ip;
}
