import { MongoClient, ReadConcern, type WriteConcernSettings } from 'mongodb';
import { DURABLE } from '../../shared/mongo/mongo-client.js';
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
 * in flight (the latency a checkout step sees) and with 64 (throughput), one setting after
 * the other on the same server and collections, so each ratio compares like with like.
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
    const info = await client.db('admin').command({ buildInfo: 1 });
    const hello = await client.db('admin').command({ hello: 1 });
    const server = `${info.gitVersion ? 'mongod' : 'MongoDB-compatible server'} ${info.version}${hello.setName ? `, replica set ${hello.setName}` : ', standalone'}`;
    const db = client.db(dbName);
    await db
      .collection('stock')
      .insertMany(
        Array.from({ length: 1_000 }, (_, i) => ({ _id: `SKU-${i}` as never, available: 1e9 })),
      );
    const record = (group: ConcernCase[]) => {
      const fastest = Math.max(...group.map((entry) => entry.result.ratePerSecond));
      for (const entry of group) {
        entry.ratioToFastest = Math.round((entry.result.ratePerSecond / fastest) * 100) / 100;
        cases.push(entry);
      }
    };
    let round = 0;
    for (const concurrency of concurrencies) {
      const ops = concurrency === 1 ? Math.min(settings.ops, 1_000) : settings.ops;
      const inserts: ConcernCase[] = [];
      const updates: ConcernCase[] = [];
      for (const { name, writeConcern } of WRITE_CONCERNS) {
        const orders = db.collection('orders', { writeConcern });
        const stock = db.collection<{ _id: string; available: number }>('stock', { writeConcern });
        const offset = ++round * 1_000_000;
        await runClosedLoop(100, concurrency, (i) => orders.insertOne(orderDoc(offset - i - 1)));
        inserts.push({
          name: `insert an order, ${name}`,
          concurrency,
          result: await runClosedLoop(ops, concurrency, (i) =>
            orders.insertOne(orderDoc(offset + i)),
          ),
          ratioToFastest: 0,
        });
        updates.push({
          name: `conditional $inc of a stock level, ${name}`,
          concurrency,
          result: await runClosedLoop(ops, concurrency, (i) =>
            stock.findOneAndUpdate(
              { _id: `SKU-${(i * 7919) % 1_000}`, available: { $gte: 1 } },
              { $inc: { available: -1 } },
            ),
          ),
          ratioToFastest: 0,
        });
      }
      record(inserts);
      record(updates);
      const reads: ConcernCase[] = [];
      for (const { name, level } of READ_CONCERNS) {
        const stock = db.collection('stock', { readConcern: new ReadConcern(level) });
        reads.push({
          name: `find a stock level by id, ${name}`,
          concurrency,
          result: await runClosedLoop(ops, concurrency, (i) =>
            stock.findOne({ _id: `SKU-${(i * 7919) % 1_000}` as never }),
          ),
          ratioToFastest: 0,
        });
      }
      record(reads);
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
