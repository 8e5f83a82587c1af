import { MongoClient, ReadConcern, type WriteConcernSettings } from 'mongodb';
import { DURABLE, describeServer, serverLabel } from '../../shared/mongo/mongo-client.js';
import { type LoadResult, runClosedLoop } from '../lib/closed-loop.js';

/** One write or read setting, measured on the same server in the same run as the others. */
export interface ConcernCase {
  name: string;
  concurrency: number;
  result: LoadResult;
  /** Rate of this case ÷ rate of the fastest (least durable) setting of the same operation. */
  ratioToFastest: number;
}

export interface DurabilityBenchResult {
  settings: { ops: number; concurrencies: number[] };
  server: string;
  cases: ConcernCase[];
}

const WRITE_CONCERNS: { name: string; writeConcern: WriteConcernSettings }[] = [
  {
    name: 'w: 1, not journaled (acknowledged from memory)',
    writeConcern: { w: 1, journal: false },
  },
  { name: 'w: 1, journaled', writeConcern: { w: 1, journal: true } },
  { name: "w: 'majority', journaled (Orderly)", writeConcern: DURABLE.writeConcern },
];
const READ_CONCERNS = [
  { name: "read concern 'local'", level: 'local' as const },
  { name: "read concern 'majority' (Orderly)", level: 'majority' as const },
];

/** An order-sized document: a few lines, an address, a history entry and an outbox event. */
function orderDoc(i: number) {
  return {
    userId: `bench-user-${i % 500}`,
    idempotencyKey: `bench-key-${i}`,
    status: 'PENDING',
    items: [
      { sku: 'BENCH-MUG', name: 'Mug', quantity: 2, unitPriceCents: 1200 },
      { sku: 'BENCH-TEE', name: 'Tee', quantity: 1, unitPriceCents: 2500 },
    ],
    totalCents: 4900,
    shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'London', country: 'GB' },
    history: [{ status: 'PENDING', at: new Date(), reason: null }],
    outbox: [{ id: `evt-${i}`, type: 'OrderPlaced', time: new Date().toISOString() }],
  };
}

/**
 * What the durability settings cost on the server `npm run bench` runs: inserts and
 * conditional updates with each write concern, reads with each read concern, with one call
 * in flight (the latency a checkout step sees) and with 64 (throughput), on the same server
 * and collections, so each ratio compares like with like.
 */
export async function benchDurability(settings: {
  mongoUri: string;
  ops: number;
}): Promise<DurabilityBenchResult> {
  const dbName = `bench_durability_${Date.now()}`;
  const client = new MongoClient(settings.mongoUri, { maxPoolSize: 64 });
  const concurrencies = [1, 64];
  const cases: ConcernCase[] = [];
  try {
    await client.connect();
    const info = await describeServer(client.db('admin'));
    const server = serverLabel(info);
    const db = client.db(dbName);
    await db
      .collection('stock')
      .insertMany(
        Array.from({ length: 1_000 }, (_, i) => ({ _id: `SKU-${i}` as never, available: 1e9 })),
      );
    const orders = (writeConcern: WriteConcernSettings) =>
      db.collection('orders', { writeConcern });
    const stock = (options: { writeConcern?: WriteConcernSettings; readConcern?: ReadConcern }) =>
      db.collection<{ _id: string; available: number }>('stock', options);
    const sku = (i: number) => `SKU-${(i * 7919) % 1_000}`;
    for (const concurrency of concurrencies) {
      const ops = concurrency === 1 ? Math.min(settings.ops, 1_000) : settings.ops;
      const groups: { name: string; run: () => Promise<LoadResult> }[][] = [
        WRITE_CONCERNS.map(({ name, writeConcern }) => ({
          name: `insert an order, ${name}`,
          run: () =>
            runClosedLoop(ops, concurrency, (i) => orders(writeConcern).insertOne(orderDoc(i))),
        })),
        WRITE_CONCERNS.map(({ name, writeConcern }) => ({
          name: `conditional $inc of a stock level, ${name}`,
          run: () =>
            runClosedLoop(ops, concurrency, (i) =>
              stock({ writeConcern }).findOneAndUpdate(
                { _id: sku(i), available: { $gte: 1 } },
                { $inc: { available: -1 } },
              ),
            ),
        })),
        READ_CONCERNS.map(({ name, level }) => ({
          name: `find a stock level by id, ${name}`,
          run: () =>
            runClosedLoop(ops, concurrency, (i) =>
              stock({ readConcern: new ReadConcern(level) }).findOne({ _id: sku(i) }),
            ),
        })),
      ];
      for (const group of groups) {
        // Each setting runs twice, the group forward then backward, and keeps its faster run,
        // so neither warm-up nor a noisy moment favours the setting that happens to run later.
        const best = new Map<string, LoadResult>();
        for (const order of [group, [...group].reverse()]) {
          for (const entry of order) {
            const result = await entry.run();
            const earlier = best.get(entry.name);
            if (!earlier || result.ratePerSecond > earlier.ratePerSecond)
              best.set(entry.name, result);
          }
        }
        const fastest = Math.max(...[...best.values()].map((result) => result.ratePerSecond));
        for (const { name } of group) {
          const result = best.get(name) as LoadResult;
          cases.push({
            name,
            concurrency,
            result,
            ratioToFastest: Math.round((result.ratePerSecond / fastest) * 100) / 100,
          });
        }
      }
    }
    return { settings: { ops: settings.ops, concurrencies }, server, cases };
  } finally {
    await client
      .db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  }
}
