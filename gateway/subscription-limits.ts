import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { type DocumentNode, GraphQLError, type GraphQLSchema, parse, validate } from 'graphql';
import { ErrorCode } from '../shared/errors/catalogue.js';
import { type QueryLimits, validationRules } from './limits.js';

/** How much one client may hold open: sockets per address, subscriptions per socket. */
export interface SubscriptionLimits {
  /** WebSocket connections one client address may hold at once. */
  socketsPerClient: number;
  /** Subscriptions one connection may run at once. */
  subscriptionsPerSocket: number;
  /** Largest WebSocket message accepted (bytes); a larger one closes the connection. */
  maxMessageBytes: number;
}

/** What each connection counts, shared by the contexts Mercurius copies from it. */
export interface SocketAllowance {
  active: Set<string>;
}

function refused(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * Registers the WebSocket server with a message size limit and a cap on connections per client
 * address (counted in this process, where the sockets are), before Mercurius (which then uses
 * it instead of its own, whose messages may be 1 MiB).
 */
export async function registerSocketLimits(
  app: FastifyInstance,
  limits: SubscriptionLimits,
): Promise<void> {
  await app.register(websocket, { options: { maxPayload: limits.maxMessageBytes } });
  const open = new Map<string, number>();
  app.addHook('onRequest', async (request, reply) => {
    if (!request.ws) return;
    const client = request.ip;
    const count = open.get(client) ?? 0;
    if (count >= limits.socketsPerClient) {
      // The upgrade is answered, not taken: a client sees why in the handshake's status.
      return reply.code(429).send({
        errors: [
          {
            message: `At most ${limits.socketsPerClient} live-update connections per client`,
            extensions: { code: 'FORBIDDEN', reason: ErrorCode.RATE_LIMITED },
          },
        ],
      });
    }
    open.set(client, count + 1);
    request.raw.socket.once('close', () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left > 0) open.set(client, left);
      else open.delete(client);
    });
  });
}

/**
 * Mercurius runs a subscription's document through none of the validation rules queries get:
 * this hook (preSubscriptionParsing, before Mercurius keeps anything of it) applies the same
 * field and alias limits, and the cap on subscriptions per connection.
 */
export function subscriptionGuard(queryLimits: QueryLimits, limits: SubscriptionLimits) {
  const rules = validationRules(queryLimits);
  return async (
    schema: GraphQLSchema,
    source: string,
    context: { socketAllowance?: SocketAllowance },
    id: string | number,
  ): Promise<void> => {
    const allowance = context.socketAllowance;
    if (allowance && allowance.active.size >= limits.subscriptionsPerSocket) {
      throw refused(
        `At most ${limits.subscriptionsPerSocket} subscriptions per connection; end one first`,
      );
    }
    let document: DocumentNode;
    try {
      document = parse(source);
    } catch (err) {
      throw refused((err as Error).message);
    }
    const [problem] = validate(schema, document, rules);
    if (problem) throw refused(problem.message);
    allowance?.active.add(String(id));
  };
}
