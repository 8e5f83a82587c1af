import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, readRuntimeConfig } from './config.js';
import { isDeployedStage } from './deployment.js';
import { type Env, EnvReader } from './env-reader.js';
import { LOCAL_ADMIN, LOCAL_JWT_SECRET } from './local-defaults.js';

const deployed = (env: Env) => isDeployedStage(new EnvReader(env));

const UNSAFE = {
  JWT_SECRET: LOCAL_JWT_SECRET,
  ADMIN_PASSWORD: LOCAL_ADMIN.password,
  PAYMENT_PROVIDER: 'test',
  GRAPHIQL: 'on',
  GRAPHQL_INTROSPECTION: 'on',
  GRAPHQL_SUGGESTIONS: 'on',
};

describe('the deployed-stage rule', () => {
  it('is local only when NODE_ENV says development or test, off AWS', () => {
    assert.equal(deployed({ NODE_ENV: 'development' }), false);
    assert.equal(deployed({ NODE_ENV: 'test' }), false);
    assert.equal(deployed({}), true, 'an unset NODE_ENV is deployed');
    assert.equal(deployed({ NODE_ENV: 'production' }), true);
    assert.equal(deployed({ NODE_ENV: 'staging' }), true);
  });

  it('counts a Lambda function or an ECS task as deployed whatever NODE_ENV says', () => {
    assert.equal(deployed({ NODE_ENV: 'development', AWS_LAMBDA_FUNCTION_NAME: 'f' }), true);
    assert.equal(deployed({ NODE_ENV: 'test', ECS_CONTAINER_METADATA_URI_V4: 'http://x' }), true);
    // serverless offline runs functions on a developer's machine with Lambda's variables.
    assert.equal(
      deployed({ NODE_ENV: 'development', AWS_LAMBDA_FUNCTION_NAME: 'f', IS_OFFLINE: 'true' }),
      false,
    );
  });

  it('reports every unsafe setting at once on a deployed stage, none on a developer machine', () => {
    assert.throws(
      () => loadConfig(readRuntimeConfig, { ...UNSAFE, ALLOW_TEST_PAYMENTS: 'yes' }),
      (err: Error & { problems?: string[] }) => {
        assert.deepEqual(
          (err.problems ?? []).map((problem) => problem.split(/[ =]/)[0]),
          [
            'ALLOW_TEST_PAYMENTS',
            'JWT_SECRET',
            'ADMIN_PASSWORD',
            'PAYMENT_PROVIDER',
            'GRAPHIQL',
            'GRAPHQL_INTROSPECTION',
            'GRAPHQL_SUGGESTIONS',
          ],
        );
        return true;
      },
    );
    const local = loadConfig(readRuntimeConfig, { NODE_ENV: 'development', ...UNSAFE });
    assert.equal(local.nodeEnv, 'development');
  });

  it('lets a deployed stage take test cards only with ALLOW_TEST_PAYMENTS=true', () => {
    const runtime = loadConfig(readRuntimeConfig, {
      PAYMENT_PROVIDER: 'test',
      ALLOW_TEST_PAYMENTS: 'true',
    });
    assert.equal(runtime.nodeEnv, 'production');
  });
});
