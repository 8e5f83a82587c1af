import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_INDEXES } from '../functions/accounts/account-store.js';
import { buildApp as buildAccounts } from '../functions/accounts/app.js';
import { DEFAULT_AUTH_LIMITS } from '../functions/accounts/config.js';
import type { AuthConfig } from '../shared/auth/auth-config.js';
import type { HttpApp } from '../shared/http/http-app.js';
import { connectMongo, type MongoConnection } from '../shared/mongo/mongo-client.js';
import { integrationConfig, testLogger, uniqueName } from '../test-support/integration-env.js';
import { buildGateway } from './app.js';
import type { FunctionName } from './invokers/function-invoker.js';
import { InProcessInvoker } from './invokers/in-process-invoker.js';
import { gatewaySettings } from './settings.js';

const auth: AuthConfig = {
  jwtSecret: 'client-address-test-secret-long-enough-1',
  issuer: 'orderly',
  audience: 'orderly-api',
  tokenTtlSeconds: 600,
};

/**
 * The accounts function counts registrations per client address; behind the gateway that is
 * the shopper's address, signed by the gateway, not the gateway's own.
 */
describe('per-client limits behind the gateway (real MongoDB)', () => {
  let mongo: MongoConnection;
  let accounts: HttpApp;
  const gateways: HttpApp[] = [];

  before(async () => {
    mongo = await connectMongo(
      { ...integrationConfig().mongo, dbName: uniqueName('it_client_address') },
      { logger: testLogger(), indexes: ACCOUNT_INDEXES },
    );
    accounts = await buildAccounts({
      logger: testLogger(),
      db: mongo.db,
      auth,
      limits: { ...DEFAULT_AUTH_LIMITS, registrationsPerMinute: 3 },
    });
  });

  after(async () => {
    for (const gateway of gateways) await gateway.close();
    await accounts.close();
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  async function gatewayWith(hopSecret: string | undefined): Promise<HttpApp> {
    const gateway = await buildGateway({
      logger: testLogger(),
      invoker: new InProcessInvoker({ accounts } as Record<FunctionName, HttpApp>),
      stock: { getStock: async () => [] },
      settings: gatewaySettings({ rateLimitPerMinute: 100_000 }),
      ...(hopSecret ? { hopSecret } : {}),
    });
    gateways.push(gateway);
    return gateway;
  }

  const register = async (gateway: HttpApp, from: string, email: string) => {
    const response = await gateway.inject({
      method: 'POST',
      url: '/graphql',
      remoteAddress: from,
      payload: {
        query: 'mutation($i: RegisterInput!) { register(input: $i) { token } }',
        variables: { i: { email, password: 'long-enough-password-1', name: 'Shopper' } },
      },
    });
    const error = response.json().errors?.[0];
    // The contract's code is FORBIDDEN; `reason` says it is a rate limit.
    return error ? `${error.extensions.code}:${error.extensions.reason}` : 'OK';
  };

  it('gives each shopper address its own budget when the gateway signs it', async () => {
    const gateway = await gatewayWith(auth.jwtSecret);
    const first = [];
    for (let i = 0; i < 4; i++)
      first.push(await register(gateway, '203.0.113.7', `s${i}@a.example`));
    assert.deepEqual(first, ['OK', 'OK', 'OK', 'FORBIDDEN:RATE_LIMITED']);
    // Another shopper is not refused because the first one used up their budget.
    assert.equal(await register(gateway, '203.0.113.8', 'other@a.example'), 'OK');
  });

  it('behind CloudFront, counts each viewer, not the edge, and only through CloudFront', async () => {
    const viewerAddress = {
      header: 'x-orderly-viewer-address',
      secretHeader: 'x-orderly-origin',
      secret: 'cloudfront-origin-secret-0123456789',
    };
    const gateway = await buildGateway({
      logger: testLogger(),
      invoker: new InProcessInvoker({ accounts } as Record<FunctionName, HttpApp>),
      stock: { getStock: async () => [] },
      settings: gatewaySettings({ rateLimitPerMinute: 100_000, viewerAddress }),
      hopSecret: auth.jwtSecret,
    });
    gateways.push(gateway);
    const edge = '130.176.9.9';
    const viaEdge = async (viewer: string, secret: string) => {
      const response = await gateway.inject({
        method: 'POST',
        url: '/graphql',
        remoteAddress: edge,
        headers: { 'x-orderly-origin': secret, 'x-orderly-viewer-address': viewer },
        payload: {
          query: 'mutation($i: RegisterInput!) { register(input: $i) { token } }',
          variables: {
            i: {
              email: `${uniqueName('v')}@c.example`,
              password: 'long-enough-password-1',
              name: 'V',
            },
          },
        },
      });
      const error = response.json().errors?.[0];
      return error ? `${error.extensions.code}:${error.extensions.reason}` : 'OK';
    };
    const one = [];
    for (let i = 0; i < 4; i++) one.push(await viaEdge('192.0.2.101', viewerAddress.secret));
    assert.deepEqual(one, ['OK', 'OK', 'OK', 'FORBIDDEN:RATE_LIMITED']);
    // Another shopper behind the same edge has a budget of their own.
    assert.equal(await viaEdge('192.0.2.102', viewerAddress.secret), 'OK');
    // Without the origin secret (straight to the API), a made-up viewer buys nothing: the
    // connecting address is counted, and it runs out like one client.
    const spoofed = [];
    for (let i = 0; i < 4; i++) spoofed.push(await viaEdge(`192.0.2.${110 + i}`, 'guessed'));
    assert.ok(spoofed.includes('FORBIDDEN:RATE_LIMITED'), spoofed.join());
  });

  it('counts every shopper as the gateway when the signature is missing or wrong', async () => {
    for (const gateway of [
      await gatewayWith(undefined),
      await gatewayWith('another-secret-that-is-long-enough-12'),
    ]) {
      const codes = [];
      for (let i = 0; i < 4; i++) {
        codes.push(await register(gateway, `198.51.100.${i}`, `${uniqueName('u')}@b.example`));
      }
      assert.ok(codes.includes('FORBIDDEN:RATE_LIMITED'), `one budget for all: ${codes.join()}`);
    }
  });

  it('with the default limits, lets 100 shoppers from one address register and log in, and slows 20 wrong passwords for one account', async () => {
    const defaults = await buildAccounts({
      logger: testLogger(),
      db: mongo.db,
      auth,
      limits: DEFAULT_AUTH_LIMITS,
    });
    const gateway = await buildGateway({
      logger: testLogger(),
      invoker: new InProcessInvoker({ accounts: defaults } as Record<FunctionName, HttpApp>),
      stock: { getStock: async () => [] },
      settings: gatewaySettings(),
      hopSecret: auth.jwtSecret,
    });
    gateways.push(gateway, defaults);
    const shop = '192.0.2.10'; // one office, one NAT address
    const emails = Array.from({ length: 100 }, (_, i) => `${uniqueName('shopper')}-${i}@c.example`);
    const registered = await Promise.all(emails.map((email) => register(gateway, shop, email)));
    assert.deepEqual(new Set(registered), new Set(['OK']));
    const login = async (email: string, password: string) => {
      const response = await gateway.inject({
        method: 'POST',
        url: '/graphql',
        remoteAddress: shop,
        payload: {
          query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
          variables: { e: email, p: password },
        },
      });
      const error = response.json().errors?.[0];
      return error ? `${error.extensions.code}:${error.extensions.reason ?? ''}` : 'OK';
    };
    const logins = await Promise.all(emails.map((email) => login(email, 'long-enough-password-1')));
    assert.deepEqual(new Set(logins), new Set(['OK']));
    const guesses = [];
    for (let i = 0; i < 20; i++) guesses.push(await login(emails[0] ?? '', `wrong-guess-${i}`));
    const refused = guesses.filter((code) => code === 'FORBIDDEN:RATE_LIMITED').length;
    const free = DEFAULT_AUTH_LIMITS.loginFailuresPerAccount;
    assert.equal(guesses.slice(0, free).filter((code) => code === 'UNAUTHENTICATED:').length, free);
    assert.equal(refused, 20 - free, 'after the free ones, each wrong password waits its delay');
    // The other 99 shoppers behind the same address still sign in.
    assert.equal(await login(emails[1] ?? '', 'long-enough-password-1'), 'OK');
  });
});
