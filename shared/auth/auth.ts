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
export async function registerAuth(app: HttpApp, config: AuthConfig): Promise<void> {
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
}

/** Route hook factory (onRequest): a valid token whose role is one of `roles`. */
export function requireRole(...roles: Role[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await authenticate(request, reply);
    if (!roles.includes(request.user.role)) throw forbidden(`Requires role ${roles.join(' or ')}`);
  };
}
