import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { Db } from 'mongodb';
import { type AuthUser, authenticate, registerAuth, requireRole } from '../../shared/auth/auth.js';
import type { AuthConfig } from '../../shared/auth/auth-config.js';
import {
  AppError,
  badUserInput,
  ErrorCode,
  notFound,
  unauthenticated,
} from '../../shared/errors/catalogue.js';
import { clientAddressOf } from '../../shared/http/client-address.js';
import { createHttpApp, type HttpApp } from '../../shared/http/http-app.js';
import type { Logger } from '../../shared/logger/logger.js';
import { queueMail } from '../notifications/port.js';
import { composeResetMail, composeSignupAttemptMail, type Shop } from './account-mail.js';
import {
  ApiKey,
  ApiKeyInput,
  ApiKeyList,
  AuthPayload,
  ChangePasswordInput,
  IdParams,
  LoginInput,
  Ok,
  RegisterInput,
  ResetPasswordInput,
  ResetRequestInput,
  User,
} from './account-schemas.js';
import { AccountStore, accountAccess, normaliseEmail } from './account-store.js';
import { ApiKeys } from './api-keys.js';
import type { AuthLimits } from './config.js';
import { LoginThrottle } from './login-throttle.js';
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from './password.js';
import { PasswordResets } from './password-resets.js';
import { requestCountStore } from './request-counts.js';

export interface AccountsDeps {
  logger: Logger;
  db: Db;
  auth: AuthConfig;
  admin?: { email: string; password: string };
  limits: AuthLimits;
  /** The shop's name and address, for the links in account mails. */
  shop?: Shop;
}

/** Reset mails one account may be sent per hour. */
const RESETS_PER_HOUR = 3;
const HOUR_MS = 3_600_000;

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
  const store = new AccountStore(deps.db);
  await registerAuth(app, deps.auth, accountAccess(deps.db));
  const { limits } = deps;
  const shop = deps.shop ?? { name: 'Orderly', url: 'http://127.0.0.1:4000' };
  const resets = new PasswordResets(deps.db);
  const clientOf = (request: Parameters<typeof clientAddressOf>[0]) =>
    clientAddressOf(request, deps.auth.jwtSecret);
  // Limits apply only to the routes that opt in (config.rateLimit); the counters are in MongoDB,
  // so every container of the function counts the same requests.
  await app.register(rateLimit, {
    global: false,
    keyGenerator: clientOf,
    store: requestCountStore(deps.db),
  });
  const throttle = new LoginThrottle(deps.db, {
    pair: { free: limits.loginFailuresPerAccount, maxSeconds: limits.loginFailureWindowSeconds },
    address: { free: limits.loginFailuresPerAddress, maxSeconds: limits.loginFailureWindowSeconds },
  });
  /** The throttle's keys of a password try: this account from this address, and the address. */
  const keysOf = (request: Parameters<typeof clientOf>[0], email: string) => {
    const address = clientOf(request);
    return { pair: `pair:${email}|${address}`, address: `address:${address}` };
  };
  /** Refused before the password is checked, so a guesser learns nothing more. */
  const refuseWhileDelayed = async (keys: { pair: string; address: string }) => {
    const wait = await throttle.waitFor([keys.pair, keys.address]);
    if (wait > 0) throw tooManyFailures(wait);
  };

  if (deps.admin) await bootstrapAdmin(store, deps.admin, deps.logger);

  const sign = (user: User, sessionVersion: number) => {
    const claims: AuthUser = {
      sub: user.id,
      email: user.email,
      role: user.role,
      sv: sessionVersion,
      jti: randomUUID(),
    };
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
      const { user, owner } = await store.register({
        email: normaliseEmail(request.body.email),
        name: request.body.name.trim(),
        passwordHash: await hashPassword(request.body.password),
      });
      if (owner) {
        // The address had an account: the answer is the same as for a free address, and the
        // address's owner hears of it by mail, at most once an hour.
        await queueMail(deps.db, {
          id: `signup:${owner.id}:${new Date().toISOString().slice(0, 13)}`,
          userId: owner.id,
          kind: 'SIGNUP_ATTEMPT',
          secret: false,
          ...composeSignupAttemptMail(owner, shop),
        });
        request.log.info({ userId: user.id, owner: owner.id }, 'later sign-up for a held address');
      }
      return reply.status(201).send(sign(user, 0));
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
      const keys = keysOf(request, email);
      await refuseWhileDelayed(keys);
      const owner = await store.findByEmail(email);
      // The same work and the same answer whether or not the email exists.
      let account = (await verifyPassword(request.body.password, owner?.passwordHash ?? DUMMY_HASH))
        ? owner
        : null;
      // Not the owner's password: perhaps a later sign-up's (see AccountStore.register).
      if (owner && !account) {
        for (const later of await store.laterSignupsOf(email)) {
          if (await verifyPassword(request.body.password, later.passwordHash)) {
            account = later;
            break;
          }
        }
      }
      if (!account) {
        await throttle.fail([keys.pair, keys.address]);
        request.log.warn({ client: keys.address }, 'login refused: wrong email or password');
        throw unauthenticated(LOGIN_REFUSED);
      }
      await throttle.clear(keys.pair);
      const { passwordHash, sessionVersion, ...user } = account;
      if (needsRehash(passwordHash)) {
        await store.upgradePasswordHash(
          user.id,
          passwordHash,
          await hashPassword(request.body.password),
        );
      }
      return sign(user, sessionVersion);
    },
  );

  app.post(
    '/accounts/logout',
    { onRequest: authenticate, schema: { response: { 200: Ok } } },
    async (request) => {
      const { sub, jti, exp } = request.user as AuthUser & { exp?: number };
      // A token from before sessions were kept has no id: the account's sessions all end.
      if (jti && exp) await store.revokeToken(sub, jti, new Date(exp * 1000));
      else await store.endSessions(sub);
      return { ok: true };
    },
  );

  app.post(
    '/accounts/password',
    {
      onRequest: authenticate,
      config: { rateLimit: attempts },
      schema: { body: ChangePasswordInput, response: { 200: Ok } },
    },
    async (request) => {
      const found = await store.credentialsOf(request.user.sub);
      if (!found) throw notFound('This account no longer exists');
      // The current password is a password try like a login's: throttled the same way.
      const keys = keysOf(request, found.user.email);
      await refuseWhileDelayed(keys);
      if (!(await verifyPassword(request.body.currentPassword, found.passwordHash))) {
        await throttle.fail([keys.pair, keys.address]);
        throw badUserInput('The current password is wrong', { field: 'currentPassword' });
      }
      await throttle.clear(keys.pair);
      await store.replacePassword(found.user.id, await hashPassword(request.body.newPassword));
      request.log.info({ userId: found.user.id }, 'password changed; every session ended');
      return { ok: true };
    },
  );

  app.post(
    '/accounts/password-reset/request',
    {
      config: { rateLimit: registrations },
      schema: { body: ResetRequestInput, response: { 202: Ok } },
    },
    async (request, reply) => {
      const account = await store.findByEmail(normaliseEmail(request.body.email));
      // The same answer, and no mail sent while answering, whether or not the account exists.
      if (account && (await resets.madeSince(account.id, HOUR_MS)) < RESETS_PER_HOUR) {
        const { token, ref } = await resets.create(account.id);
        await queueMail(deps.db, {
          id: `reset:${ref}`,
          userId: account.id,
          kind: 'PASSWORD_RESET',
          secret: true,
          ...composeResetMail(account, token, ref, shop),
        });
      }
      return reply.status(202).send({ ok: true });
    },
  );

  app.post(
    '/accounts/password-reset',
    {
      config: { rateLimit: attempts },
      schema: { body: ResetPasswordInput, response: { 200: Ok } },
    },
    async (request) => {
      const userId = await resets.spend(request.body.token);
      if (!userId) {
        throw badUserInput('This reset link is not valid: it was used, or it expired', {
          field: 'token',
        });
      }
      await store.replacePassword(userId, await hashPassword(request.body.newPassword));
      request.log.info({ userId }, 'password reset; every session ended');
      return { ok: true };
    },
  );

  // API keys: made, listed and revoked by an admin person, never by a key.
  const admins = { onRequest: requireRole('ADMIN') };
  const apiKeys = new ApiKeys(deps.db);
  app.post(
    '/accounts/api-keys',
    { ...admins, schema: { body: ApiKeyInput, response: { 201: ApiKey } } },
    async (request, reply) => {
      const created = await apiKeys.create({
        name: request.body.name.trim(),
        permissions: request.body.permissions,
        createdBy: request.user.sub,
      });
      request.log.info(
        { apiKey: created.id, permissions: created.permissions, by: request.user.sub },
        'API key created',
      );
      return reply.status(201).send(created);
    },
  );
  app.get(
    '/accounts/api-keys',
    { ...admins, schema: { response: { 200: ApiKeyList } } },
    async () => ({
      apiKeys: await apiKeys.list(),
    }),
  );
  app.delete(
    '/accounts/api-keys/:id',
    { ...admins, schema: { params: IdParams, response: { 200: Ok } } },
    async (request) => {
      if (!(await apiKeys.revoke(request.params.id))) throw notFound('No such API key in force');
      request.log.info({ apiKey: request.params.id, by: request.user.sub }, 'API key revoked');
      return { ok: true };
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
