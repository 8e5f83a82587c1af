import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { createKafka, createProducer } from '../../shared/kafka/kafka-client.js';
import { eventually } from '../../test-support/eventually.js';
import { testLogger } from '../../test-support/integration-env.js';
import { IsolatedInfraCache } from '../../test-support/isolated-infra-cache.js';

/** Listens on `port` when it is free, so nothing of ours can take it; busy already is as good. */
function hold(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(server));
  });
}

function portOf(setting: string): number {
  const match = /127\.0\.0\.1:(\d+)/.exec(setting);
  assert.ok(match, `no loopback address in ${setting}`);
  return Number(match[1]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `npm run infra:up` as an operator runs it after a crash, in a cache of its own (so the
 * suite's servers are untouched): the servers come back where they were, so clients that
 * were running reconnect by themselves.
 */
describe('infra:up after its servers were killed', () => {
  const cache = new IsolatedInfraCache();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.KAFKA_BROKERS;
  delete env.MONGODB_URI;
  const holders: Server[] = [];
  let first: Record<string, string>;
  let latest: Record<string, string>;
  let mongo: MongoClient;
  let producer: Producer;

  const infraUp = () => cache.up(env);

  async function crash(name: 'kafka' | 'mongo'): Promise<void> {
    const pid = cache.kill(name);
    assert.ok(pid, `${name} is recorded as started`);
    await eventually(() => !alive(pid), 10_000, `${name} (pid ${pid}) to die`);
  }

  before(async () => {
    // Another process holds the default ports, as the suite's own servers usually do.
    for (const port of [9092, 9093, 27017]) {
      const server = await hold(port);
      if (server) holders.push(server);
    }
    first = (await infraUp()).settings;
    mongo = new MongoClient(first.MONGODB_URI ?? '', { serverSelectionTimeoutMS: 30_000 });
    await mongo
      .db('restart')
      .collection('notes')
      .insertOne({ _id: 'before-crash' as never });
    producer = await createProducer(
      createKafka(
        { clientId: 'restart-test', brokers: [first.KAFKA_BROKERS ?? ''] },
        { logger: testLogger() },
      ),
    );
  });

  after(async () => {
    await producer?.disconnect().catch(() => undefined);
    await mongo?.close().catch(() => undefined);
    for (const server of holders) server.close();
    cache.remove();
  });

  it('brings Kafka and the database back on the addresses they had, and running clients reconnect', async () => {
    assert.notEqual(portOf(first.KAFKA_BROKERS ?? ''), 9092, 'the default port was held');
    assert.notEqual(portOf(first.MONGODB_URI ?? ''), 27017, 'the default port was held');

    await crash('kafka');
    await crash('mongo');
    const again = await infraUp();
    assert.deepEqual(again.settings, first, again.log);
    assert.doesNotMatch(again.log, /is taken by another process/);

    // The client made before the crash works again, and the acknowledged write is there.
    const notes = mongo.db('restart').collection('notes');
    assert.equal(await notes.countDocuments({ _id: 'before-crash' as never }), 1);
    await notes.insertOne({ _id: 'after-restart' as never });
    const admin = createKafka(
      { clientId: 'restart-test-admin', brokers: [first.KAFKA_BROKERS ?? ''] },
      { logger: testLogger() },
    ).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'restart-probe', numPartitions: 1 }] });
    await admin.disconnect();
    await producer.send({ topic: 'restart-probe', messages: [{ value: 'after the restart' }] });
  });

  it('moves only when something else took the port it had, and says so', async () => {
    await crash('mongo');
    const had = portOf(first.MONGODB_URI ?? '');
    const squatter = await hold(had);
    assert.ok(squatter, `port ${had} is free again after the crash`);
    holders.push(squatter);

    const moved = await infraUp();
    const now = portOf(moved.settings.MONGODB_URI ?? '');
    assert.notEqual(now, had);
    assert.match(moved.log, new RegExp(`database port ${had} it had is taken by another process`));
    assert.equal(moved.settings.KAFKA_BROKERS, first.KAFKA_BROKERS, 'Kafka was left running');
    latest = moved.settings;

    // Same data directory on the new port: the replica set follows it and takes writes.
    const client = new MongoClient(moved.settings.MONGODB_URI ?? '', {
      serverSelectionTimeoutMS: 10_000,
    });
    try {
      const notes = client.db('restart').collection('notes');
      assert.equal(await notes.countDocuments({}), 2);
      await notes.insertOne({ _id: 'after-move' as never });
    } finally {
      await client.close();
    }
  });

  it('restarts a server that the shell names by its managed address, and says so', async () => {
    // The README's way: `set -a; eval "$(npm run -s infra:up)"; set +a` exports the settings.
    const exported: NodeJS.ProcessEnv = { ...env, ...latest };
    await crash('mongo');
    const down = await cache.status(exported);
    assert.notEqual(down.exit, '0');
    assert.match(down.output, /mongo: NOT RUNNING - .* \(managed pid \d+\)/);

    const up = await cache.up(exported);
    assert.equal(up.settings.MONGODB_URI, latest.MONGODB_URI, 'back on the address the shell has');
    assert.match(up.log, /mongo: MONGODB_URI=\S+ is the address infra:up manages/);
    const client = new MongoClient(latest.MONGODB_URI ?? '', { serverSelectionTimeoutMS: 10_000 });
    try {
      assert.equal(await client.db('restart').collection('notes').countDocuments({}), 3);
    } finally {
      await client.close();
    }
    const status = await cache.status(exported);
    assert.equal(status.exit, '0', status.output);
    assert.match(status.output, /mongo: running - .* \(managed pid \d+\)/);
  });
});
