import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectMongo, type MongoConnection } from '../../shared/mongo/mongo-client.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { MongoStockStore } from './mongo-stock-store.js';

describe('grouped stock writes (real MongoDB)', () => {
  const config = { ...integrationConfig().mongo, dbName: uniqueName('it_stock_writes') };
  let mongo: MongoConnection;
  let store: MongoStockStore;

  before(async () => {
    mongo = await connectMongo(config, { logger: testLogger() });
    store = new MongoStockStore(mongo.db);
  });

  after(async () => {
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  const updateCommands = async () => {
    const status = await mongo.db.admin().command({ serverStatus: 1 });
    return Number(status.metrics?.commands?.update?.total ?? 0);
  };

  it('holds a hot SKU exactly: 80 holds at once for 50 units, in a few commands', async () => {
    await store.init([{ sku: 'HOT', quantity: 50 }]);
    const before = await updateCommands();
    const outcomes = await Promise.all(
      Array.from({ length: 80 }, (_, i) => store.hold(`r${i}`, { sku: 'HOT', quantity: 1 })),
    );
    const commands = (await updateCommands()) - before;
    const held = outcomes.filter((outcome) => outcome.kind === 'held');
    assert.equal(held.length, 50);
    assert.equal(outcomes.filter((outcome) => outcome.kind === 'short').length, 30);
    const [level] = await store.levels(['HOT']);
    assert.deepEqual([level?.available, level?.reserved, level?.sold], [0, 50, 0]);
    const doc = await mongo.db.collection('inventory_stock').findOne({ _id: 'HOT' as never });
    const holds = (doc?.holds ?? []) as string[];
    assert.equal(holds.length, 50);
    // Each outcome says what the document says: the reservations told "held" are its holds.
    const heldIds = outcomes.flatMap((outcome, i) => (outcome.kind === 'held' ? [`r${i}`] : []));
    assert.deepEqual([...holds].sort(), heldIds.sort());
    assert.ok(commands <= 5, `${commands} update commands for 80 holds`);
  });

  it('repeats a hold without taking stock twice, grouped or alone', async () => {
    await store.init([{ sku: 'TWICE', quantity: 5 }]);
    const first = await Promise.all([
      store.hold('same', { sku: 'TWICE', quantity: 2 }),
      store.hold('same', { sku: 'TWICE', quantity: 2 }),
      store.hold('other', { sku: 'TWICE', quantity: 1 }),
    ]);
    assert.ok(first.every((outcome) => outcome.kind !== 'short'));
    assert.notEqual((await store.hold('same', { sku: 'TWICE', quantity: 2 })).kind, 'short');
    const [level] = await store.levels(['TWICE']);
    assert.deepEqual([level?.available, level?.reserved], [2, 3]);
  });

  it('commits and releases holds made at once, each once', async () => {
    await store.init([{ sku: 'SETTLE', quantity: 20 }]);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.hold(`s${i}`, { sku: 'SETTLE', quantity: 1 })),
    );
    // Even reservations sold, odd ones released, each asked twice at the same moment.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const line = { sku: 'SETTLE', quantity: 1 };
        const settle = () =>
          i % 2 === 0 ? store.commitHold(`s${i}`, line) : store.releaseHold(`s${i}`, line);
        return Promise.all([settle(), settle()]);
      }),
    );
    const [level] = await store.levels(['SETTLE']);
    assert.deepEqual([level?.available, level?.reserved, level?.sold], [10, 0, 10]);
  });

  it('lists a return a crash interrupted for the sweeper to finish', async () => {
    const old = new Date(Date.now() - 60_000);
    await store.createReservation({
      id: 'interrupted-return',
      lines: [{ sku: 'SETTLE', quantity: 1 }],
      state: 'COMMITTED',
      settled: true,
      shortage: [],
      expiresAt: new Date(Date.now() + 60_000),
      createdAt: old,
      updatedAt: old,
    });
    await store.transition('interrupted-return', ['COMMITTED'], 'RETURNED', { settled: false });
    await mongo.db
      .collection('inventory_reservations')
      .updateOne({ _id: 'interrupted-return' as never }, { $set: { updatedAt: old } });
    const due = await store.findDue(new Date(), new Date(Date.now() - 30_000), 50);
    assert.ok(due.some((record) => record.id === 'interrupted-return'));
  });

  it('leaves a late settled mark off a reservation that moved on (the answer does not wait for it)', async () => {
    const now = new Date();
    await store.createReservation({
      id: 'late-mark',
      lines: [{ sku: 'SETTLE', quantity: 1 }],
      state: 'COMMITTED',
      settled: false,
      shortage: [],
      expiresAt: new Date(now.getTime() + 60_000),
      createdAt: now,
      updatedAt: now,
    });
    // A cancel returned the stock before the commit's mark landed.
    await store.transition('late-mark', ['COMMITTED'], 'RETURNED', { settled: false });
    await store.markSettled('late-mark', 'COMMITTED');
    assert.equal((await store.findReservation('late-mark'))?.settled, false);
    await store.markSettled('late-mark', 'RETURNED');
    assert.equal((await store.findReservation('late-mark'))?.settled, true);
  });
});
