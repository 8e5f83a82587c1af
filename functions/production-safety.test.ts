import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LOCAL_ADMIN, LOCAL_JWT_SECRET } from '../shared/config/local-defaults.js';
import { firstInvocations, LAMBDA_ENTRY_POINTS } from '../test-support/lambda-entry-points.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The processes an operator starts by hand or in a container. */
const SERVER_ENTRY_POINTS = [
  'gateway/main.ts',
  'services/inventory/main.ts',
  'localstack/start.ts',
  'functions/migrate/cli.ts',
  'functions/accounts/admin-cli.ts',
  'tools/topics.ts',
];

/** Each setting unsafe on a deployed stage, and the words of its refusal. */
const UNSAFE: { env: Record<string, string>; refusal: RegExp }[] = [
  { env: { JWT_SECRET: LOCAL_JWT_SECRET }, refusal: /JWT_SECRET is the published/ },
  { env: { ADMIN_PASSWORD: LOCAL_ADMIN.password }, refusal: /ADMIN_PASSWORD is the published/ },
  { env: { PAYMENT_PROVIDER: 'test' }, refusal: /PAYMENT_PROVIDER=test .*ALLOW_TEST_PAYMENTS/ },
  { env: { GRAPHIQL: 'on' }, refusal: /GRAPHIQL=on/ },
  { env: { GRAPHQL_INTROSPECTION: 'on' }, refusal: /GRAPHQL_INTROSPECTION=on/ },
  { env: { GRAPHQL_SUGGESTIONS: 'on' }, refusal: /GRAPHQL_SUGGESTIONS=on/ },
];

/** The three ways a process is on a deployed stage (shared/config/deployment.ts). */
const DEPLOYED: Record<string, string>[] = [
  {},
  { NODE_ENV: 'production' },
  { NODE_ENV: 'development', AWS_LAMBDA_FUNCTION_NAME: 'orderly-prod-orders' },
];

describe('a deployed stage refuses settings that are only safe locally', () => {
  for (const [i, unsafe] of UNSAFE.entries()) {
    const deployed = DEPLOYED[i % DEPLOYED.length] ?? {};
    it(`every Lambda entry point refuses ${Object.keys(unsafe.env)[0]} (${JSON.stringify(deployed)})`, () => {
      const results = firstInvocations({ ...deployed, ...unsafe.env });
      assert.equal(results.length, LAMBDA_ENTRY_POINTS.length);
      for (const { file, outcome } of results) {
        assert.match(outcome, /^Invalid configuration:/, file);
        assert.match(outcome, unsafe.refusal, file);
      }
    });
  }

  it('every server and operator command refuses them before it starts anything', () => {
    for (const file of SERVER_ENTRY_POINTS) {
      const child = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          file,
          ...(file.endsWith('admin-cli.ts') ? ['create', '--email', 'a@b.co'] : []),
        ],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 60_000,
          input: '',
          env: {
            PATH: process.env.PATH ?? '',
            ORDERLY_SKIP_BOOTSTRAP: '1',
            JWT_SECRET: LOCAL_JWT_SECRET,
            GRAPHIQL: 'on',
            // Addresses nothing listens on: a process that got past its configuration would
            // hang or fail on them, not exit with the refusal.
            MONGODB_URI: 'mongodb://127.0.0.1:9',
            KAFKA_BROKERS: '127.0.0.1:9',
          },
        },
      );
      const output = `${child.stdout}${child.stderr}`;
      assert.notEqual(child.status, 0, `${file}: ${output}`);
      assert.match(output, /GRAPHIQL=on/, file);
      assert.match(output, /JWT_SECRET is the published/, file);
    }
  });
});
