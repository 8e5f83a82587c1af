import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { AuthConfig } from '../../shared/auth/auth-config.js';
import { clientAddressHeaders, forwardClient } from '../../shared/http/client-address.js';
import type { HttpApp } from '../../shared/http/http-app.js';
import { connectMongo, type MongoConnection } from '../../shared/mongo/mongo-client.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { ACCOUNT_INDEXES } from './account-store.js';
import { buildApp } from './app.js';
import { DEFAULT_AUTH_LIMITS } from './config.js';

const auth: AuthConfig = {
  jwtSecret: 'accounts-test-secret-that-is-long-enough-7',
  issuer: 'orderly',
  audience: 'orderly-api',
  tokenTtlSeconds: 600,
};
const ADMIN = { email: 'Admin@Example.com', password: 'admin-password-1' };

describe('accounts function (inject, real MongoDB)', () => {
  const dbName = uniqueName('it_accounts');
  let mongo: MongoConnection;
  let app: HttpApp;
  let limitedApp: HttpApp;

  before(async () => {
    mongo = await connectMongo(
      { ...integrationConfig().mongo, dbName },
      { logger: testLogger(), indexes: ACCOUNT_INDEXES },
    );
    app = await buildApp({
      logger: testLogger(),
      db: mongo.db,
      auth,
      admin: ADMIN,
      limits: DEFAULT_AUTH_LIMITS,
    });
    limitedApp = await buildApp({
      logger: testLogger(),
      db: mongo.db,
      auth,
      limits: { ...DEFAULT_AUTH_LIMITS, loginFailuresPerAccount: 3, registrationsPerMinute: 5 },
    });
  });

  after(async () => {
    await app.close();
    await limitedApp.close();
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  const post = (url: string, payload: object, target = app) =>
    target.inject({ method: 'POST', url, payload });
  const register = (payload: object) => post('/accounts/register', payload);
  const login = (payload: object, target = app) => post('/accounts/login', payload, target);

  it('registers with a normalised email and returns a token that works for /me', async () => {
    const response = await register({
      email: '  Ada@Example.COM ',
      password: 'analytical-engine-1',
      name: ' Ada ',
    });
    assert.equal(response.statusCode, 201);
    const { token, user } = response.json();
    assert.deepEqual([user.email, user.name, user.role], ['ada@example.com', 'Ada', 'CUSTOMER']);
    const me = await app.inject({
      method: 'GET',
      url: '/accounts/me',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(me.statusCode, 200);
    assert.deepEqual(me.json(), user);
    const stored = await mongo.db.collection('accounts').findOne({ email: 'ada@example.com' });
    assert.match(String(stored?.passwordHash), /^scrypt\$/);
    assert.doesNotMatch(JSON.stringify(stored), /analytical-engine-1/);
  });

  it('answers a sign-up for a taken address, whatever its case, as for a free one', async () => {
    const taken = await register({
      email: 'ADA@example.com',
      password: 'another-password-2',
      name: 'Other',
    });
    const free = await register({
      email: 'babbage@example.com',
      password: 'another-password-2',
      name: 'Other',
    });
    assert.deepEqual([taken.statusCode, free.statusCode], [201, 201]);
    const shape = (body: { token: string; user: object }) => ({
      token: typeof body.token,
      user: Object.keys(body.user).sort(),
    });
    assert.deepEqual(shape(taken.json()), shape(free.json()));
    assert.equal(taken.json().user.email, 'ada@example.com');
    // Its own account: not the one that holds the address.
    const owner = await mongo.db
      .collection('accounts')
      .findOne({ email: 'ada@example.com', laterSignup: null });
    assert.notEqual(taken.json().user.id, owner?._id.toHexString());
    assert.equal(owner?.name, 'Ada');
  });

  it('logs in, and answers a wrong password and an unknown email alike', async () => {
    const ok = await login({ email: 'ada@EXAMPLE.com', password: 'analytical-engine-1' });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().user.email, 'ada@example.com');
    const wrong = await login({ email: 'ada@example.com', password: 'analytical-engine-2' });
    const unknown = await login({ email: 'nobody@example.com', password: 'analytical-engine-1' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(wrong.json(), unknown.json());
  });

  it('creates the admin from configuration', async () => {
    const response = await login({ email: 'admin@example.com', password: ADMIN.password });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().user.role, 'ADMIN');
  });

  it('keeps the admin it created, its password too, through restarts', async () => {
    const restarted = await buildApp({
      logger: testLogger(),
      db: mongo.db,
      auth,
      admin: { email: ADMIN.email, password: 'another-password-2' },
      limits: DEFAULT_AUTH_LIMITS,
    });
    try {
      const response = await login({ email: ADMIN.email, password: ADMIN.password }, restarted);
      assert.equal(response.json().user.role, 'ADMIN');
      const changed = await login({ email: ADMIN.email, password: 'another-password-2' });
      assert.equal(changed.statusCode, 401, 'configuration does not reset a password');
    } finally {
      await restarted.close();
    }
  });

  it('never makes an admin of a customer who registered the admin address first', async () => {
    const squatter = { email: 'owner@shop.example', password: 'squatter-pass-1', name: 'S' };
    assert.equal((await register(squatter)).statusCode, 201);
    const lines: string[] = [];
    const logger = testLogger();
    const recorded = Object.assign(Object.create(logger), {
      error: (...args: unknown[]) => lines.push(JSON.stringify(args)),
    });
    // Two cold starts configured with that address: neither promotes the account.
    for (const _start of [1, 2]) {
      const configured = await buildApp({
        logger: recorded,
        db: mongo.db,
        auth,
        admin: { email: 'Owner@Shop.example', password: 'operator-pass-1' },
        limits: DEFAULT_AUTH_LIMITS,
      });
      await configured.close();
    }
    const response = await login({ email: squatter.email, password: squatter.password });
    assert.equal(response.json().user.role, 'CUSTOMER');
    const operator = await login({ email: squatter.email, password: 'operator-pass-1' });
    assert.equal(operator.statusCode, 401, 'no admin was made with the configured password');
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /ADMIN_EMAIL belongs to a customer account/);
  });

  it('upgrades a hash made at the old cost at the next successful login', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('legacy-password-1', salt, 64, { N: 16_384, r: 8, p: 1 });
    const oldHash = ['scrypt', 16_384, 8, 1, salt.toString('base64'), key.toString('base64')].join(
      '$',
    );
    await mongo.db.collection('accounts').insertOne({
      email: 'legacy@example.com',
      name: 'L',
      role: 'CUSTOMER',
      passwordHash: oldHash,
      createdAt: new Date(),
    });
    const wrong = await login({ email: 'legacy@example.com', password: 'legacy-password-2' });
    assert.equal(wrong.statusCode, 401);
    const stored = async () =>
      (await mongo.db.collection('accounts').findOne({ email: 'legacy@example.com' }))
        ?.passwordHash;
    assert.equal(await stored(), oldHash, 'a wrong password changes nothing');
    const first = await login({ email: 'legacy@example.com', password: 'legacy-password-1' });
    assert.equal(first.statusCode, 200);
    assert.match(await stored(), /^scrypt\$16384\$8\$5\$/);
    const again = await login({ email: 'legacy@example.com', password: 'legacy-password-1' });
    assert.equal(again.statusCode, 200);
  });

  it('refuses weak passwords, malformed emails and operator objects with 400 and the field', async () => {
    const cases: [string, () => ReturnType<typeof register>, string][] = [
      [
        'short password',
        () => register({ email: 'b@example.com', password: 'short1', name: 'B' }),
        'body.password',
      ],
      [
        'no digit',
        () => register({ email: 'b@example.com', password: 'lettersonlyhere', name: 'B' }),
        'body.password',
      ],
      [
        'bad email',
        () => register({ email: 'not-an-email', password: 'good-password-1', name: 'B' }),
        'body.email',
      ],
      [
        'missing name',
        () => register({ email: 'b@example.com', password: 'good-password-1' }),
        'body.name',
      ],
      ['operator email', () => login({ email: { $ne: '' }, password: 'x' }), 'body.email'],
      [
        'operator password',
        () => login({ email: 'ada@example.com', password: { $gt: '' } }),
        'body.password',
      ],
      [
        'extra key',
        () => login({ email: 'ada@example.com', password: 'x', $where: '1' }),
        'body.$where',
      ],
    ];
    for (const [what, send, field] of cases) {
      const response = await send();
      assert.equal(response.statusCode, 400, what);
      assert.equal(response.json().error.details.field, field, what);
    }
  });

  it('requires a valid token for /me', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/accounts/me' });
    assert.equal(anonymous.statusCode, 401);
    const forged = await app.inject({
      method: 'GET',
      url: '/accounts/me',
      headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
    });
    assert.equal(forged.statusCode, 401);
  });

  /** A login from `address`, as the gateway signs it. */
  const loginFrom = (address: string, payload: object, target = app) =>
    target.inject({
      method: 'POST',
      url: '/accounts/login',
      headers: {
        'x-request-id': `login-${address}`,
        ...clientAddressHeaders(forwardClient(auth.jwtSecret, address, `login-${address}`)),
      },
      payload,
    });

  it('slows a guesser down with growing delays, and never the owner signing in elsewhere', async () => {
    await register({ email: 'hedy@example.com', password: 'frequency-hop-1', name: 'Hedy' });
    const guess = () =>
      loginFrom(
        '198.51.100.7',
        { email: 'hedy@example.com', password: 'guess-number-1' },
        limitedApp,
      );
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await guess()).statusCode);
    // Three free failures, then the fourth waits a second: refused before any password check.
    assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    const refused = await guess();
    assert.equal(refused.json().error.code, 'RATE_LIMITED');
    assert.equal(refused.json().error.details.retryAfterSeconds, 1);
    // The owner, from their own address, is not held up by the guesser.
    const owner = await loginFrom(
      '203.0.113.50',
      { email: 'hedy@example.com', password: 'frequency-hop-1' },
      limitedApp,
    );
    assert.equal(owner.statusCode, 200);
    // Once the delay is over the guesser has one more try, and then waits twice as long.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    assert.equal((await guess()).statusCode, 401);
    assert.equal((await guess()).json().error.details.retryAfterSeconds, 2);
  });

  it('keeps the delays in the database: another instance of the function meets them too', async () => {
    await register({ email: 'ida@example.com', password: 'ida-password-12', name: 'Ida' });
    const again = await buildApp({
      logger: testLogger(),
      db: mongo.db,
      auth,
      limits: { ...DEFAULT_AUTH_LIMITS, loginFailuresPerAccount: 2 },
    });
    try {
      const guess = (target: HttpApp) =>
        loginFrom('198.51.100.8', { email: 'ida@example.com', password: 'nope-nope-1' }, target);
      assert.equal((await guess(limitedApp)).statusCode, 401);
      assert.equal((await guess(again)).statusCode, 401);
      assert.equal((await guess(again)).statusCode, 429, 'the other instance counted both');
    } finally {
      await again.close();
    }
  });

  it('counts registrations per client address as the gateway signed it, and ignores an unsigned one', async () => {
    const registerFrom = (email: string, address?: string, signature?: string) =>
      limitedApp.inject({
        method: 'POST',
        url: '/accounts/register',
        // A connecting address of this test's own: the counters are shared by every instance.
        remoteAddress: '192.0.2.77',
        headers: {
          'x-request-id': `req-${email}`,
          ...(address
            ? clientAddressHeaders(
                signature
                  ? { address, signature }
                  : forwardClient(auth.jwtSecret, address, `req-${email}`),
              )
            : {}),
        },
        payload: { email, password: 'long-enough-password-1', name: 'Shopper' },
      });
    // Five per minute per address: 203.0.113.1 uses its five, 203.0.113.2 still has its own.
    const first = [];
    for (let i = 0; i < 6; i++)
      first.push((await registerFrom(`a${i}@example.com`, '203.0.113.1')).statusCode);
    assert.deepEqual(first, [201, 201, 201, 201, 201, 429]);
    assert.equal((await registerFrom('b0@example.com', '203.0.113.2')).statusCode, 201);
    // A forged signature does not buy a fresh address: it counts as the connecting one.
    const forged = [];
    for (let i = 0; i < 6; i++) {
      forged.push(
        (await registerFrom(`f${i}@example.com`, `198.51.100.${i}`, 'forged')).statusCode,
      );
    }
    assert.deepEqual(forged, [201, 201, 201, 201, 201, 429]);
  });

  it('counts requests per minute in the database: two instances share one allowance', async () => {
    const second = await buildApp({
      logger: testLogger(),
      db: mongo.db,
      auth,
      limits: { ...DEFAULT_AUTH_LIMITS, registrationsPerMinute: 5 },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const target = i % 2 === 0 ? limitedApp : second;
        const response = await target.inject({
          method: 'POST',
          url: '/accounts/register',
          remoteAddress: '192.0.2.88',
          payload: {
            email: `shared${i}@example.com`,
            password: 'long-enough-password-1',
            name: 'S',
          },
        });
        statuses.push(response.statusCode);
      }
      assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429]);
    } finally {
      await second.close();
    }
  });

  it('serves the Lambda handler with an API Gateway v2 event', async () => {
    await register({ email: 'lambda@example.com', password: 'lambda-password-1', name: 'Lambda' });
    process.env.MONGODB_DB = dbName;
    process.env.JWT_SECRET = auth.jwtSecret;
    const { handler } = await import('./lambda.js');
    const event = JSON.parse(
      readFileSync(new URL('./fixtures/api-gateway-v2-login.json', import.meta.url), 'utf8'),
    );
    const response = await handler(event, {} as never);
    await handler.close();
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-request-id'], 'lambda-login-1');
    assert.equal(JSON.parse(response.body).user.email, 'lambda@example.com');
  });
});
