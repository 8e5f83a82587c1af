import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSchema, parse, validate } from 'graphql';
import { testLogger } from '../test-support/integration-env.js';
import { buildGateway } from './app.js';
import { fieldAndAliasLimitRule } from './limits.js';
import { gatewaySettings } from './settings.js';

const schema = buildSchema('type Query { a: Int, b: Thing } type Thing { c: Int, d: Int }');
const errorsOf = (query: string, maxFields: number, maxAliases: number) =>
  validate(schema, parse(query), [fieldAndAliasLimitRule(maxFields, maxAliases)]).map(
    (e) => e.message,
  );

describe('gateway limits', () => {
  it('counts the fields and aliases of every fragment each time it is spread', () => {
    const spread = `fragment F on Thing { x1: c x2: d } { ${Array.from({ length: 5 }, (_, i) => `b${i}: b { ...F }`).join(' ')} }`;
    assert.deepEqual(errorsOf(spread, 100, 15), []);
    assert.match(errorsOf(spread, 100, 14)[0] ?? '', /15 aliases; at most 14/);
    assert.match(errorsOf(spread, 14, 100)[0] ?? '', /more than 14 fields/);
    assert.deepEqual(errorsOf('{ a b { c d } }', 4, 0), []);
  });

  async function gateway(rateLimitPerMinute: number, trustedProxies: string[] = []) {
    let calls = 0;
    const app = await buildGateway({
      logger: testLogger(),
      invoker: {
        invoke: async () => {
          calls += 1;
          return {
            statusCode: 200,
            body: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
          };
        },
      },
      stock: { getStock: async () => [] },
      settings: gatewaySettings({ rateLimitPerMinute, maxBatch: 2, trustedProxies }),
    });
    return { app, calls: () => calls };
  }

  it('answers queries over GET, and refuses mutations over GET', async () => {
    const { app, calls } = await gateway(100);
    try {
      const query = await app.inject({
        method: 'GET',
        url: `/graphql?query=${encodeURIComponent('{ products(first: 1) { edges { cursor } } }')}`,
      });
      assert.equal(query.statusCode, 200);
      assert.deepEqual(query.json().data, { products: { edges: [] } });
      const mutation = await app.inject({
        method: 'GET',
        url: `/graphql?query=${encodeURIComponent('mutation { clearCart { subtotalCents } }')}`,
      });
      assert.notEqual(mutation.statusCode, 200);
      assert.equal(calls(), 1);
    } finally {
      await app.close();
    }
  });

  it('accepts a batch within the configured bound and refuses a larger one', async () => {
    const { app, calls } = await gateway(100);
    try {
      const one = { query: '{ products(first: 1) { edges { cursor } } }' };
      const two = await app.inject({ method: 'POST', url: '/graphql', payload: [one, one] });
      assert.equal(two.statusCode, 200);
      assert.equal(two.json().length, 2);
      const three = await app.inject({ method: 'POST', url: '/graphql', payload: [one, one, one] });
      assert.equal(three.statusCode, 400);
      assert.equal(calls(), 2);
    } finally {
      await app.close();
    }
  });

  it('limits requests per client address and minute with 429, but never the health check', async () => {
    const { app, calls } = await gateway(3);
    try {
      for (let i = 0; i < 5; i += 1) {
        const health = await app.inject({ method: 'GET', url: '/health' });
        assert.deepEqual([health.statusCode, health.json()], [200, { status: 'ok' }]);
      }
      const ask = () =>
        app.inject({
          method: 'POST',
          url: '/graphql',
          payload: { query: '{ products { edges { cursor } } }' },
        });
      const statuses = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await ask()).statusCode);
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      assert.equal(calls(), 3);
    } finally {
      await app.close();
    }
  });

  it('counts the client named by a trusted proxy, and ignores X-Forwarded-For from anyone else', async () => {
    const { app } = await gateway(2, ['10.0.0.0/8']);
    try {
      const ask = (remoteAddress: string, forwardedFor: string) =>
        app
          .inject({
            method: 'POST',
            url: '/graphql',
            remoteAddress,
            headers: { 'x-forwarded-for': forwardedFor },
            payload: { query: '{ products { edges { cursor } } }' },
          })
          .then((response) => response.statusCode);
      // Behind the load balancer (10.0.0.5), two shoppers have two budgets.
      const viaProxy = [];
      for (const client of ['198.51.100.1', '198.51.100.1', '198.51.100.2', '198.51.100.2']) {
        viaProxy.push(await ask('10.0.0.5', client));
      }
      assert.deepEqual(viaProxy, [200, 200, 200, 200]);
      assert.equal(await ask('10.0.0.5', '198.51.100.1'), 429);
      // A caller that is not a trusted proxy cannot pick a fresh address per request.
      const direct = [];
      for (let i = 0; i < 3; i += 1) direct.push(await ask('203.0.113.9', `192.0.2.${i}`));
      assert.deepEqual(direct, [200, 200, 429]);
    } finally {
      await app.close();
    }
  });
});
