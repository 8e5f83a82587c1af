import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { AppError, ErrorCode } from '../../shared/errors/catalogue.js';
import { createInventoryClient } from '../../shared/grpc/inventory-client.js';
import { eventually, freePort } from '../../test-support/eventually.js';
import { integrationConfig, uniqueName } from '../../test-support/integration-env.js';
import { checkHealth } from './health-check.js';

const MAIN = join(fileURLToPath(new URL('.', import.meta.url)), 'main.ts');

/** Runs services/inventory/main.ts as its own process, the way the container does. */
async function startProcess(env: NodeJS.ProcessEnv, address: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Error('the inventory process exited before serving');
  await eventually(
    async () => {
      if (child.exitCode !== null) throw exited;
      return (await checkHealth(address, '', 500)) === 'SERVING';
    },
    30_000,
    'SERVING',
    (err) => err === exited,
  );
  return child;
}

describe('inventory as a process: crash recovery and graceful shutdown', () => {
  const base = integrationConfig();
  const dbName = uniqueName('it_inventory_proc');
  let port: number;
  let address: string;
  let env: NodeJS.ProcessEnv;
  let mongo: MongoClient;
  const children: ChildProcess[] = [];

  before(async () => {
    port = await freePort();
    address = `127.0.0.1:${port}`;
    env = {
      MONGODB_DB: dbName,
      INVENTORY_GRPC_ADDR: address,
      INVENTORY_STOCK_TOPIC: uniqueName('it.inventory.proc'),
      INVENTORY_STOCK_TOPIC_PARTITIONS: '1',
      INVENTORY_SWEEP_INTERVAL_MS: '200',
      INVENTORY_PENDING_TIMEOUT_MS: '500',
      INVENTORY_SHUTDOWN_DRAIN_MS: '3000',
      LOG_LEVEL: 'error',
    };
    mongo = new MongoClient(base.mongo.uri);
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await mongo.db(dbName).dropDatabase();
    await mongo.close();
  });

  it('keeps available + reserved + sold equal to the stock put in across a kill -9 mid-burst', async () => {
    const first = await startProcess(env, address);
    children.push(first);
    const client = createInventoryClient({ address, deadlineMs: 3_000 });
    const skus = ['CRASH-A', 'CRASH-B', 'CRASH-C', 'CRASH-D', 'CRASH-E'];
    const STOCK = 60;
    for (const sku of skus) await client.restock(sku, STOCK);

    const lineSets = Array.from({ length: 150 }, (_, i) =>
      skus
        .filter((_, s) => (i + s) % 2 === 0 || s === i % 5)
        .map((sku) => ({ sku, quantity: 1 + (i % 2) })),
    );
    let replies = 0;
    const burst = lineSets.map((lines, i) =>
      client.reserve(`crash-${i}`, lines).finally(() => {
        replies++;
      }),
    );
    // Settled from the start: a refusal (out of stock) may come before the kill, and must not
    // be an unhandled rejection while the test waits.
    const settled = Promise.allSettled(burst);
    await eventually(async () => replies >= 5, 10_000, 'the first replies');
    first.kill('SIGKILL');
    const outcomes = await settled;
    const unavailable = outcomes.filter(
      (o) =>
        o.status === 'rejected' &&
        o.reason instanceof AppError &&
        o.reason.code === ErrorCode.UNAVAILABLE,
    ).length;
    assert.ok(unavailable > 0, 'some reservations were in flight when the server died');

    const second = await startProcess(env, address);
    children.push(second);
    const db = mongo.db(dbName);
    /** Waits until no reservation is PENDING or unsettled: every one decided and applied. */
    const repaired = () =>
      eventually(
        async () =>
          (await db.collection('inventory_reservations').countDocuments({
            $or: [{ state: 'PENDING' }, { settled: false }],
          })) === 0,
        15_000,
        'the restarted server to repair interrupted reservations',
      );
    await repaired();

    // A caller retrying its interrupted reservation (as the saga does: UNAVAILABLE is
    // transient, so it tries again) gets a definite answer.
    const patient = createInventoryClient({ address, deadlineMs: 15_000 });
    const definiteAnswer = async (i: number): Promise<string> => {
      for (let attempt = 1; ; attempt++) {
        const answer = await patient.reserve(`crash-${i}`, lineSets[i] ?? []).then(
          (reservation) => reservation.state as string,
          (err: AppError) => (err.code === ErrorCode.UNAVAILABLE ? undefined : err.code),
        );
        if (answer !== undefined || attempt === 20) return answer ?? 'UNAVAILABLE';
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.status === 'fulfilled') continue;
      const answer = await definiteAnswer(i);
      assert.ok(
        answer === 'RESERVED' || answer === ErrorCode.OUT_OF_STOCK,
        `crash-${i}: ${answer}`,
      );
    }
    patient.close();
    // Reservations are confirmed lazily; the sweeper confirms the retried ones shortly.
    await repaired();

    const reservations = await db
      .collection('inventory_reservations')
      .find({ state: 'RESERVED' })
      .toArray();
    const levels = await client.getStock(skus);
    for (const level of levels) {
      assert.equal(level.available + level.reserved + level.sold, STOCK, `${level.sku} adds up`);
      assert.ok(level.available >= 0, `${level.sku} available ${level.available}`);
      const held = reservations
        .flatMap((r) => r.lines as { sku: string; quantity: number }[])
        .filter((line) => line.sku === level.sku)
        .reduce((sum, line) => sum + line.quantity, 0);
      assert.equal(
        level.reserved,
        held,
        `${level.sku}: reserved matches the RESERVED reservations`,
      );
    }
    client.close();

    second.kill('SIGTERM');
    const [code] = await once(second, 'exit');
    assert.equal(code, 0);
  });

  it('refuses to start without its configuration, naming each missing variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    for (const name of ['MONGODB_URI', 'KAFKA_BROKERS', 'INVENTORY_GRPC_ADDR']) {
      assert.match(output, new RegExp(`${name} is required but not set`));
    }
  });

  it('reports NOT_SERVING while draining after SIGTERM, then exits 0', async () => {
    // A port of its own, so nothing left over from another test can answer for it.
    const ownAddress = `127.0.0.1:${await freePort()}`;
    const child = await startProcess({ ...env, INVENTORY_GRPC_ADDR: ownAddress }, ownAddress);
    children.push(child);
    assert.equal(await checkHealth(ownAddress), 'SERVING');
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await eventually(
      async () => (await checkHealth(ownAddress, '', 500)) === 'NOT_SERVING',
      2_800,
      'NOT_SERVING',
    );
    const [code] = await exited;
    assert.equal(code, 0);
    await assert.rejects(checkHealth(ownAddress, '', 300), 'the port is closed after exit');
  });
});
