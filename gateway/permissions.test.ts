import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { MongoClient } from 'mongodb';
import { buildFunctionApps } from '../localstack/platform/function-apps.js';
import { type AuthUser, registerAuth } from '../shared/auth/auth.js';
import { PERMISSIONS } from '../shared/auth/permissions.js';
import { createHttpApp } from '../shared/http/http-app.js';
import { createLogger } from '../shared/logger/logger.js';
import { type ResolverCall, recordResolverCalls } from '../test-support/resolver-calls.js';
import { servedSchema } from './app.js';
import { InProcessInvoker } from './invokers/in-process-invoker.js';
import { FIELD_ACCESS } from './permissions.js';

const auth = {
  jwtSecret: 'permissions-test-secret-that-is-long-enough',
  issuer: 'orderly',
  audience: 'orderly-api',
  tokenTtlSeconds: 600,
};
/** Signs as the platform does (the functions' own JWT settings). */
const signer = createHttpApp({
  component: 'permissions-test',
  logger: createLogger({ name: 'permissions', level: 'silent' }),
});
await registerAuth(signer, auth);
await signer.ready();
/** A caller of each kind, as the functions see it after authentication. */
const token = (user: Omit<AuthUser, 'email'>) =>
  `Bearer ${signer.jwt.sign({ email: 'p@example.com', ...user })}`;

/**
 * The permission table against the served schema and against the functions: every query,
 * mutation and subscription has a row, and each protected row's function calls refuse a caller
 * without its permission (FORBIDDEN) and let one with it past the check. The functions' database
 * is a client that never connects: no check needs it, and a call let through fails after it.
 */
describe('the permission table', () => {
  const mongo = new MongoClient('mongodb://127.0.0.1:1', { serverSelectionTimeoutMS: 200 });
  let invoker: InProcessInvoker;
  let calls: ResolverCall[];

  before(async () => {
    const apps = await buildFunctionApps({
      logger: createLogger({ name: 'permissions', level: 'silent' }),
      db: mongo.db('never-connected'),
      auth,
      stock: {
        restock: () => Promise.reject(new Error('not called')),
        initStock: () => Promise.reject(new Error('not called')),
      },
    });
    invoker = new InProcessInvoker(apps);
    calls = await recordResolverCalls();
  });
  after(async () => {
    await invoker?.close();
    await signer.close();
    await mongo.close();
  });

  it('has a row for every query, mutation and subscription the gateway serves, and no other', () => {
    const schema = buildSchema(servedSchema());
    const served = ['Query', 'Mutation', 'Subscription'].flatMap((typeName) =>
      Object.keys((schema.getType(typeName) as GraphQLObjectType).getFields()).map(
        (field) => `${typeName}.${field}`,
      ),
    );
    assert.deepEqual(
      served.filter((field) => !(field in FIELD_ACCESS)),
      [],
      'fields without a row',
    );
    assert.deepEqual(
      Object.keys(FIELD_ACCESS).filter((field) => !served.includes(field)),
      [],
      'rows of no field',
    );
  });

  /** How each call of `field` is answered for `authorization`: status and error code. */
  const answers = async (field: string, authorization?: string) => {
    const own = calls.filter((call) => call.resolver === field);
    assert.ok(own.length > 0, `${field} calls a function`);
    return Promise.all(
      own.map(async ({ fn, request }) => {
        const answer = await invoker.invoke(fn, {
          ...request,
          ...(authorization ? { authorization } : { authorization: undefined }),
        });
        const code = (answer.body as { error?: { code?: string } } | null)?.error?.code;
        return `${answer.statusCode}:${code ?? ''}`;
      }),
    );
  };
  const refused = (answer: string) => answer.startsWith('403:') || answer.startsWith('401:');

  it('each permission row: refused without the permission, let through with it', async () => {
    const checked: string[] = [];
    for (const [field, access] of Object.entries(FIELD_ACCESS)) {
      if (!(PERMISSIONS as readonly string[]).includes(access)) continue;
      const others = PERMISSIONS.filter((name) => name !== access);
      const without = await answers(
        field,
        token({ sub: 'key:1', role: 'INTEGRATION', permissions: others }),
      );
      assert.ok(
        without.every((answer) => answer.startsWith('403:FORBIDDEN')),
        `${field}: ${without}`,
      );
      const customer = await answers(field, token({ sub: 'u1', role: 'CUSTOMER' }));
      assert.ok(
        customer.every((answer) => answer.startsWith('403:')),
        `${field} to a customer`,
      );
      const withIt = await answers(
        field,
        token({ sub: 'key:1', role: 'INTEGRATION', permissions: [access] }),
      );
      assert.ok(
        withIt.every((answer) => !refused(answer)),
        `${field} with ${access}: ${withIt}`,
      );
      const admin = await answers(field, token({ sub: 'a1', role: 'ADMIN' }));
      assert.ok(
        admin.every((answer) => !refused(answer)),
        `${field} to an admin: ${admin}`,
      );
      checked.push(field);
    }
    assert.ok(checked.length >= 15, `${checked.length} protected fields checked`);
  });

  it('admin-person rows refuse every key, whatever its permissions; signed-in rows refuse strangers', async () => {
    for (const [field, access] of Object.entries(FIELD_ACCESS)) {
      if (access === 'admin-person') {
        const key = await answers(
          field,
          token({ sub: 'key:1', role: 'INTEGRATION', permissions: [...PERMISSIONS] }),
        );
        assert.ok(
          key.every((answer) => answer.startsWith('403:')),
          `${field} to a key: ${key}`,
        );
        const admin = await answers(field, token({ sub: 'a1', role: 'ADMIN' }));
        assert.ok(
          admin.every((answer) => !refused(answer)),
          `${field} to an admin: ${admin}`,
        );
      }
      if (access === 'signed-in' && field.startsWith('Mutation.')) {
        const stranger = await answers(field);
        assert.ok(
          stranger.every((answer) => answer.startsWith('401:')),
          `${field}: ${stranger}`,
        );
      }
    }
  });
});
