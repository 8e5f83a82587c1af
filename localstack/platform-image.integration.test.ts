import assert from 'node:assert/strict';
import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { type RunningInventory, startInventory } from '../services/inventory/inventory-app.js';
import { EventTopics } from '../shared/events/topics.js';
import { readRuntimeStage } from '../test-support/dockerfile.js';
import { eventually, freePort } from '../test-support/eventually.js';
import { integrationConfig, testLogger, uniqueName } from '../test-support/integration-env.js';
import { dropBucket, uniqueBucket } from '../test-support/media-bucket.js';
import { spawnWatched } from '../test-support/watched-process.js';
import { REPO_ROOT } from './infra/paths.js';
import { DEMO_CATALOG } from './platform/demo-catalog.js';
import { postGraphql } from './platform/graphql-client.js';
import { startLocalPlatform } from './platform/local-platform.js';

const DOCKERFILE = join(REPO_ROOT, 'localstack', 'platform.Dockerfile');
const COMPOSE_FILE = join(REPO_ROOT, 'localstack', 'docker-compose.yml');

interface ComposeFile {
  services: Record<string, { environment?: Record<string, string>; ports?: string[] }>;
}

/**
 * The platform image of the compose file, run as a process: its CMD with its ENV and the
 * compose file's environment for it (Kafka, the database and the inventory service pointed at
 * this machine's servers, an inventory server started here standing in for the container),
 * probed with its HEALTHCHECK and stopped with its STOPSIGNAL. The image's /app is the
 * repository, so the command runs in the repository.
 */
describe('the platform image of the compose file', () => {
  const stage = readRuntimeStage(readFileSync(DOCKERFILE, 'utf8'));
  const compose = parse(readFileSync(COMPOSE_FILE, 'utf8')) as ComposeFile;
  let inventory: RunningInventory;
  let cacheDir: string;
  let env: NodeJS.ProcessEnv;
  let port: number;
  let child: ChildProcess | undefined;
  const mediaBucket = uniqueBucket('it-platform-image');

  before(async () => {
    const { kafka, mongo } = integrationConfig();
    const dbName = uniqueName('it_platform_image');
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
    cacheDir = mkdtempSync(join(tmpdir(), 'orderly-platform-image-'));
    port = await freePort();
    const composed = compose.services.platform?.environment ?? {};
    // Compose's own names for the servers, replaced by where they run here.
    const local: Record<string, string> = {
      KAFKA_BROKERS: kafka.brokers.join(','),
      MONGODB_URI: mongo.uri,
      INVENTORY_ADDR: `127.0.0.1:${inventory.port}`,
      AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL ?? '',
    };
    assert.deepEqual(
      Object.keys(composed)
        .filter((key) => !key.startsWith('ADMIN_') && key !== 'NODE_ENV')
        .sort(),
      Object.keys(local).sort(),
      'the compose file gives the platform exactly the servers it needs',
    );
    env = {
      PATH: process.env.PATH,
      ...stage.env,
      NODE_ENV: composed.NODE_ENV,
      ORDERLY_CACHE_DIR: cacheDir,
      // Loopback only on this machine; the image binds 0.0.0.0.
      HOST: '127.0.0.1',
      PORT: `${port}`,
      ...local,
      ADMIN_EMAIL: 'admin@orderly.local',
      ADMIN_PASSWORD: 'orderly-admin-1',
      MONGODB_DB: dbName,
      KAFKA_TOPIC_PREFIX: topicPrefix,
      MEDIA_BUCKET: mediaBucket,
    };
  });

  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await inventory?.stop();
    await dropBucket(process.env.AWS_ENDPOINT_URL ?? '', mediaBucket);
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  });

  const probe = () => {
    const [command, ...args] = stage.healthcheck;
    return spawnSync(command as string, args, { env, encoding: 'utf8' }).status;
  };

  it('serves the storefront from its CMD, passes its HEALTHCHECK and stops on SIGTERM', async () => {
    assert.deepEqual(
      compose.services.platform?.ports,
      [`127.0.0.1:${stage.env.PORT}:${stage.env.PORT}`],
      'published on loopback only',
    );
    const [command, ...args] = stage.cmd;
    const started = spawnWatched(command as string, args, { cwd: REPO_ROOT, env });
    child = started.child;
    await eventually(
      () => {
        if (started.child.exitCode !== null)
          throw new Error(`exited ${started.child.exitCode}: ${started.stderr()}`);
        return started.stdout().includes('Press Ctrl-C to stop') && probe() === 0;
      },
      90_000,
      'the platform to start and pass its HEALTHCHECK',
      () => started.child.exitCode !== null,
    );
    assert.match(
      started.stdout(),
      /inventory gRPC\s+127\.0\.0\.1:\d+\s+external \(INVENTORY_ADDR\)/,
    );
    assert.match(started.stdout(), /Kafka\s+\S+\s+external \(external\)/);

    // The demo stock went into the inventory service the compose file names.
    const [poster] = await inventory.service.getStock(['POSTER-LIMITED']);
    const posterStock = DEMO_CATALOG.find((p) => p.sku === 'POSTER-LIMITED')?.initialStock;
    assert.equal(poster?.available, posterStock);

    const url = `http://127.0.0.1:${port}/graphql`;
    const registered = await postGraphql<{ register: { token: string } }>(
      url,
      'mutation($input: RegisterInput!) { register(input: $input) { token } }',
      { input: { email: 'grace@example.com', password: 'image-pass-1', name: 'Grace' } },
    );
    const token = registered.data?.register.token;
    assert.ok(token, JSON.stringify(registered));
    await postGraphql(
      url,
      'mutation { addToCart(sku: "POSTER-LIMITED", quantity: 1) { subtotalCents } }',
      {},
      token,
    );
    const placed = await postGraphql<{ checkout: { id: string } }>(
      url,
      'mutation($input: CheckoutInput!) { checkout(input: $input) { id } }',
      {
        input: {
          idempotencyKey: uniqueName('image-checkout'),
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
          await postGraphql<{ order: { status: string } }>(
            url,
            'query($id: ID!) { order(id: $id) { status } }',
            { id },
            token,
          )
        ).data?.order.status === 'CONFIRMED',
      30_000,
      'the order to be CONFIRMED',
    );
    const [sold] = await inventory.service.getStock(['POSTER-LIMITED']);
    assert.deepEqual(
      { available: sold?.available, sold: sold?.sold },
      { available: (posterStock ?? 0) - 1, sold: 1 },
    );

    // The customer's mail, read in the local inbox as they got it.
    assert.match(started.stdout(), /mail inbox\s+http:\/\/127\.0\.0\.1:\d+\/_inbox/);
    const inbox = `http://127.0.0.1:${port}/_inbox`;
    let listed = '';
    await eventually(
      async () => {
        listed = await (await fetch(inbox)).text();
        return listed.includes(`order ${id} confirmed`);
      },
      30_000,
      'the confirmation in the inbox',
    );
    const link = new RegExp(`href="(/_inbox/[^"]+)">Orderly: order ${id} confirmed`).exec(
      listed,
    )?.[1];
    assert.ok(link, listed);
    const opened = await fetch(`http://127.0.0.1:${port}${link}`);
    const mail = await opened.text();
    assert.match(mail, /to grace@example\.com/);
    assert.match(mail, /Hello Grace Hopper,/);
    assert.match(mail, /1 × Limited Poster {2}[\d.]+ EUR/);
    assert.match(opened.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const part = await fetch(`http://127.0.0.1:${port}${link}/html`);
    assert.match(part.headers.get('content-security-policy') ?? '', /sandbox/);
    assert.match(await part.text(), /<th align="right">[\d.]+ [A-Z]{3}<\/th>/);

    started.child.kill(stage.stopSignal as NodeJS.Signals);
    assert.equal(await started.exitWithin(30_000), '0', started.stderr());
    assert.match(started.stderr(), /\[start\] stopped/);
    assert.notEqual(probe(), 0, 'the probe fails once the platform is gone');
  });

  it('run as it is, without the compose file, refuses every local default by name', () => {
    const [command, ...args] = stage.cmd;
    const alone = spawnSync(command as string, args, {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, ...stage.env, HOST: '127.0.0.1', PORT: `${port}` },
    });
    assert.equal(stage.env.NODE_ENV, 'production');
    assert.equal(alone.status, 1);
    for (const name of ['JWT_SECRET', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'ALLOW_TEST_PAYMENTS']) {
      assert.match(alone.stderr, new RegExp(name), name);
    }
  });
});

describe('npm start with its port taken', () => {
  it('refuses at once, naming the port and PORT, before starting anything', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const busy = typeof address === 'object' && address ? address.port : 0;
    let loggers = 0;
    try {
      await assert.rejects(
        startLocalPlatform({
          mode: 'embedded',
          env: { ...process.env, PORT: `${busy}` },
          loggerFor: () => {
            loggers++;
            return testLogger();
          },
        }),
        new RegExp(`127\\.0\\.0\\.1:${busy} is already in use: .*set PORT`),
      );
      assert.equal(loggers, 1, 'only the start logger was made: no part was started');
    } finally {
      blocker.close();
    }
  });
});
