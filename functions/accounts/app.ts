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
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from './password.js';

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
 * The first admin, from ADMIN_EMAIL and ADMIN_PASSWORD: created when no account holds the
 * email, left alone when that admin exists (its password may have changed since), and never
 * made from a customer's account: that is logged as an error for the operator, who creates
 * the admin under another address (`npm run admin -- create`).
 */
async function bootstrapAdmin(
  store: AccountStore,
  admin: { email: string; password: string },
  logger: Logger,
): Promise<void> {
  const email = normaliseEmail(admin.email);
  const outcome = await store.createAdmin(
    email,
    'Administrator',
    await hashPassword(admin.password),
  );
  if (outcome === 'CREATED') logger.info({ email }, 'admin account created from ADMIN_EMAIL');
  if (outcome === 'TAKEN_BY_CUSTOMER') {
    logger.error(
      { email },
      'ADMIN_EMAIL belongs to a customer account, which is not made an admin: no admin was ' +
        'created. Create one with `npm run admin -- create` under an address you own.',
    );
  }
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

  if (deps.admin) await bootstrapAdmin(store, deps.admin, deps.logger);

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
      const { passwordHash, ...user } = account;
      if (needsRehash(passwordHash)) {
        await store.upgradePasswordHash(
          user.id,
          passwordHash,
          await hashPassword(request.body.password),
        );
      }
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
