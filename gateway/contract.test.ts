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
  parse,
  print,
  type TypeNode,
} from 'graphql';
import { REPO_ROOT } from '../localstack/infra/paths.js';
import type { HttpApp } from '../shared/http/http-app.js';
import { testLogger } from '../test-support/integration-env.js';
import { buildGateway, SCHEMA_PATH, servedSchema } from './app.js';
import { gatewaySettings } from './settings.js';

/** The public contract: the copy in this repository, kept equal to the shared one beside it. */
const CONTRACT_COPY = SCHEMA_PATH;
const SHARED_CONTRACT = join(REPO_ROOT, '..', 'shared', 'contract', 'storefront.graphql');
/** The commerce contract (what the commerce features must serve), copied like the storefront's. */
const COMMERCE_COPY = join(REPO_ROOT, 'gateway', 'contract', 'commerce.graphql');
const SHARED_COMMERCE = join(REPO_ROOT, '..', 'shared', 'contract', 'commerce.graphql');

/**
 * The parts of the commerce contract served so far: the sections of the file, by heading, and
 * the fields of Query and Mutation that belong to them.
 */
const SERVED_COMMERCE_SECTIONS = ['Catalog'];
const SERVED_COMMERCE_ROOT_FIELDS = {
  Query: ['collections', 'collection', 'search'],
  Mutation: ['addVariant'],
};

/** The type of a field or argument as SDL prints it: `[Variant!]!`. */
const typeName = (type: { toString(): string }) => type.toString();

/** Every `Type.field(arg): type` a schema document declares, with the types as strings. */
function declaredFields(sdl: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const definition of parse(sdl).definitions) {
    const node = definition as {
      name?: { value: string };
      fields?: readonly FieldNode[];
      values?: readonly { name: { value: string } }[];
    };
    if (!node.name) continue;
    const owner = node.name.value;
    for (const field of node.fields ?? []) {
      const key = `${owner}.${field.name.value}`;
      fields.set(key, print(field.type));
      for (const arg of field.arguments ?? []) {
        fields.set(`${key}(${arg.name.value})`, print(arg.type));
      }
    }
    for (const value of node.values ?? []) fields.set(`${owner}.${value.name.value}`, 'enum value');
  }
  return fields;
}

/** A field or input field as the SDL parser gives it. */
interface FieldNode {
  name: { value: string };
  type: TypeNode;
  arguments?: readonly { name: { value: string }; type: TypeNode }[];
}

/** The same list for the served schema. */
function servedFields(schema: GraphQLSchema): Map<string, string> {
  const fields = new Map<string, string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if ('getFields' in type) {
      for (const field of Object.values(type.getFields())) {
        fields.set(`${type.name}.${field.name}`, typeName(field.type));
        for (const arg of 'args' in field ? field.args : []) {
          fields.set(`${type.name}.${field.name}(${arg.name})`, typeName(arg.type));
        }
      }
    }
    if ('getValues' in type) {
      for (const value of type.getValues()) fields.set(`${type.name}.${value.name}`, 'enum value');
    }
  }
  return fields;
}

/** The SDL of one `# --- Section ---` of the commerce contract. */
function commerceSection(text: string, heading: string): string {
  const start = text.indexOf(`# --- ${heading}`);
  const next = text.indexOf('# --- ', start + 6);
  return text.slice(start, next < 0 ? undefined : next);
}

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

  it('serves the sections of the commerce contract built so far, with the same types', () => {
    const text = readFileSync(COMMERCE_COPY, 'utf8');
    if (existsSync(SHARED_COMMERCE)) assert.equal(text, readFileSync(SHARED_COMMERCE, 'utf8'));
    const wanted = new Map<string, string>();
    for (const heading of SERVED_COMMERCE_SECTIONS) {
      for (const [key, type] of declaredFields(commerceSection(text, heading)))
        wanted.set(key, type);
    }
    const root = declaredFields(commerceSection(text, 'Integrations'));
    for (const [parent, names] of Object.entries(SERVED_COMMERCE_ROOT_FIELDS)) {
      for (const [key, type] of root) {
        const [owner, rest = ''] = key.split('.');
        if (
          owner === parent &&
          names.some((name) => rest === name || rest.startsWith(`${name}(`))
        ) {
          wanted.set(key, type);
        }
      }
    }
    assert.ok(wanted.size >= 59, `${wanted.size} names of the contract checked`);
    const have = servedFields(served);
    const problems = [...wanted]
      .filter(([key, type]) => have.get(key) !== type)
      .map(([key, type]) => `${key}: contract ${type}, served ${have.get(key) ?? 'nothing'}`);
    assert.deepEqual(problems, []);
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

  it('serves /metrics only to its token on a deployed stage', async () => {
    const answer = async (
      settings: Parameters<typeof gatewaySettings>[0],
      authorization?: string,
    ) => {
      const gateway = await buildGateway({
        logger: testLogger(),
        invoker: { invoke: async () => ({ statusCode: 500, body: null }) },
        stock: { getStock: async () => [] },
        settings: gatewaySettings(settings),
      });
      try {
        const response = await gateway.inject({
          method: 'GET',
          url: '/metrics',
          headers: authorization ? { authorization } : {},
        });
        return { status: response.statusCode, body: response.body };
      } finally {
        await gateway.close();
      }
    };
    const token = 'metrics-token-of-24-chars';
    assert.equal((await answer({})).status, 404, 'no token: not served at all');
    assert.equal((await answer({ metricsToken: token })).status, 401);
    assert.equal(
      (await answer({ metricsToken: token }, 'Bearer wrong-token-of-24-chars!')).status,
      401,
    );
    const allowed = await answer({ metricsToken: token }, `Bearer ${token}`);
    assert.doesNotMatch(allowed.body, /needs its token|only with METRICS_TOKEN/);
    assert.doesNotMatch((await answer({ openMetrics: true })).body, /only with METRICS_TOKEN/);
  });

  it('names no field the query did not, unless suggestions are on (development)', async () => {
    const misspelt = { query: '{ prodcts(first: 1) { edges { node { titl } } } }' };
    const answer = async (suggestions: boolean) => {
      const gateway = await buildGateway({
        logger: testLogger(),
        invoker: { invoke: async () => ({ statusCode: 500, body: null }) },
        stock: { getStock: async () => [] },
        settings: gatewaySettings({ rateLimitPerMinute: 1_000, limits: { suggestions } }),
      });
      try {
        const response = await gateway.inject({
          method: 'POST',
          url: '/graphql',
          payload: misspelt,
        });
        assert.equal(response.statusCode, 400);
        return (response.json().errors as { message: string }[]).map((e) => e.message).join(' ');
      } finally {
        await gateway.close();
      }
    };
    const production = await answer(false);
    assert.match(production, /Cannot query field "prodcts" on type "Query"\./);
    assert.doesNotMatch(production, /Did you mean|"products"/);
    assert.match(await answer(true), /Did you mean "products"/);
  });
});
