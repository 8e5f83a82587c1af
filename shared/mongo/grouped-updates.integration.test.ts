import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { GroupedFinds } from './grouped-finds.js';
import { GroupedGuardedUpdates, GroupedInserts, GroupedUpdates } from './grouped-updates.js';
import { connectMongo, isDuplicateKeyError, type MongoConnection } from './mongo-client.js';

interface CounterDoc {
  _id: string;
  value: number;
}

describe('grouped updates (real MongoDB)', () => {
  const config = { ...integrationConfig().mongo, dbName: uniqueName('it_grouped') };
  let mongo: MongoConnection;

  before(async () => {
    mongo = await connectMongo(config, { logger: testLogger() });
  });

  after(async () => {
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  const commandsOf = async (name: string) => {
    const status = await mongo.db.admin().command({ serverStatus: 1 });
    return Number(status.metrics?.commands?.[name]?.total ?? 0);
  };
  const updateCommands = () => commandsOf('update');

  it('applies every update made at once, in far fewer commands than updates', async () => {
    const counters = mongo.db.collection<CounterDoc>('counters');
    await counters.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `c${i}`, value: 0 })));
    const grouped = new GroupedUpdates(counters);
    const before = await updateCommands();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        grouped.updateOne({ _id: `c${i}` }, { $inc: { value: i } }),
      ),
    );
    const commands = (await updateCommands()) - before;
    const docs = await counters.find().sort({ value: 1 }).toArray();
    assert.deepEqual(
      docs.map((doc) => doc.value),
      Array.from({ length: 50 }, (_, i) => i),
    );
    // The first goes out alone; the others, made while it was in flight, together.
    assert.ok(commands <= 3, `${commands} update commands for 50 updates`);
  });

  it('fails the callers of a batch whose command fails, and each can try again', async () => {
    const counters = mongo.db.collection<CounterDoc>('strict');
    await mongo.db.createCollection('strict', {
      validator: { value: { $lte: 10 } },
      validationAction: 'error',
    });
    await counters.insertOne({ _id: 'x', value: 0 });
    const grouped = new GroupedUpdates(counters);
    await assert.rejects(grouped.updateOne({ _id: 'x' }, { $set: { value: 99 } }));
    await grouped.updateOne({ _id: 'x' }, { $set: { value: 5 } });
    assert.equal((await counters.findOne({ _id: 'x' }))?.value, 5);
  });

  it('inserts documents made at once in one command, refusing only the duplicates', async () => {
    const docs = mongo.db.collection<CounterDoc>('inserted');
    await docs.insertMany([
      { _id: 'taken-1', value: -1 },
      { _id: 'taken-2', value: -1 },
    ]);
    const grouped = new GroupedInserts(docs);
    const before = await commandsOf('insert');
    const ids = [...Array.from({ length: 40 }, (_, i) => `new-${i}`), 'taken-1', 'taken-2'];
    const outcomes = await Promise.allSettled(
      ids.map((id, i) => grouped.insertOne({ _id: id, value: i })),
    );
    const commands = (await commandsOf('insert')) - before;
    const refused = ids.filter((_, i) => outcomes[i]?.status === 'rejected');
    assert.deepEqual(refused, ['taken-1', 'taken-2']);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') assert.ok(isDuplicateKeyError(outcome.reason));
    }
    assert.equal(await docs.countDocuments({ _id: /^new-/ }), 40);
    assert.equal((await docs.findOne({ _id: 'taken-1' }))?.value, -1, 'the stored one is kept');
    assert.ok(commands <= 3, `${commands} insert commands for 42 inserts`);
  });

  it('tells each guarded update whether its own guard held, in few commands', async () => {
    interface StatusDoc {
      _id: string;
      status: string;
      by?: string;
    }
    const docs = mongo.db.collection<StatusDoc>('guarded');
    await docs.insertMany(
      Array.from({ length: 30 }, (_, i) => ({
        _id: `o${i}`,
        status: i % 3 === 0 ? 'MOVED' : 'OPEN',
      })),
    );
    const grouped = new GroupedGuardedUpdates(docs);
    const before = await updateCommands();
    const move = (id: string, by: string) =>
      grouped.updateOne({ _id: id, status: 'OPEN' }, { $set: { status: 'MOVED', by } });
    // Every document once, and o1 a second time by a rival in the same batch.
    const answers = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => move(`o${i}`, 'first')),
      move('o1', 'rival'),
    ]);
    const commands = (await updateCommands()) - before;
    for (let i = 0; i < 30; i++) {
      assert.equal(answers[i], i % 3 !== 0, `o${i}: applied only where the guard held`);
    }
    assert.equal(answers[30], false, 'the rival found o1 moved already');
    const stored = await docs.find({ by: { $exists: true } }).toArray();
    assert.equal(stored.length, 20);
    assert.ok(stored.every((doc) => doc.by === 'first'));
    assert.ok(commands <= 5, `${commands} update commands for 31 updates`);
  });

  it('reads documents asked for at once in one find, each caller its own', async () => {
    const docs = mongo.db.collection<CounterDoc>('read');
    await docs.insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: `d${i}`, value: i * 10 })));
    const reads = new GroupedFinds(docs);
    const before = await commandsOf('find');
    const asked = [...Array.from({ length: 30 }, (_, i) => `d${29 - i}`), 'missing', 'd3'];
    const found = await Promise.all(asked.map((id) => reads.findById(id)));
    const commands = (await commandsOf('find')) - before;
    asked.forEach((id, i) => {
      if (id === 'missing') assert.equal(found[i], null);
      else assert.equal(found[i]?.value, Number(id.slice(1)) * 10, id);
    });
    assert.ok(commands <= 3, `${commands} find commands for 32 reads`);
  });

  it('fails every caller when the server could not answer per write (a write concern not met)', async () => {
    // One data-bearing member cannot meet w: 2: the server applies the writes and reports a
    // write concern error for the batch, with no error of any one write. Which writes are
    // durable is then not known, so no caller may be told "done".
    const unmet = mongo.db.collection<CounterDoc>('unmet', {
      writeConcern: { w: 2, wtimeoutMS: 200 },
    });
    const inserts = new GroupedInserts(unmet);
    const outcomes = await Promise.allSettled(
      ['u1', 'u2', 'u3'].map((id) => inserts.insertOne({ _id: id, value: 1 })),
    );
    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      ['rejected', 'rejected', 'rejected'],
    );
    const updates = new GroupedGuardedUpdates(unmet);
    const moved = await Promise.allSettled(
      ['u1', 'u2'].map((id) => updates.updateOne({ _id: id, value: 1 }, { $set: { value: 2 } })),
    );
    assert.deepEqual(
      moved.map((outcome) => outcome.status),
      ['rejected', 'rejected'],
    );
  });
});
