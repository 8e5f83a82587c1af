import rateLimit from '@fastify/rate-limit';
import type { Db } from 'mongodb';
import { type AuthUser, authenticate, registerAuth } from '../../shared/auth/auth.js';
import type { AuthConfig } from '../../shared/auth/auth-config.js';
import { AppError, ErrorCode, notFound, unauthenticated } from '../../shared/errors/catalogue.js';
import { clientAddressOf } from '../../shared/http/client-address.js';
import { createHttpApp, type HttpApp } from '../../shared/http/http-app.js';
import type { Logger } from '../../shared/logger/logger.js';
import { AuthPayload, LoginInput, RegisterInput, User } from './account-schemas.js';
import { AccountStore, normaliseEmail } from './account-store.js';
import type { AuthLimits } from './config.js';
import { FailureCounter } from './login-throttle.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.js';

export interface AccountsDeps {
  logger: Logger;
  db: Db;
  auth: AuthConfig;
  admin?: { email: string; password: string };
  limits: AuthLimits;
}

const LOGIN_REFUSED = 'Email or password is wrong';

function tooManyFailures(seconds: number) {
  return new AppError(
    ErrorCode.RATE_LIMITED,
    `Too many wrong passwords; try again in ${seconds} s`,
    { retryAfterSeconds: seconds },
  );
}

/**
 * The accounts function: register, log in, and who am I. Every limit counts the client's
 * address as the gateway saw it (signed, see shared/http/client-address.ts): registration
 * per address; login requests per address, and wrong passwords per account and per address.
 */
export async function buildApp(deps: AccountsDeps): Promise<HttpApp> {
  const app = createHttpApp({ component: 'accounts', logger: deps.logger, bodyLimit: 8 * 1024 });
  await registerAuth(app, deps.auth);
  const { limits } = deps;
  const clientOf = (request: Parameters<typeof clientAddressOf>[0]) =>
    clientAddressOf(request, deps.auth.jwtSecret);
  // Limits apply only to the routes that opt in (config.rateLimit); counters live in memory,
  // per container: on AWS they slow a guesser down per instance, not across the fleet.
  await app.register(rateLimit, { global: false, keyGenerator: clientOf });
  const windowMs = limits.loginFailureWindowSeconds * 1000;
  const accountFailures = new FailureCounter(limits.loginFailuresPerAccount, windowMs);
  const addressFailures = new FailureCounter(limits.loginFailuresPerAddress, windowMs);
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
  const attempts = { max: limits.authAttemptsPerMinute, timeWindow: 60_000 };
  const registrations = {
    max: Math.min(limits.registrationsPerMinute, limits.authAttemptsPerMinute),
    timeWindow: 60_000,
  };

  app.post(
    '/accounts/register',
    {
      config: { rateLimit: registrations },
      schema: { body: RegisterInput, response: { 201: AuthPayload } },
    },
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
    {
      config: { rateLimit: attempts },
      schema: { body: LoginInput, response: { 200: AuthPayload } },
    },
    async (request) => {
      const email = normaliseEmail(request.body.email);
      const accountKey = `account:${email}`;
      const addressKey = `address:${clientOf(request)}`;
      // Refused before the password is checked, so a guesser learns nothing more.
      const blocked = Math.max(
        accountFailures.blockedFor(accountKey),
        addressFailures.blockedFor(addressKey),
      );
      if (blocked > 0) throw tooManyFailures(blocked);
      const account = await store.findByEmail(email);
      // The same work and the same answer whether or not the email exists.
      const valid = await verifyPassword(
        request.body.password,
        account?.passwordHash ?? DUMMY_HASH,
      );
      if (!account || !valid) {
        accountFailures.fail(accountKey);
        addressFailures.fail(addressKey);
        request.log.warn({ client: addressKey }, 'login refused: wrong email or password');
        throw unauthenticated(LOGIN_REFUSED);
      }
      accountFailures.clear(accountKey);
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
