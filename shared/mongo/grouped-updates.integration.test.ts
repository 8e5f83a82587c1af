import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { GroupedUpdates } from './grouped-updates.js';
import { connectMongo, type MongoConnection } from './mongo-client.js';

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

  const updateCommands = async () => {
    const status = await mongo.db.admin().command({ serverStatus: 1 });
    return Number(status.metrics?.commands?.update?.total ?? 0);
  };

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
});
