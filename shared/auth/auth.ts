import fastifyJwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, unauthenticated } from '../errors/catalogue.js';
import type { HttpApp } from '../http/http-app.js';
import type { AuthConfig } from './auth-config.js';

/** INTEGRATION: a program calling with an API key, holding only the key's permissions. */
export const ROLES = ['CUSTOMER', 'ADMIN', 'INTEGRATION'] as const;
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
  /** An API key's permissions (role INTEGRATION); see permissions.ts. */
  permissions?: string[];
}

/**
 * What the accounts module answers about credentials (its port's `accountAccess`): whether a
 * verified token's session is still live (not logged out, no password change since), and who an
 * API key is (null: unknown or revoked).
 */
export interface AccessChecks {
  sessionIsLive(user: AuthUser): Promise<boolean>;
  apiKeyUser(key: string): Promise<AuthUser | null>;
}

/** API keys start with this, so they are told from tokens before anything is verified. */
export const API_KEY_PREFIX = 'ok_';

declare module 'fastify' {
  interface FastifyInstance {
    access?: AccessChecks;
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
  access?: AccessChecks,
): Promise<void> {
  // Every function that takes tokens asks the accounts port whether the session still holds.
  if (access) app.decorate('access', access);
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
  const authorization = request.headers.authorization;
  if (!authorization) throw unauthenticated('Authorization: Bearer token required');
  const access = request.server.access;
  if (authorization.startsWith(`Bearer ${API_KEY_PREFIX}`)) {
    const user = await access?.apiKeyUser(authorization.slice('Bearer '.length));
    if (!user) throw unauthenticated('Invalid or revoked API key');
    request.user = user;
    return;
  }
  try {
    await request.jwtVerify();
  } catch {
    // One answer for every bad token (expired, tampered, wrong issuer): no oracle for forgers.
    throw unauthenticated('Invalid or expired token');
  }
  if (access && !(await access.sessionIsLive(request.user))) {
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
