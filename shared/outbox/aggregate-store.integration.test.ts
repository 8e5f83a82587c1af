import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { newEvent } from '../events/envelope.js';
import { connectMongo, type MongoConnection } from '../mongo/mongo-client.js';
import { type AggregateDocument, AggregateStore, type OutboxSender } from './aggregate-store.js';

interface ThingDoc extends AggregateDocument {
  _id: ObjectId;
  status: string;
  history: { status: string }[];
}

/** Records what the store hands over to be sent, and how (the sender is the outbox's port). */
function recordingSender() {
  const sent: { id: string; types: string[]; how?: 'kept' | 'announced' }[] = [];
  const record =
    (how?: 'kept' | 'announced'): OutboxSender['send'] =>
    async (_collection, id, events) => {
      sent.push({ id: String(id), types: events.map((event) => event.type), ...(how && { how }) });
    };
  const sender: OutboxSender = {
    send: record(),
    sendKept: record('kept'),
    announce: record('announced'),
  };
  return { sender, sent };
}

function cancelled(id: ObjectId) {
  return newEvent(
    'OrderCancelled',
    {
      orderId: id.toHexString(),
      userId: 'u1',
      reason: 'CANCELLED_BY_CUSTOMER',
      previousStatus: 'PENDING',
    },
    { source: 'test', subject: id.toHexString() },
  );
}

describe('aggregate store: grouped guarded changes (real MongoDB)', () => {
  const config = { ...integrationConfig().mongo, dbName: uniqueName('it_aggregate') };
  let mongo: MongoConnection;

  before(async () => {
    mongo = await connectMongo(config, { logger: testLogger() });
  });

  after(async () => {
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  async function newThing(status = 'OPEN'): Promise<ThingDoc> {
    const doc: ThingDoc = {
      _id: new ObjectId(),
      status,
      history: [],
      appliedEvents: [],
      outbox: [],
      updatedAt: new Date(),
    };
    await mongo.db.collection<ThingDoc>('things').insertOne(doc);
    return doc;
  }

  const move = (store: AggregateStore<ThingDoc>, doc: ThingDoc, from: string, cause: string) =>
    store.apply(doc, {
      guard: { status: from },
      appliedId: cause,
      set: { status: 'CLOSED' },
      push: { history: { status: 'CLOSED' } },
      emit: [cancelled(doc._id)],
    });

  it('writes and sends a change whose guard holds, and answers the document after it', async () => {
    const { sender, sent } = recordingSender();
    const store = new AggregateStore(mongo.db.collection<ThingDoc>('things'), sender);
    const doc = await newThing();
    const moved = await move(store, doc, 'OPEN', 'cause-1');
    assert.equal(moved?.status, 'CLOSED');
    assert.deepEqual(moved?.appliedEvents, ['cause-1']);
    assert.deepEqual(
      moved?.outbox.map((entry) => entry.type),
      ['OrderCancelled'],
    );
    const stored = await store.collection.findOne({ _id: doc._id });
    assert.equal(stored?.status, 'CLOSED');
    assert.deepEqual(stored?.history, [{ status: 'CLOSED' }]);
    assert.deepEqual(sent, [{ id: doc._id.toHexString(), types: ['OrderCancelled'] }]);
  });

  it('neither writes nor sends a change whose guard fails, nor a repeat of its cause', async () => {
    const { sender, sent } = recordingSender();
    const store = new AggregateStore(mongo.db.collection<ThingDoc>('things'), sender);
    const elsewhere = await newThing('SHIPPED');
    assert.equal(await move(store, elsewhere, 'OPEN', 'cause-2'), null);
    const doc = await newThing();
    assert.ok(await move(store, doc, 'OPEN', 'cause-3'));
    // The same cause again, from a copy loaded before the first change.
    assert.equal(await move(store, { ...doc, status: 'CLOSED' }, 'CLOSED', 'cause-3'), null);
    assert.equal((await store.collection.findOne({ _id: elsewhere._id }))?.status, 'SHIPPED');
    assert.equal(sent.length, 1, 'only the change that applied sent its event');
  });

  it('lets exactly one of two rival changes made at once apply, and sends only its events', async () => {
    const { sender, sent } = recordingSender();
    const store = new AggregateStore(mongo.db.collection<ThingDoc>('things'), sender);
    const docs = await Promise.all(Array.from({ length: 10 }, () => newThing()));
    // Each document twice, by two causes, all at once: they go out grouped.
    const answers = await Promise.all(
      docs.flatMap((doc, i) => [
        move(store, doc, 'OPEN', `first-${i}`),
        move(store, doc, 'OPEN', `rival-${i}`),
      ]),
    );
    for (let i = 0; i < docs.length; i++) {
      const pair = [answers[2 * i], answers[2 * i + 1]];
      assert.equal(pair.filter(Boolean).length, 1, `document ${i}: one of the two applied`);
      const stored = await store.collection.findOne({ _id: docs[i]?._id });
      assert.equal(stored?.appliedEvents.length, 1);
      assert.equal(stored?.history.length, 1);
    }
    assert.equal(sent.length, docs.length);
  });

  it('removes what the outbox held, in the move, when the move says it was delivered', async () => {
    const { sender, sent } = recordingSender();
    const store = new AggregateStore(mongo.db.collection<ThingDoc>('things'), sender);
    const doc: ThingDoc = {
      _id: new ObjectId(),
      status: 'OPEN',
      history: [],
      appliedEvents: [],
      outbox: [cancelled(new ObjectId())],
      outboxLeaseUntil: new Date(Date.now() + 60_000),
      updatedAt: new Date(),
    };
    await store.insert(doc, { keep: true });
    assert.equal(sent[0]?.how, 'kept', 'the insert sends its events and leaves them');
    assert.equal((await store.collection.findOne({ _id: doc._id }))?.outbox.length, 1);
    const quiet = await store.apply(doc, {
      guard: { status: 'OPEN' },
      appliedId: 'delivered-1',
      set: { status: 'HELD' },
      emit: [],
      outboxDelivered: true,
    });
    assert.deepEqual(quiet?.outbox, []);
    const stored = await store.collection.findOne({ _id: doc._id });
    assert.deepEqual(stored?.outbox, [], 'the move removed the delivered event');
    assert.equal(stored?.outboxLeaseUntil, null, "and ended the relay's wait");
    // A delivered outbox replaced by the move's own events.
    const other = await newThing();
    await store.collection.updateOne(
      { _id: other._id },
      { $set: { outbox: [cancelled(other._id)] } },
    );
    const loud = await store.apply(other, {
      guard: { status: 'OPEN' },
      appliedId: 'delivered-2',
      set: { status: 'CLOSED' },
      emit: [cancelled(other._id), cancelled(new ObjectId())],
      outboxDelivered: true,
    });
    assert.equal(loud?.outbox.length, 2);
    assert.equal((await store.collection.findOne({ _id: other._id }))?.outbox.length, 2);
  });

  it("announces a change's events without storing them", async () => {
    const { sender, sent } = recordingSender();
    const store = new AggregateStore(mongo.db.collection<ThingDoc>('things'), sender);
    const doc = await newThing();
    const moved = await store.apply(doc, {
      guard: { status: 'OPEN' },
      appliedId: 'announced-1',
      set: { status: 'CLOSED' },
      emit: [cancelled(doc._id)],
      announce: true,
    });
    assert.deepEqual(moved?.outbox, []);
    assert.deepEqual((await store.collection.findOne({ _id: doc._id }))?.outbox, []);
    assert.deepEqual(sent, [
      { id: doc._id.toHexString(), types: ['OrderCancelled'], how: 'announced' },
    ]);
  });
});
