import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/**
 * Where the client's own address comes from behind a CDN: CloudFront's viewer-request function
 * writes the viewer's address into `header`, and CloudFront adds `secretHeader: secret` to every
 * request it forwards. Only a request carrying that secret (so it came through CloudFront, not
 * straight to the API's own address) is believed; any other is counted by the address it
 * connects from, whatever headers it sends.
 */
export interface ViewerAddressSource {
  header: string;
  secretHeader: string;
  secret: string;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The address a request's limits and signed client address count. */
export function clientAddressOf(
  request: Pick<FastifyRequest, 'ip' | 'headers'>,
  source: ViewerAddressSource | undefined,
): string {
  if (!source) return request.ip;
  const secret = request.headers[source.secretHeader];
  const viewer = request.headers[source.header];
  if (typeof secret !== 'string' || typeof viewer !== 'string') return request.ip;
  if (!sameSecret(secret, source.secret)) return request.ip;
  const address = viewer.trim();
  return isIP(address) ? address : request.ip;
}
