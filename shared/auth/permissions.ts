import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden } from '../errors/catalogue.js';
import { type AuthUser, authenticate } from './auth.js';

/** What an API key may be given; an admin user holds them all, a customer none. */
export const PERMISSIONS = [
  'catalog:write',
  'orders:read',
  'orders:write',
  'settings:write',
  'webhooks:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(name: string): name is Permission {
  return (PERMISSIONS as readonly string[]).includes(name);
}

/** Whether the caller holds `permission`: every admin does; a key holds those it names. */
export function holds(user: AuthUser, permission: Permission): boolean {
  if (user.role === 'ADMIN') return true;
  return user.role === 'INTEGRATION' && (user.permissions ?? []).includes(permission);
}

/** Route hook (onRequest): a valid token or API key holding `permission`. */
export function requirePermission(permission: Permission) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await authenticate(request, reply);
    if (!holds(request.user, permission)) throw forbidden(`Requires the ${permission} permission`);
  };
}
