import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp } from '../shared/http/http-app.js';

/**
 * What the GraphQL-over-HTTP specification asks beyond what Mercurius does by itself, as two
 * hooks on `/graphql` (graphql-http's audit checks them; gateway/graphql-over-http.test.ts).
 *
 * - A `null` `extensions` (or `variables`, `operationName`) member is the same as none: the
 *   spec allows it, Mercurius's body schema does not.
 * - A client that accepts `application/graphql-response+json` gets it, and a request refused
 *   before execution (parse, validation, variables) then carries no `data` member at all.
 *   Clients that accept only `application/json` (or say nothing) get what they always got.
 */

export const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/** The quality a client's Accept header gives a media type (0 when it is not accepted). */
function quality(accept: string, type: string): number {
  let best = 0;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    if (range !== type) continue;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    best = Math.max(best, q ? Number(q.slice(2)) || 0 : 1);
  }
  return best;
}

/** Whether the response should be `application/graphql-response+json`. */
export function prefersGraphQLResponse(accept: string | undefined): boolean {
  if (!accept) return false;
  const wanted = quality(accept, GRAPHQL_RESPONSE);
  return wanted > 0 && wanted >= quality(accept, 'application/json');
}

const isGraphQLRoute = (request: FastifyRequest) =>
  request.url === '/graphql' || request.url.startsWith('/graphql?');

const OPTIONAL_MEMBERS = ['extensions', 'variables', 'operationName'] as const;

export function registerGraphQLOverHttp(app: HttpApp): void {
  app.addHook('preValidation', async (request) => {
    if (!isGraphQLRoute(request) || request.method !== 'POST') return;
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
    const members = body as Record<string, unknown>;
    for (const member of OPTIONAL_MEMBERS) if (members[member] === null) delete members[member];
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (!isGraphQLRoute(request) || !prefersGraphQLResponse(request.headers.accept)) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.startsWith('application/json')) return payload;
    reply.header('content-type', `${GRAPHQL_RESPONSE}; charset=utf-8`);
    if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
    // A request error: the operation never ran, so there is no data, not even null.
    const result = JSON.parse(payload) as { data?: unknown; errors?: unknown };
    if (result.data !== null || !Array.isArray(result.errors)) return payload;
    const { data: _none, ...withoutData } = result;
    return JSON.stringify(withoutData);
  });
}
