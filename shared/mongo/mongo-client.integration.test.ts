import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoServerError } from 'mongodb';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import {
  type CollectionIndexes,
  connectMongo,
  describeServer,
  isDuplicateKeyError,
  type MongoConnection,
} from './mongo-client.js';

interface StockDoc {
  sku: string;
  available: number;
  reserved: number;
  log: string[];
}

const INDEXES: CollectionIndexes[] = [
  { collection: 'stock', indexes: [{ key: { sku: 1 }, name: 'sku_unique', unique: true }] },
];

describe('MongoDB-compatible server (real, over a socket)', () => {
  const base = integrationConfig().mongo;
  const config = { ...base, dbName: uniqueName('it_mongo') };
  let mongo: MongoConnection;

  before(async () => {
    mongo = await connectMongo(config, { logger: testLogger(), indexes: INDEXES });
  });

  after(async () => {
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  it('names the server from buildInfo, and the replica set it is a member of', async (t) => {
    const info = await describeServer(mongo.db);
    const started = process.env.ORDERLY_MONGO_SERVER_NAME ?? 'external';
    t.diagnostic(`database: ${started} at ${config.uri}`);
    t.diagnostic(
      `buildInfo: ${info.server}, version ${info.version}; replica set: ${info.replicaSet ?? 'none'}`,
    );
    assert.match(info.version, /^\d+\.\d+\.\d+/);
    assert.match(info.server, /^(mongod|MongoDB-compatible server)$/);
    if (started.startsWith('mongod')) {
      // The mongod `npm test` runs is a one-node replica set, named in the connection string.
      assert.equal(info.replicaSet, 'orderly');
      assert.match(config.uri, /replicaSet=orderly/);
    }
  });

  it('sends every write with w: majority, journaled, and every read with read concern majority', async () => {
    // A connection string asking for less is overridden.
    const weak = `${config.uri}${config.uri.includes('?') ? '&' : '/?'}w=1&journal=false&readConcernLevel=local`;
    const monitored = await connectMongo(
      { ...config, uri: weak },
      { logger: testLogger(), monitorCommands: true },
    );
    const sent: Record<string, unknown>[] = [];
    monitored.client.on('commandStarted', (event) => sent.push(event.command));
    try {
      const notes = monitored.db.collection('durability');
      await notes.insertOne({ note: 'acknowledged means durable' });
      await notes.findOneAndUpdate({ note: { $exists: true } }, { $set: { read: true } });
      await notes.findOne({ read: true });
    } finally {
      await monitored.close();
    }
    const byName = (name: string) => sent.find((command) => name in command);
    for (const write of ['insert', 'findAndModify']) {
      assert.deepEqual(byName(write)?.writeConcern, { w: 'majority', j: true }, write);
    }
    assert.equal(
      (byName('find')?.readConcern as { level?: string } | undefined)?.level,
      'majority',
    );
  });

  it('ensures indexes idempotently: a second connection with the same indexes succeeds', async () => {
    const second = await connectMongo(config, { logger: testLogger(), indexes: INDEXES });
    const names = (await second.db.collection('stock').indexes()).map((index) => index.name);
    await second.close();
    assert.ok(names.includes('sku_unique'), `indexes: ${names.join(', ')}`);
  });

  it('drops a retired index and makes its replacement, once; a missing collection is no error', async () => {
    const replaced: CollectionIndexes[] = [
      {
        collection: 'stock',
        indexes: [{ key: { sku: 1, site: 1 }, name: 'sku_site_unique', unique: true }],
        retired: ['sku_unique'],
      },
      { collection: 'never_written', indexes: [], retired: ['old_index'] },
    ];
    const names = async () => (await mongo.db.collection('stock').indexes()).map((i) => i.name);
    assert.ok((await names()).includes('sku_unique'));
    for (const _ of [1, 2]) {
      const next = await connectMongo(config, { logger: testLogger(), indexes: replaced });
      await next.close();
      const now = await names();
      assert.ok(!now.includes('sku_unique') && now.includes('sku_site_unique'), now.join(', '));
    }
    // Back as the other tests expect it.
    await mongo.db.collection('stock').dropIndex('sku_site_unique');
    await mongo.db
      .collection('stock')
      .createIndex({ sku: 1 }, { name: 'sku_unique', unique: true });
  });

  it('inserts and queries with a filter and a sort', async () => {
    const stock = mongo.db.collection<StockDoc>('stock');
    await stock.insertMany([
      { sku: 'SKU-B', available: 3, reserved: 0, log: [] },
      { sku: 'SKU-A', available: 7, reserved: 0, log: [] },
      { sku: 'SKU-C', available: 0, reserved: 0, log: [] },
    ]);
    const inStock = await stock
      .find({ available: { $gt: 0 } }, { projection: { _id: 0, sku: 1 } })
      .sort({ sku: 1 })
      .toArray();
    assert.deepEqual(inStock, [{ sku: 'SKU-A' }, { sku: 'SKU-B' }]);
  });

  it('refuses a duplicate on a unique index with E11000', async () => {
    const stock = mongo.db.collection<StockDoc>('stock');
    await stock.insertOne({ sku: 'SKU-DUP', available: 1, reserved: 0, log: [] });
    const err = await stock.insertOne({ sku: 'SKU-DUP', available: 9, reserved: 0, log: [] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof MongoServerError, 'the second insert must fail');
    assert.equal(isDuplicateKeyError(err), true);
    assert.equal(isDuplicateKeyError(new Error('E11000 lookalike')), false);
    assert.equal(await stock.countDocuments({ sku: 'SKU-DUP' }), 1);
  });

  it('applies a conditional findOneAndUpdate only while its condition holds', async () => {
    const stock = mongo.db.collection<StockDoc>('stock');
    await stock.insertOne({ sku: 'SKU-COND', available: 5, reserved: 0, log: [] });
    const reserve = (quantity: number, by: string) =>
      stock.findOneAndUpdate(
        { sku: 'SKU-COND', available: { $gte: quantity } },
        { $inc: { available: -quantity, reserved: quantity }, $push: { log: by } },
        { returnDocument: 'after' },
      );
    const first = await reserve(3, 'order-1');
    assert.equal(first?.available, 2);
    assert.equal(first?.reserved, 3);
    assert.deepEqual(first?.log, ['order-1']);
    assert.equal(await reserve(3, 'order-2'), null, 'only 2 left: the update must not apply');
    const current = await stock.findOne({ sku: 'SKU-COND' });
    assert.deepEqual([current?.available, current?.reserved, current?.log], [2, 3, ['order-1']]);
  });

  it('never oversells under concurrent conditional updates', async () => {
    const stock = mongo.db.collection<StockDoc>('stock');
    await stock.insertOne({ sku: 'SKU-RACE', available: 10, reserved: 0, log: [] });
    const attempts = Array.from({ length: 25 }, (_, i) =>
      stock.findOneAndUpdate(
        { sku: 'SKU-RACE', available: { $gte: 1 } },
        { $inc: { available: -1, reserved: 1 }, $push: { log: `order-${i}` } },
        { returnDocument: 'after' },
      ),
    );
    const results = await Promise.all(attempts);
    const granted = results.filter((doc) => doc !== null).length;
    const final = await stock.findOne({ sku: 'SKU-RACE' });
    assert.equal(granted, 10);
    assert.equal(final?.available, 0);
    assert.equal(final?.reserved, 10);
    assert.equal(final?.log.length, 10);
  });

  it('groups and sums with a simple aggregation', async () => {
    const orders = mongo.db.collection('orders');
    await orders.insertMany([
      { status: 'CONFIRMED', total: 1200 },
      { status: 'CONFIRMED', total: 800 },
      { status: 'CANCELLED', total: 500 },
    ]);
    const totals = await orders
      .aggregate<{ _id: string; total: number; count: number }>([
        { $match: { total: { $gt: 0 } } },
        { $group: { _id: '$status', total: { $sum: '$total' }, count: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    assert.deepEqual(totals, [
      { _id: 'CANCELLED', total: 500, count: 1 },
      { _id: 'CONFIRMED', total: 2000, count: 2 },
    ]);
  });
});
