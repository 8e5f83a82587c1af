import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  buildSchema,
  type GraphQLInputType,
  type GraphQLObjectType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isScalarType,
} from 'graphql';
import { MongoClient } from 'mongodb';
import { buildFunctionApps } from '../localstack/platform/function-apps.js';
import { createLogger } from '../shared/logger/logger.js';
import { servedSchema } from './app.js';
import type { GatewayContext } from './context.js';
import { FunctionClient } from './function-client.js';
import type { FunctionName, FunctionRequest } from './invokers/function-invoker.js';
import { InProcessInvoker } from './invokers/in-process-invoker.js';
import { resolvers } from './resolvers.js';

/**
 * Every route a resolver calls exists in the function it calls: each Query and Mutation
 * resolver runs once with arguments built from the schema, its calls are recorded, and each is
 * sent to the real function app. The apps' database is a client that never connects (no route
 * lookup needs it); a call that reached no route gets the apps' "No route" answer.
 */

/** Resolvers that call no function: they read inventory over gRPC. */
const NOT_FUNCTION_CALLS = new Set(['Query.stock']);

/** A value of `type` for an argument: every field of an input object, one item per list. */
function sample(type: GraphQLInputType): unknown {
  const inner = getNullableType(type);
  if (isListType(inner)) return [sample(inner.ofType)];
  if (isInputObjectType(inner)) {
    return Object.fromEntries(
      Object.values(inner.getFields()).map((field) => [field.name, sample(field.type)]),
    );
  }
  if (isEnumType(inner)) return inner.getValues()[0]?.value;
  if (isScalarType(inner)) {
    if (inner.name === 'Int') return 1;
    if (inner.name === 'Float') return 1.5;
    if (inner.name === 'Boolean') return true;
    return 'sample-1';
  }
  return null;
}

describe('every function route a resolver calls exists in that function', () => {
  const mongo = new MongoClient('mongodb://127.0.0.1:1', { serverSelectionTimeoutMS: 200 });
  const calls: { resolver: string; fn: FunctionName; request: FunctionRequest }[] = [];
  let invoker: InProcessInvoker;

  before(async () => {
    const apps = await buildFunctionApps({
      logger: createLogger({ name: 'routes', level: 'silent' }),
      db: mongo.db('never-connected'),
      auth: {
        jwtSecret: 'resolver-routes-test-secret-long-enough-123',
        issuer: 'orderly',
        audience: 'orderly-api',
        tokenTtlSeconds: 600,
      },
      stock: {
        restock: () => Promise.reject(new Error('not called')),
        initStock: () => Promise.reject(new Error('not called')),
      },
    });
    invoker = new InProcessInvoker(apps);
    const schema = buildSchema(servedSchema());
    for (const [typeName, fields] of Object.entries({
      Query: resolvers.Query,
      Mutation: resolvers.Mutation,
    })) {
      const type = schema.getType(typeName) as GraphQLObjectType;
      for (const [fieldName, resolve] of Object.entries(fields)) {
        const resolver = `${typeName}.${fieldName}`;
        const field = type.getFields()[fieldName];
        assert.ok(field, `${resolver} is in the schema`);
        const args = Object.fromEntries(field.args.map((arg) => [arg.name, sample(arg.type)]));
        const functions = new FunctionClient(
          {
            invoke: async (fn, request) => {
              calls.push({ resolver, fn, request });
              return { statusCode: 200, body: {} };
            },
          },
          { authorization: 'Bearer sample' },
        );
        const context = {
          functions,
          stock: { getStock: async () => [] },
          authorization: 'Bearer sample',
        } as unknown as GatewayContext;
        await (resolve as (parent: unknown, args: unknown, ctx: GatewayContext) => unknown)(
          {},
          args,
          context,
        );
        if (!NOT_FUNCTION_CALLS.has(resolver)) {
          assert.ok(
            calls.some((call) => call.resolver === resolver),
            `${resolver} calls a function`,
          );
        }
      }
    }
  });

  after(async () => {
    await invoker?.close();
    await mongo.close();
  });

  it('records a call for every resolver that calls a function', () => {
    const resolverCount =
      Object.keys(resolvers.Query).length + Object.keys(resolvers.Mutation).length;
    const callers = new Set(calls.map((call) => call.resolver));
    assert.equal(callers.size, resolverCount - NOT_FUNCTION_CALLS.size);
  });

  it('finds a route for each call in the function it names', async () => {
    const missing: string[] = [];
    for (const { resolver, fn, request } of calls) {
      const answer = await invoker.invoke(fn, request);
      const message = (answer.body as { error?: { message?: string } } | null)?.error?.message;
      if (answer.statusCode === 404 && message?.startsWith('No route for')) {
        missing.push(`${resolver}: ${fn} ${request.method} ${request.path}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
