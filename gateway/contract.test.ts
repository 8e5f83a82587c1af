import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  buildClientSchema,
  buildSchema,
  findBreakingChanges,
  type GraphQLSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
} from 'graphql';
import { REPO_ROOT } from '../localstack/infra/paths.js';
import type { HttpApp } from '../shared/http/http-app.js';
import { testLogger } from '../test-support/integration-env.js';
import { buildGateway, SCHEMA_PATH, servedSchema } from './app.js';
import { gatewaySettings } from './settings.js';

/** The public contract: the copy in this repository, kept equal to the shared one beside it. */
const CONTRACT_COPY = SCHEMA_PATH;
const SHARED_CONTRACT = join(REPO_ROOT, '..', 'shared', 'contract', 'storefront.graphql');

describe('the served schema keeps the public contract', () => {
  let gateway: HttpApp;
  let served: GraphQLSchema;
  let calls = 0;

  before(async () => {
    gateway = await buildGateway({
      logger: testLogger(),
      invoker: {
        invoke: async () => {
          calls += 1;
          return { statusCode: 500, body: null };
        },
      },
      stock: {
        getStock: async () => {
          calls += 1;
          return [];
        },
      },
      settings: gatewaySettings({
        limits: { maxDepth: 20, maxFields: 10_000, introspection: true },
        rateLimitPerMinute: 1_000,
      }),
    });
    const response = await gateway.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query: getIntrospectionQuery() },
    });
    served = buildClientSchema((response.json() as { data: IntrospectionQuery }).data);
  });

  after(() => gateway.close());

  it('serves every type, field, argument and enum value of the contract, unchanged', () => {
    const contract = buildSchema(readFileSync(CONTRACT_COPY, 'utf8'));
    const breaking = findBreakingChanges(contract, served);
    assert.deepEqual(breaking, [], breaking.map((change) => change.description).join('\n'));
    assert.equal(calls, 0, 'introspection calls no function');
  });

  it('adds to the contract only what extensions.graphql declares, such as categories', () => {
    const query = served.getQueryType()?.getFields() ?? {};
    assert.ok(query.categories, 'categories is served');
    assert.deepEqual(
      findBreakingChanges(
        buildSchema(readFileSync(CONTRACT_COPY, 'utf8')),
        buildSchema(servedSchema()),
      ),
      [],
    );
  });

  it('uses the contract as published, when the published copy is at hand', () => {
    const copy = readFileSync(CONTRACT_COPY, 'utf8');
    if (existsSync(SHARED_CONTRACT)) assert.equal(copy, readFileSync(SHARED_CONTRACT, 'utf8'));
    // A schema that drops a field is caught by the comparison above.
    const narrowed = buildSchema(
      copy.replace('  sku: String!\n  slug: String!', '  slug: String!'),
    );
    assert.ok(findBreakingChanges(buildSchema(copy), narrowed).length > 0);
  });

  it('turns introspection off when configured (production)', async () => {
    const closed = await buildGateway({
      logger: testLogger(),
      invoker: { invoke: async () => ({ statusCode: 500, body: null }) },
      stock: { getStock: async () => [] },
      settings: gatewaySettings({ rateLimitPerMinute: 1_000 }),
    });
    try {
      const response = await closed.inject({
        method: 'POST',
        url: '/graphql',
        payload: { query: '{ __schema { types { name } } }' },
      });
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().errors[0].extensions.code, 'BAD_USER_INPUT');
      assert.equal((await closed.inject({ method: 'GET', url: '/graphiql' })).statusCode, 404);
    } finally {
      await closed.close();
    }
  });
});
