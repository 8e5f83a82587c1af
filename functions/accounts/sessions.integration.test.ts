import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuthConfig } from '../../shared/auth/auth-config.js';
import { loadConfig, readRuntimeConfig } from '../../shared/config/config.js';
import { type MailConfig, readMailConfig } from '../../shared/email/mail-config.js';
import {
  listSentMail,
  type MailSender,
  sesMailSender,
  verifyLocalSender,
} from '../../shared/email/mail-sender.js';
import type { HttpApp } from '../../shared/http/http-app.js';
import { connectMongo, type MongoConnection } from '../../shared/mongo/mongo-client.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { buildApp as buildCarts } from '../carts/app.js';
import { createMailDelivery } from '../notifications/handler.js';
import { NOTIFICATION_INDEXES } from '../notifications/port.js';
import { ACCOUNT_INDEXES } from './account-store.js';
import { buildApp } from './app.js';
import { DEFAULT_AUTH_LIMITS } from './config.js';

const auth: AuthConfig = {
  jwtSecret: 'sessions-test-secret-that-is-long-enough-9',
  issuer: 'orderly',
  audience: 'orderly-api',
  tokenTtlSeconds: 600,
};

/**
 * Sessions and passwords, through the accounts function against the real database, with the
 * reset mail sent through LocalStack's SES and read back from it.
 */
describe('sessions and passwords (real MongoDB, LocalStack SES)', () => {
  const dbName = uniqueName('it_sessions');
  let mongo: MongoConnection;
  let app: HttpApp;
  let carts: HttpApp;
  let mail: MailConfig;
  let ses: MailSender;

  before(async () => {
    mongo = await connectMongo(
      { ...integrationConfig().mongo, dbName },
      { logger: testLogger(), indexes: [...ACCOUNT_INDEXES, ...NOTIFICATION_INDEXES] },
    );
    app = await buildApp({
      logger: testLogger(),
      db: mongo.db,
      auth,
      limits: DEFAULT_AUTH_LIMITS,
      shop: { name: 'Session Shop', url: 'https://shop.example' },
    });
    carts = await buildCarts({ logger: testLogger(), db: mongo.db, auth });
    mail = loadConfig((env) => readMailConfig(env, readRuntimeConfig(env)));
    await verifyLocalSender(mail);
    ses = sesMailSender(mail);
  });
  after(async () => {
    ses.close();
    await app.close();
    await carts.close();
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  const post = (url: string, payload?: object, token?: string) =>
    app.inject({
      method: 'POST',
      url,
      ...(payload ? { payload } : {}),
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const me = (token: string) =>
    app.inject({
      method: 'GET',
      url: '/accounts/me',
      headers: { authorization: `Bearer ${token}` },
    });
  const cart = (token: string) =>
    carts.inject({ method: 'GET', url: '/cart', headers: { authorization: `Bearer ${token}` } });
  const signUp = async (password = 'first-password-1') => {
    const email = `${uniqueName('s')}@example.com`;
    const created = await post('/accounts/register', { email, password, name: 'Sam' });
    assert.equal(created.statusCode, 201);
    return { email, token: created.json().token as string };
  };
  const login = (email: string, password: string) => post('/accounts/login', { email, password });

  it('logs out the one token it is sent with, in every function', async () => {
    const { email, token } = await signUp();
    const other = (await login(email, 'first-password-1')).json().token as string;
    assert.equal((await cart(token)).statusCode, 200);
    const out = await post('/accounts/logout', undefined, token);
    assert.equal(out.statusCode, 200);
    const after = await me(token);
    assert.equal(after.statusCode, 401);
    assert.match(after.json().error.message, /session has ended/);
    assert.equal((await cart(token)).statusCode, 401, 'the carts function refuses it too');
    assert.equal((await me(other)).statusCode, 200, 'the other session goes on');
  });

  it('changes a password only with the current one, and ends every session', async () => {
    const { email, token } = await signUp();
    const other = (await login(email, 'first-password-1')).json().token as string;
    const wrong = await post(
      '/accounts/password',
      { currentPassword: 'not-it-at-all-1', newPassword: 'second-password-2' },
      token,
    );
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().error.details.field, 'currentPassword');
    assert.equal((await me(token)).statusCode, 200, 'a wrong try changes nothing');
    const changed = await post(
      '/accounts/password',
      { currentPassword: 'first-password-1', newPassword: 'second-password-2' },
      token,
    );
    assert.equal(changed.statusCode, 200);
    assert.equal((await me(token)).statusCode, 401);
    assert.equal((await me(other)).statusCode, 401);
    assert.equal((await login(email, 'first-password-1')).statusCode, 401);
    assert.equal((await login(email, 'second-password-2')).statusCode, 200);
  });

  it('mails a reset link that works once, within 30 minutes, and signs every session out', async () => {
    const { email, token } = await signUp();
    const known = await post('/accounts/password-reset/request', { email });
    const unknown = await post('/accounts/password-reset/request', {
      email: `${uniqueName('nobody')}@example.com`,
    });
    assert.deepEqual([known.statusCode, known.body], [unknown.statusCode, unknown.body]);
    assert.equal(known.statusCode, 202);
    // The mail sweep sends what the accounts function queued.
    assert.ok((await createMailDelivery(mongo.db, ses, testLogger()).sweep()) >= 1);
    const mails = (await listSentMail(mail.sentMailRecordUrl ?? '', mail.from)).filter((m) =>
      m.Destination?.ToAddresses?.includes(email),
    );
    assert.equal(mails.length, 1);
    assert.match(mails[0]?.Subject ?? '', /^Session Shop: reset your password \(request \w{8}\)$/);
    const link = /https:\/\/shop\.example\/reset-password\?token=([\w-]+)/.exec(
      mails[0]?.Body.text_part ?? '',
    );
    const resetToken = decodeURIComponent(link?.[1] ?? '');
    assert.ok(resetToken.length >= 40, mails[0]?.Body.text_part ?? '');
    // Stored as its hash only: neither the resets nor the sent mail's record hold the token.
    const stored = JSON.stringify([
      await mongo.db.collection('password_resets').find().toArray(),
      await mongo.db.collection('notifications').find().toArray(),
    ]);
    assert.ok(!stored.includes(resetToken), 'the token is kept nowhere');

    const reset = await post('/accounts/password-reset', {
      token: resetToken,
      newPassword: 'reset-password-3',
    });
    assert.equal(reset.statusCode, 200);
    assert.equal((await me(token)).statusCode, 401, 'the old session ended');
    assert.equal((await login(email, 'reset-password-3')).statusCode, 200);
    const again = await post('/accounts/password-reset', {
      token: resetToken,
      newPassword: 'reset-password-4',
    });
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().error.details.field, 'token');
    assert.equal((await login(email, 'reset-password-4')).statusCode, 401);
  });

  it('lets a taken address be registered without saying so: the owner is mailed, and keeps the address', async () => {
    const { email, token: ownerToken } = await signUp('owner-password-1');
    const ownerId = (await me(ownerToken)).json().id;
    const laterOne = await post('/accounts/register', {
      email: email.toUpperCase(),
      password: 'later-password-2',
      name: 'Later',
    });
    const laterTwo = await post('/accounts/register', {
      email,
      password: 'later-password-3',
      name: 'Later again',
    });
    assert.deepEqual([laterOne.statusCode, laterTwo.statusCode], [201, 201]);
    const later = laterOne.json();
    assert.notEqual(later.user.id, ownerId);
    assert.equal((await me(later.token)).json().id, later.user.id);

    // Each password opens its own account; the owner's is tried first and still works.
    assert.equal((await login(email, 'owner-password-1')).json().user.id, ownerId);
    assert.equal((await login(email, 'later-password-2')).json().user.id, later.user.id);
    assert.equal((await login(email, 'later-password-3')).json().user.id, laterTwo.json().user.id);
    assert.equal((await login(email, 'nobody-password-4')).statusCode, 401);
    assert.equal((await me(ownerToken)).statusCode, 200, 'the owner stays signed in');

    // One mail to the owner for both attempts in the hour, through SES.
    await createMailDelivery(mongo.db, ses, testLogger()).sweep();
    const sent = (await listSentMail(mail.sentMailRecordUrl ?? '', mail.from)).filter((m) =>
      m.Destination?.ToAddresses?.includes(email),
    );
    assert.equal(sent.length, 1, JSON.stringify(sent.map((m) => m.Subject)));
    assert.equal(sent[0]?.Subject, 'Session Shop: a new account was made with your address');
    assert.match(sent[0]?.Body.text_part ?? '', /https:\/\/shop\.example\/forgot-password/);
    assert.doesNotMatch(sent[0]?.Body.text_part ?? '', /later-password/);

    // A reset for the address is the owner's.
    await post('/accounts/password-reset/request', { email });
    await createMailDelivery(mongo.db, ses, testLogger()).sweep();
    const reset = (await listSentMail(mail.sentMailRecordUrl ?? '', mail.from)).find(
      (m) => m.Destination?.ToAddresses?.includes(email) && /reset/.test(m.Subject ?? ''),
    );
    const resetToken = decodeURIComponent(
      /token=([\w-]+)/.exec(reset?.Body.text_part ?? '')?.[1] ?? '',
    );
    await post('/accounts/password-reset', { token: resetToken, newPassword: 'owner-password-5' });
    assert.equal((await login(email, 'owner-password-5')).json().user.id, ownerId);
    assert.equal((await me(later.token)).statusCode, 200, "a later sign-up's session is its own");
  });

  it('refuses an expired link, and sends at most three links an hour', async () => {
    const { email } = await signUp();
    for (let i = 0; i < 5; i++) {
      assert.equal((await post('/accounts/password-reset/request', { email })).statusCode, 202);
    }
    const account = await mongo.db.collection('accounts').findOne({ email });
    const made = await mongo.db
      .collection('password_resets')
      .countDocuments({ userId: account?._id.toHexString() });
    assert.equal(made, 3);
    await createMailDelivery(mongo.db, ses, testLogger()).sweep();
    const sent = (await listSentMail(mail.sentMailRecordUrl ?? '', mail.from)).filter((m) =>
      m.Destination?.ToAddresses?.includes(email),
    );
    assert.equal(sent.length, 3);
    const token = decodeURIComponent(
      /token=([\w-]+)/.exec(sent[0]?.Body.text_part ?? '')?.[1] ?? '',
    );
    await mongo.db
      .collection('password_resets')
      .updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1_000) } });
    const expired = await post('/accounts/password-reset', {
      token,
      newPassword: 'late-password-5',
    });
    assert.equal(expired.statusCode, 400);
  });
});
