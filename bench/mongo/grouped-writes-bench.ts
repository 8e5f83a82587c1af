import { type Collection, MongoClient } from 'mongodb';
import { DURABLE, describeServer, serverLabel } from '../../shared/mongo/mongo-client.js';
import { type LoadResult, runClosedLoop } from '../lib/closed-loop.js';
import { measureCpu, serverPids } from '../lib/process-cpu.js';

/** Writes per group: a batch of orders the saga could write at once. */
export const GROUP = 32;

/** One way of writing the same documents, measured on the same server in the same run. */
export interface GroupedWriteCase {
  operation: string;
  /** `32 commands` or `one command` (or `one merged write`, for the hot SKU). */
  shape: string;
  /** Documents (or units, for the hot SKU) written. */
  writes: number;
  writesPerSecond: number;
  /** Latency of one command (for one command of 32: the whole group's). */
  p50Ms: number;
  p99Ms: number;
  /** CPU per write, ms: mongod's, and the client's (this process: the driver and BSON). */
  mongodCpuMsPerWrite: number | null;
  clientCpuMsPerWrite: number;
  /** This shape's writes/s ÷ the 32-commands shape of the same operation. */
  rateRatio: number;
  /** This shape's mongod CPU per write ÷ the 32-commands shape's (lower is cheaper). */
  mongodCpuRatio: number | null;
}

export interface GroupedWritesResult {
  settings: { groups: number; groupSize: number; inFlightDocuments: number };
  server: string;
  cases: GroupedWriteCase[];
}

interface OrderDoc {
  _id: number;
  status: string;
  version: number;
  history: { status: string; at: Date }[];
}

const order = (id: number) => ({
  _id: id,
  userId: `bench-user-${id % 500}`,
  status: 'PENDING',
  version: 0,
  items: [
    { sku: 'BENCH-MUG', name: 'Mug', quantity: 2, unitPriceCents: 1200 },
    { sku: 'BENCH-TEE', name: 'Tee', quantity: 1, unitPriceCents: 2500 },
  ],
  totalCents: 4900,
  shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'London', country: 'GB' },
  history: [{ status: 'PENDING', at: new Date() }],
});

/** The saga's kind of write: guarded on the status and version, moving both. */
const guardedMove = (id: number) => ({
  filter: { _id: id, status: 'PENDING', version: 0 },
  update: {
    $set: { status: 'RESERVED' },
    $inc: { version: 1 },
    $push: { history: { status: 'RESERVED', at: new Date() } },
  },
});

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * What grouping costs and saves on the server `npm run bench` runs, with Orderly's durable
 * writes (w: majority, journaled): for each operation, 32 writes sent as 32 commands (64
 * documents in flight) against the same 32 sent as one command (two commands in flight), and,
 * for a hot SKU, as one merged `$inc`. Every write is checked to have applied.
 */
export async function benchGroupedWrites(settings: {
  mongoUri: string;
  groups: number;
}): Promise<GroupedWritesResult> {
  const dbName = `bench_grouped_${Date.now()}`;
  const client = new MongoClient(settings.mongoUri, { ...DURABLE, maxPoolSize: 64 });
  const servers = serverPids(['mongo']);
  const total = settings.groups * GROUP;
  const cases: GroupedWriteCase[] = [];
  try {
    await client.connect();
    const info = await describeServer(client.db('admin'));
    const server = serverLabel(info);
    const db = client.db(dbName);
    let fresh = 0;
    /** A collection of `total` PENDING orders no case has touched. */
    const freshOrders = async (): Promise<Collection<OrderDoc>> => {
      const orders = db.collection<OrderDoc>(`orders_${fresh++}`);
      for (let start = 0; start < total; start += 1_000) {
        const ids = Array.from({ length: Math.min(1_000, total - start) }, (_, i) => start + i);
        await orders.insertMany(ids.map(order) as never[]);
      }
      return orders;
    };
    const stock = db.collection<{ _id: string; available: number }>('stock');

    const measure = async (
      operation: string,
      shape: string,
      writes: number,
      run: () => Promise<{ load: LoadResult; applied: number }>,
    ) => {
      const { result, ownMs, serversMs } = await measureCpu(servers, run);
      if (result.applied !== writes) {
        throw new Error(`${operation}, ${shape}: ${result.applied} of ${writes} writes applied`);
      }
      const mongodMs = serversMs.mongo;
      return {
        operation,
        shape,
        writes,
        writesPerSecond: round(writes / result.load.seconds, 0),
        p50Ms: result.load.p50Ms,
        p99Ms: result.load.p99Ms,
        mongodCpuMsPerWrite: mongodMs === undefined ? null : round(mongodMs / writes, 3),
        clientCpuMsPerWrite: round(ownMs / writes, 3),
      };
    };

    type Shape = { shape: string; run: () => Promise<{ load: LoadResult; applied: number }> };
    const operations: { operation: string; shapes: () => Promise<Shape[]>; writes: number }[] = [
      {
        operation: 'guarded update of an order (status, version, history), many orders',
        writes: total,
        shapes: async () => {
          const separate = await freshOrders();
          const grouped = await freshOrders();
          return [
            {
              shape: `${GROUP} commands`,
              run: async () => {
                let applied = 0;
                const load = await runClosedLoop(total, 2 * GROUP, async (i) => {
                  const { filter, update } = guardedMove(i);
                  const done = await separate.updateOne(filter, update);
                  applied += done.modifiedCount;
                });
                return { load, applied };
              },
            },
            {
              shape: 'one command',
              run: async () => {
                let applied = 0;
                const load = await runClosedLoop(settings.groups, 2, async (g) => {
                  const ops = Array.from({ length: GROUP }, (_, k) => ({
                    updateOne: guardedMove(g * GROUP + k),
                  }));
                  const done = await grouped.bulkWrite(ops, { ordered: false });
                  applied += done.modifiedCount;
                });
                return { load, applied };
              },
            },
          ];
        },
      },
      {
        operation: 'insert of an order',
        writes: total,
        shapes: async () => {
          const separate = db.collection<OrderDoc>('inserted_separately');
          const grouped = db.collection<OrderDoc>('inserted_grouped');
          await Promise.all([separate.deleteMany({}), grouped.deleteMany({})]);
          return [
            {
              shape: `${GROUP} commands`,
              run: async () => {
                let applied = 0;
                const load = await runClosedLoop(total, 2 * GROUP, async (i) => {
                  await separate.insertOne(order(i) as never);
                  applied += 1;
                });
                return { load, applied };
              },
            },
            {
              shape: 'one command',
              run: async () => {
                let applied = 0;
                const load = await runClosedLoop(settings.groups, 2, async (g) => {
                  const docs = Array.from({ length: GROUP }, (_, k) => order(g * GROUP + k));
                  const done = await grouped.insertMany(docs as never[], { ordered: false });
                  applied += done.insertedCount;
                });
                return { load, applied };
              },
            },
          ];
        },
      },
      {
        operation: 'conditional hold of 1 unit, one hot SKU',
        writes: total,
        shapes: async () => {
          await stock.deleteMany({});
          await stock.insertMany([
            { _id: 'HOT-1', available: 1e9 },
            { _id: 'HOT-2', available: 1e9 },
            { _id: 'HOT-3', available: 1e9 },
          ]);
          const hold = (sku: string, units: number) =>
            ({
              filter: { _id: sku, available: { $gte: units } },
              update: { $inc: { available: -units } },
            }) as const;
          return [
            {
              shape: `${GROUP} commands`,
              run: async () => {
                let applied = 0;
                const load = await runClosedLoop(total, 2 * GROUP, async () => {
                  const { filter, update } = hold('HOT-1', 1);
                  const done = await stock.updateOne(filter, update);
                  applied += done.modifiedCount;
                });
                return { load, applied };
              },
            },
            {
              shape: 'one command',
              run: async () => {
                let applied = 0;
                const load = await runClosedLoop(settings.groups, 2, async () => {
                  const ops = Array.from({ length: GROUP }, () => ({
                    updateOne: hold('HOT-2', 1),
                  }));
                  const done = await stock.bulkWrite(ops, { ordered: true });
                  applied += done.modifiedCount;
                });
                return { load, applied };
              },
            },
            {
              shape: 'one merged write',
              run: async () => {
                let applied = 0;
                const load = await runClosedLoop(settings.groups, 2, async () => {
                  const { filter, update } = hold('HOT-3', GROUP);
                  const done = await stock.updateOne(filter, update);
                  applied += GROUP * done.modifiedCount;
                });
                return { load, applied };
              },
            },
          ];
        },
      },
    ];

    for (const { operation, shapes, writes } of operations) {
      // Each shape runs twice, forward then backward, on fresh documents; the faster run is
      // kept, so neither warm-up nor a noisy moment favours the shape that runs later.
      const best = new Map<string, Omit<GroupedWriteCase, 'rateRatio' | 'mongodCpuRatio'>>();
      for (const direction of ['forward', 'backward']) {
        const list = await shapes();
        for (const { shape, run } of direction === 'forward' ? list : [...list].reverse()) {
          const measured = await measure(operation, shape, writes, run);
          const earlier = best.get(shape);
          if (!earlier || measured.writesPerSecond > earlier.writesPerSecond) {
            best.set(shape, measured);
          }
        }
      }
      const baseline = best.get(`${GROUP} commands`);
      for (const measured of best.values()) {
        cases.push({
          ...measured,
          rateRatio: round(measured.writesPerSecond / (baseline?.writesPerSecond ?? 1)),
          mongodCpuRatio:
            measured.mongodCpuMsPerWrite === null || !baseline?.mongodCpuMsPerWrite
              ? null
              : round(measured.mongodCpuMsPerWrite / baseline.mongodCpuMsPerWrite),
        });
      }
    }
    return {
      settings: { groups: settings.groups, groupSize: GROUP, inFlightDocuments: 2 * GROUP },
      server,
      cases,
    };
  } finally {
    await client
      .db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  }
}
