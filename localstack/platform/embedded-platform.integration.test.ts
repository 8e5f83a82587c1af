import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type RunningInventory, startInventory } from '../../services/inventory/inventory-app.js';
import { EventTopics } from '../../shared/events/topics.js';
import { eventually, freePort } from '../../shared/testing/eventually.js';
import { integrationConfig, testLogger, uniqueName } from '../../shared/testing/integration-env.js';
import { DEMO_CATALOG } from './demo-catalog.js';
import { postGraphql } from './graphql-client.js';
import { type LocalPlatform, startLocalPlatform } from './local-platform.js';

/**
 * `npm start`'s embedded mode with every server given, as the compose file runs it: Kafka
 * and the database from KAFKA_BROKERS / MONGODB_URI, and the inventory service from
 * INVENTORY_ADDR (here a separate server in this test, standing in for the container).
 */
describe('npm start with configured servers and an external inventory service', () => {
  let inventory: RunningInventory;
  let platform: LocalPlatform;

  before(async () => {
    const { kafka, mongo } = integrationConfig();
    const dbName = uniqueName('it_embedded');
    const topicPrefix = `${uniqueName('it')}.`;
    inventory = await startInventory(
      {
        runtime: { nodeEnv: 'test', logLevel: 'error' },
        mongo: { ...mongo, dbName },
        kafka,
        grpcAddress: '127.0.0.1:0',
        stockTopic: new EventTopics(topicPrefix).of('inventory'),
        stockTopicPartitions: 6,
        defaultTtlSeconds: 900,
        pendingTimeoutMs: 30_000,
        sweepIntervalMs: 1_000,
        shutdownDrainMs: 0,
        shutdownGraceMs: 1_000,
      },
      testLogger(),
    );
    platform = await startLocalPlatform({
      mode: 'embedded',
      env: {
        ...process.env,
        KAFKA_BROKERS: kafka.brokers.join(','),
        MONGODB_URI: mongo.uri,
        MONGODB_DB: dbName,
        KAFKA_TOPIC_PREFIX: topicPrefix,
        INVENTORY_ADDR: `127.0.0.1:${inventory.port}`,
        PORT: `${await freePort()}`,
        ADMIN_EMAIL: 'ops@example.com',
        ADMIN_PASSWORD: 'ops-password-1',
      },
      loggerFor: () => testLogger(),
    });
  });

  after(async () => {
    await platform?.stop();
    await inventory?.stop();
  });

  it('uses the given servers, seeds through them, and checks out', async () => {
    const row = (name: string) => platform.components.find((c) => c.component === name);
    assert.equal(row('inventory gRPC')?.how, 'external (INVENTORY_ADDR)');
    assert.match(row('Kafka')?.how ?? '', /\(external\)$/);
    assert.match(row('MongoDB')?.how ?? '', /\(external\)$/);
    assert.equal(row('admin login')?.where, 'ops@example.com / (ADMIN_PASSWORD)');

    // The demo stock went into the external inventory service.
    const [poster] = await inventory.service.getStock(['POSTER-LIMITED']);
    assert.equal(
      poster?.available,
      DEMO_CATALOG.find((p) => p.sku === 'POSTER-LIMITED')?.initialStock,
    );

    const ask = <T>(query: string, variables: object = {}, token?: string) =>
      postGraphql<T>(platform.graphqlUrl, query, variables, token);
    const registered = await ask<{ register: { token: string } }>(
      'mutation($input: RegisterInput!) { register(input: $input) { token } }',
      { input: { email: 'grace@example.com', password: 'embedded-pass-1', name: 'Grace' } },
    );
    const token = registered.data?.register.token;
    assert.ok(token, JSON.stringify(registered));
    await ask(
      'mutation { addToCart(sku: "POSTER-LIMITED", quantity: 1) { subtotalCents } }',
      {},
      token,
    );
    const placed = await ask<{ checkout: { id: string } }>(
      'mutation($input: CheckoutInput!) { checkout(input: $input) { id } }',
      {
        input: {
          idempotencyKey: uniqueName('embedded-checkout'),
          paymentToken: 'tok_visa',
          shippingAddress: {
            name: 'Grace Hopper',
            line1: '1 Compiler Way',
            city: 'Arlington',
            postalCode: '22201',
            country: 'US',
          },
        },
      },
      token,
    );
    const id = placed.data?.checkout.id;
    assert.ok(id, JSON.stringify(placed));
    await eventually(
      async () =>
        (
          await ask<{ order: { status: string } }>(
            'query($id: ID!) { order(id: $id) { status } }',
            { id },
            token,
          )
        ).data?.order.status === 'CONFIRMED',
      30_000,
      'the order to be CONFIRMED',
    );
    const [sold] = await inventory.service.getStock(['POSTER-LIMITED']);
    assert.deepEqual({ available: sold?.available, sold: sold?.sold }, { available: 2, sold: 1 });
  });
});

describe('npm start with its port taken', () => {
  it('refuses at once, naming the port and PORT, before starting anything', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    let logged = 0;
    try {
      await assert.rejects(
        startLocalPlatform({
          mode: 'embedded',
          env: { ...process.env, PORT: `${port}` },
          loggerFor: () => {
            logged++;
            return testLogger();
          },
        }),
        new RegExp(`127\\.0\\.0\\.1:${port} is already in use: .*set PORT`),
      );
      assert.equal(logged, 1, 'only the start logger was made: no part was started');
    } finally {
      blocker.close();
    }
  });
});
