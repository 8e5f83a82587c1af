import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { buildFunctionApps } from '../localstack/platform/function-apps.js';
import { createLogger } from '../shared/logger/logger.js';
import { type ResolverCall, recordResolverCalls } from '../test-support/resolver-calls.js';
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

describe('every function route a resolver calls exists in that function', () => {
  const mongo = new MongoClient('mongodb://127.0.0.1:1', { serverSelectionTimeoutMS: 200 });
  const calls: ResolverCall[] = [];
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
    calls.push(...(await recordResolverCalls()));
    for (const resolver of [
      ...Object.keys(resolvers.Query).map((name) => `Query.${name}`),
      ...Object.keys(resolvers.Mutation).map((name) => `Mutation.${name}`),
    ]) {
      if (!NOT_FUNCTION_CALLS.has(resolver)) {
        assert.ok(
          calls.some((call) => call.resolver === resolver),
          `${resolver} calls a function`,
        );
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
