import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { REPO_ROOT } from '../../localstack/infra/paths.js';
import { checkHealth } from '../../services/inventory/health-check.js';
import { createInventoryClient } from '../../shared/grpc/inventory-client.js';
import { createKafka, deleteTopics } from '../../shared/kafka/kafka-client.js';
import { createLogger } from '../../shared/logger/logger.js';
import { DURABLE } from '../../shared/mongo/mongo-client.js';
import { freePort } from '../../test-support/eventually.js';
import { type LoadResult, runClosedLoop } from '../lib/closed-loop.js';

export interface InventoryBenchResult {
  settings: { calls: number; concurrency: number; skus: number };
  reserveSpread: LoadResult;
  reserveHot: LoadResult;
  /** Hold: what a checkout now asks (no reservation document), one write per SKU. */
  holdSpread: LoadResult;
  holdHot: LoadResult;
  bareUpdateSpread: LoadResult;
  bareUpdateHot: LoadResult;
  ratioSpread: number;
  ratioHot: number;
  holdRatioSpread: number;
  holdRatioHot: number;
}

const CONCURRENCY = 64;
const SKUS = 1_000;
const STOCK = 1_000_000;

async function startInventoryProcess(
  env: NodeJS.ProcessEnv,
  address: string,
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'services', 'inventory', 'main.ts')],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const deadline = Date.now() + 30_000;
  while ((await checkHealth(address, '', 500).catch(() => 'DOWN')) !== 'SERVING') {
    if (Date.now() > deadline) throw new Error('the inventory did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return child;
}

/**
 * Hold and Reserve throughput and latency over gRPC with 64 calls in flight, (a) spread over 1,000
 * SKUs and (b) on one hot SKU, against the bare conditional findOneAndUpdate from Node on the
 * same database in the same run. The inventory runs as its own process, as in production.
 */
export async function benchInventory(settings: {
  mongoUri: string;
  kafkaBrokers: string;
  calls: number;
}): Promise<InventoryBenchResult> {
  const dbName = `bench_inventory_${Date.now()}`;
  const stockTopic = `bench.inventory.${Date.now()}`;
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const child = await startInventoryProcess(
    {
      MONGODB_URI: settings.mongoUri,
      MONGODB_DB: dbName,
      KAFKA_BROKERS: settings.kafkaBrokers,
      INVENTORY_GRPC_ADDR: address,
      INVENTORY_STOCK_TOPIC: stockTopic,
      LOG_LEVEL: 'error',
      NODE_ENV: 'production',
    },
    address,
  );
  const client = createInventoryClient({ address, deadlineMs: 30_000 });
  // The baseline writes as durably as the inventory does.
  const mongo = new MongoClient(settings.mongoUri, { maxPoolSize: CONCURRENCY, ...DURABLE });
  try {
    const skus = Array.from({ length: SKUS }, (_, i) => `BENCH-${String(i).padStart(4, '0')}`);
    await runClosedLoop(skus.length, 16, (i) => client.restock(skus[i] ?? '', STOCK));
    await client.restock('BENCH-HOT', STOCK);
    const bare = mongo.db(dbName).collection<{ _id: string; available: number }>('bench_bare');
    await bare.insertMany([...skus, 'BENCH-HOT'].map((sku) => ({ _id: sku, available: STOCK })));

    const reserve = (prefix: string, pick: (i: number) => string) => (i: number) =>
      client.reserve(`${prefix}-${i}`, [{ sku: pick(i), quantity: 1 }]);
    const hold = (prefix: string, pick: (i: number) => string) => (i: number) =>
      client.hold(`${prefix}-${i}`, [{ sku: pick(i), quantity: 1 }]);
    const update = (pick: (i: number) => string) => (i: number) =>
      bare.findOneAndUpdate({ _id: pick(i), available: { $gte: 1 } }, { $inc: { available: -1 } });
    const spread = (i: number) => skus[(i * 7919) % SKUS] ?? '';
    const hot = () => 'BENCH-HOT';

    // Warm-up: JIT, connection pools, the broker's producer path. A whole round of every
    // case: whichever case came first after a shorter one measured up to a third slower.
    for (const warm of [hold('warm', spread), update(spread), reserve('warm', spread)]) {
      await runClosedLoop(1_000, CONCURRENCY, warm);
    }

    // Interleaved, the bare update between the two, so all see the same machine conditions.
    const calls = settings.calls;
    const reserveSpread = await runClosedLoop(calls, CONCURRENCY, reserve('spread', spread));
    const bareUpdateSpread = await runClosedLoop(calls, CONCURRENCY, update(spread));
    const holdSpread = await runClosedLoop(calls, CONCURRENCY, hold('spread', spread));
    const reserveHot = await runClosedLoop(calls, CONCURRENCY, reserve('hot', hot));
    const bareUpdateHot = await runClosedLoop(calls, CONCURRENCY, update(hot));
    const holdHot = await runClosedLoop(calls, CONCURRENCY, hold('hot', hot));
    const ratio = (a: LoadResult, b: LoadResult) =>
      Math.round((a.ratePerSecond / b.ratePerSecond) * 100) / 100;
    return {
      settings: { calls: settings.calls, concurrency: CONCURRENCY, skus: SKUS },
      reserveSpread,
      reserveHot,
      holdSpread,
      holdHot,
      bareUpdateSpread,
      bareUpdateHot,
      ratioSpread: ratio(reserveSpread, bareUpdateSpread),
      ratioHot: ratio(reserveHot, bareUpdateHot),
      holdRatioSpread: ratio(holdSpread, bareUpdateSpread),
      holdRatioHot: ratio(holdHot, bareUpdateHot),
    };
  } finally {
    client.close();
    child.kill('SIGTERM');
    await once(child, 'exit');
    await mongo.db(dbName).dropDatabase();
    await mongo.close();
    const kafka = createKafka(
      { brokers: settings.kafkaBrokers.split(','), clientId: 'bench-inventory' },
      { logger: createLogger({ name: 'bench-inventory', level: 'error' }) },
    );
    await deleteTopics(kafka, [stockTopic, `${stockTopic}.dlq`]).catch(() => undefined);
  }
}
