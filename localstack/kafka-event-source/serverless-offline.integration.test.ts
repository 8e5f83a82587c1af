import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildGateway } from '../../gateway/app.js';
import {
  FUNCTION_NAMES,
  type FunctionInvoker,
  type FunctionName,
} from '../../gateway/invokers/function-invoker.js';
import { HttpInvoker } from '../../gateway/invokers/http-invoker.js';
import { LambdaInvokeInvoker } from '../../gateway/invokers/lambda-invoke-invoker.js';
import { gatewaySettings } from '../../gateway/settings.js';
import { LambdaInvokeClient } from '../../shared/lambda/lambda-invoke-client.js';
import { eventually, freePort } from '../../shared/testing/eventually.js';
import { integrationConfig, testLogger, uniqueName } from '../../shared/testing/integration-env.js';
import { REPO_ROOT } from '../infra/paths.js';
import { CheckoutHarness } from '../platform/checkout-harness.js';
import { LambdaInvokeApiInvoker } from './invokers.js';

/**
 * The distributed local mode: the Kafka-triggered functions run under `serverless offline`
 * (built from serverless.yml, each in its own handler runtime) and the emulator invokes them
 * through its Lambda Invoke API, as the AWS SDK would.
 */
describe('event-source emulator invoking functions under serverless offline', () => {
  let offline: ChildProcess | undefined;
  let output = '';
  let harness: CheckoutHarness;
  let ports: { http: number; lambda: number };

  before(async () => {
    const { kafka, mongo } = integrationConfig();
    const dbName = uniqueName('it_offline');
    const topicPrefix = `${uniqueName('it')}.`;
    const [inventoryPort, httpPort, lambdaPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const inventoryAddress = `127.0.0.1:${inventoryPort}`;
    ports = { http: httpPort as number, lambda: lambdaPort as number };
    offline = spawn(
      join(REPO_ROOT, 'node_modules', '.bin', 'serverless'),
      ['offline', '--stage', 'local', '--httpPort', `${httpPort}`, '--lambdaPort', `${lambdaPort}`],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          KAFKA_BROKERS: kafka.brokers.join(','),
          MONGODB_URI: mongo.uri,
          MONGODB_DB: dbName,
          KAFKA_TOPIC_PREFIX: topicPrefix,
          INVENTORY_ADDR: inventoryAddress,
          INVENTORY_PROTO_PATH: join(REPO_ROOT, 'protos', 'inventory.proto'),
          JWT_SECRET: 'offline-test-secret-that-is-long-enough',
          LOG_LEVEL: 'error',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    offline.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    offline.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await eventually(() => output.includes('Server ready'), 90_000, 'serverless offline');
    harness = await CheckoutHarness.start({
      dbName,
      topicPrefix,
      inventoryAddress,
      invoker: new LambdaInvokeApiInvoker(
        new LambdaInvokeClient({ endpoint: `http://127.0.0.1:${lambdaPort}` }),
        (name) => `orderly-local-${name}`,
      ),
    });
    await harness.addProduct('OFFLINE-MUG', 1200, 5);
  });

  after(async () => {
    await harness?.stop();
    if (offline && offline.exitCode === null) {
      const exited = new Promise((resolve) => offline?.once('exit', resolve));
      offline.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (offline.exitCode === null) offline.kill('SIGKILL');
    }
  });

  it('confirms a paid order and cancels a declined one, every step run by serverless offline', async () => {
    const paid = await harness.checkout('offline-ada', { 'OFFLINE-MUG': 2 });
    const declined = await harness.checkout(
      'offline-bob',
      { 'OFFLINE-MUG': 1 },
      'tok_chargeDeclined',
    );
    const [paidOrder, declinedOrder] = await Promise.all([
      harness.waitFor(paid, ['CONFIRMED', 'CANCELLED'], 60_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${output.slice(-3_000)}`);
      }),
      harness.waitFor(declined, ['CONFIRMED', 'CANCELLED'], 60_000),
    ]);
    assert.equal(paidOrder.status, 'CONFIRMED');
    assert.equal(declinedOrder.status, 'CANCELLED');
    assert.equal(declinedOrder.cancellationReason, 'PAYMENT_DECLINED');
    await eventually(
      async () => (await harness.stock('OFFLINE-MUG')).reserved === 0,
      20_000,
      'the stock of the declined order to be released',
    );
    const stock = await harness.stock('OFFLINE-MUG');
    assert.deepEqual({ available: stock.available, sold: stock.sold }, { available: 3, sold: 2 });
    await eventually(
      async () => (await harness.db.collection('notifications').countDocuments({})) === 2,
      20_000,
      'two notifications from the offline notifications function',
    );
  });

  it('lets the gateway reach the functions over HTTP and through the Lambda Invoke API', async () => {
    const invokers: [string, FunctionInvoker][] = [
      [
        'http',
        new HttpInvoker(
          Object.fromEntries(
            FUNCTION_NAMES.map((fn) => [fn, `http://127.0.0.1:${ports.http}`]),
          ) as Record<FunctionName, string>,
        ),
      ],
      [
        'lambda',
        new LambdaInvokeInvoker(
          new LambdaInvokeClient({ endpoint: `http://127.0.0.1:${ports.lambda}` }),
          (fn) => `orderly-local-${fn}`,
        ),
      ],
    ];
    for (const [kind, invoker] of invokers) {
      const gateway = await buildGateway({
        logger: testLogger(),
        invoker,
        stock: { getStock: (skus) => harness.platform.inventory.service.getStock(skus) },
        settings: gatewaySettings({ rateLimitPerMinute: 1_000 }),
      });
      try {
        const ask = async (query: string, variables: object = {}, token?: string) =>
          (
            await gateway.inject({
              method: 'POST',
              url: '/graphql',
              headers: token ? { authorization: `Bearer ${token}` } : {},
              payload: { query, variables },
            })
          ).json();
        const registered = await ask(
          'mutation($input: RegisterInput!) { register(input: $input) { token user { email } } }',
          { input: { email: `${kind}@example.com`, password: 'offline-pass-1', name: kind } },
        );
        assert.equal(
          registered.data?.register?.user?.email,
          `${kind}@example.com`,
          JSON.stringify(registered),
        );
        const me = await ask(
          '{ me { email } cart { subtotalCents } }',
          {},
          registered.data.register.token,
        );
        assert.deepEqual(me.data, {
          me: { email: `${kind}@example.com` },
          cart: { subtotalCents: 0 },
        });
        const page = await ask(
          '{ products(first: 5) { edges { node { sku stock { available } } } } }',
        );
        assert.deepEqual(page.data.products.edges, [
          { node: { sku: 'OFFLINE-MUG', stock: { available: 3 } } },
        ]);
        const refused = await ask('{ cart { subtotalCents } }');
        assert.equal(refused.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', kind);
      } finally {
        await gateway.close();
      }
    }
  });
});
