import rateLimit from '@fastify/rate-limit';
import type { Db } from 'mongodb';
import { type AuthUser, authenticate, registerAuth } from '../../shared/auth/auth.js';
import type { AuthConfig } from '../../shared/auth/auth-config.js';
import { notFound, unauthenticated } from '../../shared/errors/catalogue.js';
import { createHttpApp, type HttpApp } from '../../shared/http/http-app.js';
import type { Logger } from '../../shared/logger/logger.js';
import { AuthPayload, LoginInput, RegisterInput, User } from './account-schemas.js';
import { AccountStore, normaliseEmail } from './account-store.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.js';

export interface AccountsDeps {
  logger: Logger;
  db: Db;
  auth: AuthConfig;
  admin?: { email: string; password: string };
  authAttemptsPerMinute: number;
}

const LOGIN_REFUSED = 'Email or password is wrong';

/** The accounts function: register, log in (both rate limited), and who am I. */
export async function buildApp(deps: AccountsDeps): Promise<HttpApp> {
  const app = createHttpApp({ logger: deps.logger, bodyLimit: 8 * 1024 });
  await registerAuth(app, deps.auth);
  // Limits apply only to the routes that opt in (config.rateLimit); counters live in memory,
  // per container: on AWS they slow a guesser down per instance, not across the fleet.
  await app.register(rateLimit, { global: false });
  const store = new AccountStore(deps.db);

  if (deps.admin) {
    await store.ensureAdmin(
      normaliseEmail(deps.admin.email),
      await hashPassword(deps.admin.password),
    );
  }

  const sign = (user: User) => {
    const claims: AuthUser = { sub: user.id, email: user.email, role: user.role };
    return { token: app.jwt.sign(claims), user };
  };
  const limited = { rateLimit: { max: deps.authAttemptsPerMinute, timeWindow: 60_000 } };

  app.post(
    '/accounts/register',
    { config: limited, schema: { body: RegisterInput, response: { 201: AuthPayload } } },
    async (request, reply) => {
      const user = await store.create({
        email: normaliseEmail(request.body.email),
        name: request.body.name.trim(),
        role: 'CUSTOMER',
        passwordHash: await hashPassword(request.body.password),
      });
      return reply.status(201).send(sign(user));
    },
  );

  app.post(
    '/accounts/login',
    { config: limited, schema: { body: LoginInput, response: { 200: AuthPayload } } },
    async (request) => {
      const account = await store.findByEmail(normaliseEmail(request.body.email));
      // The same work and the same answer whether or not the email exists.
      const valid = await verifyPassword(
        request.body.password,
        account?.passwordHash ?? DUMMY_HASH,
      );
      if (!account || !valid) throw unauthenticated(LOGIN_REFUSED);
      const { passwordHash: _hash, ...user } = account;
      return sign(user);
    },
  );

  app.get(
    '/accounts/me',
    { onRequest: authenticate, schema: { response: { 200: User } } },
    async (request) => {
      const user = await store.findById(request.user.sub);
      if (!user) throw notFound('This account no longer exists');
      return user;
    },
  );

  return app;
}
