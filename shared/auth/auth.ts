import fastifyJwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, unauthenticated } from '../errors/catalogue.js';
import type { HttpApp } from '../http/http-app.js';
import type { AuthConfig } from './auth-config.js';

export const ROLES = ['CUSTOMER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Who a request comes from, as carried in its token. */
export interface AuthUser {
  /** The account id. */
  sub: string;
  email: string;
  role: Role;
  /** The account's session version when the token was made: a password change ends older ones. */
  sv?: number;
  /** The token's own id: logging out revokes this one. */
  jti?: string;
}

/** Whether a verified token's session is still live (not logged out, no password change since). */
export type SessionCheck = (user: AuthUser) => Promise<boolean>;

declare module 'fastify' {
  interface FastifyInstance {
    sessionIsLive?: SessionCheck;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AuthUser;
    user: AuthUser;
  }
}

/**
 * Adds JWT support to an app: `app.jwt.sign(user)` issues HS256 tokens with issuer, audience
 * and expiry; verification accepts HS256 only (so `alg: none` and other algorithms are
 * refused), checks signature, expiry, issuer and audience.
 */
export async function registerAuth(
  app: HttpApp,
  config: AuthConfig,
  sessions?: SessionCheck,
): Promise<void> {
  // Every function that takes tokens asks the accounts port whether the session still holds.
  if (sessions) app.decorate('sessionIsLive', sessions);
  await app.register(fastifyJwt, {
    secret: config.jwtSecret,
    sign: {
      algorithm: 'HS256',
      iss: config.issuer,
      aud: config.audience,
      expiresIn: `${config.tokenTtlSeconds}s`,
    },
    verify: { algorithms: ['HS256'], allowedIss: config.issuer, allowedAud: config.audience },
  });
}

/** Route hook (onRequest): the request must carry a valid `Authorization: Bearer` token. */
export async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (!request.headers.authorization) throw unauthenticated('Authorization: Bearer token required');
  try {
    await request.jwtVerify();
  } catch {
    // One answer for every bad token (expired, tampered, wrong issuer): no oracle for forgers.
    throw unauthenticated('Invalid or expired token');
  }
  const live = request.server.sessionIsLive;
  if (live && !(await live(request.user))) {
    throw unauthenticated('This session has ended: sign in again');
  }
}

/** Route hook factory (onRequest): a valid token whose role is one of `roles`. */
export function requireRole(...roles: Role[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await authenticate(request, reply);
    if (!roles.includes(request.user.role)) throw forbidden(`Requires role ${roles.join(' or ')}`);
  };
}
