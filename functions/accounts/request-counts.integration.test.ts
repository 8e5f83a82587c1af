import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectMongo, type MongoConnection } from '../../shared/mongo/mongo-client.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { REQUEST_COUNT_INDEXES, requestCountStore } from './request-counts.js';

/** The shared request counter against the real database, on a clock the test moves. */
describe('request counts in MongoDB', () => {
  let mongo: MongoConnection;
  let now = 0;

  before(async () => {
    mongo = await connectMongo(
      { ...integrationConfig().mongo, dbName: uniqueName('it_request_counts') },
      { logger: testLogger(), indexes: REQUEST_COUNT_INDEXES },
    );
  });
  after(async () => {
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  it('starts a window at the first request, so no clock boundary splits a burst', async () => {
    const Store = requestCountStore(mongo.db, () => now);
    const store = new Store({} as never).child({
      routeInfo: { method: 'POST', url: '/accounts/register' },
    } as never);
    const hit = () =>
      new Promise<{ current: number; ttl: number }>((resolve, reject) =>
        store.incr(
          '203.0.113.9',
          (err, result) => (err || !result ? reject(err) : resolve(result)),
          60_000,
          5,
        ),
      );
    now = 59_990; // ten milliseconds before a minute turns
    assert.deepEqual(await hit(), { current: 1, ttl: 60_000 });
    now = 60_010;
    assert.deepEqual(await hit(), { current: 2, ttl: 59_980 }, 'the same window');
    now = 119_990;
    assert.deepEqual(await hit(), { current: 1, ttl: 60_000 }, 'a new window once it ended');
  });
});
