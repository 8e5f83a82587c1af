import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadConfig, readRuntimeConfig } from '../config/config.js';
import { ConfigError } from '../config/env-reader.js';
import { createHttpApp, type HttpApp } from '../http/http-app.js';
import { createLogger } from '../logger/logger.js';
import { authenticate, registerAuth, requireRole } from './auth.js';
import { type AuthConfig, readAuthConfig } from './auth-config.js';

const config: AuthConfig = {
  jwtSecret: 'a-test-secret-that-is-long-enough-0123456789',
  issuer: 'orderly',
  audience: 'orderly-api',
  tokenTtlSeconds: 600,
};

const base64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A token built by hand, to forge what the library would never sign. */
function handMadeToken(header: object, payload: object, secret = config.jwtSecret): string {
  const unsigned = `${base64url(header)}.${base64url(payload)}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

describe('JWT authentication', () => {
  let app: HttpApp;
  let customer: string;
  let admin: string;
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: 'u1',
    email: 'a@example.com',
    role: 'CUSTOMER',
    iss: 'orderly',
    aud: 'orderly-api',
  };

  before(async () => {
    app = createHttpApp({
      component: 'test',
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    await registerAuth(app, config);
    app.get('/me', { onRequest: authenticate }, async (request) => request.user);
    app.get('/admin', { onRequest: requireRole('ADMIN') }, async () => ({ ok: true }));
    await app.ready();
    customer = app.jwt.sign({ sub: 'u1', email: 'a@example.com', role: 'CUSTOMER' });
    admin = app.jwt.sign({ sub: 'u2', email: 'admin@example.com', role: 'ADMIN' });
  });
  after(() => app.close());

  const get = (url: string, token?: string) =>
    app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('accepts a token it signed and exposes the user', async () => {
    const response = await get('/me', customer);
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().email, 'a@example.com');
    assert.equal(response.json().role, 'CUSTOMER');
  });

  it('refuses a missing, malformed, tampered, unsigned, expired or foreign token with 401', async () => {
    const [header, payload] = customer.split('.');
    const elevated = base64url({
      ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()),
      role: 'ADMIN',
    });
    const cases: [string, string | undefined][] = [
      ['missing', undefined],
      ['malformed', 'not-a-token'],
      ['tampered payload', `${header}.${elevated}.${customer.split('.')[2]}`],
      [
        'alg none',
        `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, exp: now + 600 })}.`,
      ],
      [
        'other secret',
        handMadeToken({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now + 600 }, 'x'.repeat(40)),
      ],
      [
        'expired',
        handMadeToken({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 700, exp: now - 100 }),
      ],
      [
        'wrong issuer',
        handMadeToken({ alg: 'HS256', typ: 'JWT' }, { ...claims, iss: 'evil', exp: now + 600 }),
      ],
      [
        'wrong audience',
        handMadeToken({ alg: 'HS256', typ: 'JWT' }, { ...claims, aud: 'other', exp: now + 600 }),
      ],
    ];
    for (const [what, token] of cases) {
      const response = await get('/me', token);
      assert.equal(response.statusCode, 401, what);
      assert.equal(response.json().error.code, 'UNAUTHENTICATED', what);
    }
    const valid = handMadeToken({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now + 600 });
    assert.equal(
      (await get('/me', valid)).statusCode,
      200,
      'the hand-made token is right when nothing is off',
    );
  });

  it('lets only admins through an admin route', async () => {
    assert.equal((await get('/admin')).statusCode, 401);
    const refused = await get('/admin', customer);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'FORBIDDEN');
    assert.equal((await get('/admin', admin)).statusCode, 200);
  });
});

describe('readAuthConfig', () => {
  const read = (env: Record<string, string>) =>
    loadConfig((reader) => readAuthConfig(reader, readRuntimeConfig(reader)), env);

  it('requires a secret of at least 32 characters in production', () => {
    assert.throws(() => read({ NODE_ENV: 'production' }), /JWT_SECRET is required/);
    assert.throws(
      () => read({ NODE_ENV: 'production', JWT_SECRET: 'short' }),
      (err: unknown) => err instanceof ConfigError && /at least 32/.test(err.message),
    );
    assert.equal(
      read({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) }).tokenTtlSeconds,
      3600,
    );
  });
});
