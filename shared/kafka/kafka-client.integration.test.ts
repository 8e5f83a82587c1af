import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { eventually } from '../../test-support/eventually.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { createKafka, createProducer, disconnectAll, ensureTopics } from './kafka-client.js';

const PARTITIONS = 3;
const KEYS = 12;
const PER_KEY = 5;

interface Received {
  consumer: string;
  partition: number;
  key: string;
  seq: number;
  offset: string;
}

describe('Kafka broker (real, over a socket)', () => {
  const config = integrationConfig().kafka;
  const topic = uniqueName('it.orders');
  let kafka: Kafka;
  let producer: Producer;
  const clients: { disconnect(): Promise<void> }[] = [];

  before(async () => {
    kafka = createKafka(config, { logger: testLogger() });
    producer = await createProducer(kafka);
    clients.push(producer);
  });

  after(async () => {
    await disconnectAll(clients);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a topic with several partitions, once', async (t) => {
    t.diagnostic(
      `broker: ${process.env.ORDERLY_KAFKA_SERVER ?? 'unknown'} at ${config.brokers.join(',')}`,
    );
    assert.deepEqual(await ensureTopics(kafka, [{ topic, partitions: PARTITIONS }]), [topic]);
    assert.deepEqual(await ensureTopics(kafka, [{ topic, partitions: PARTITIONS }]), []);
    const admin = kafka.admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    assert.equal(metadata.topics[0]?.partitions.length, PARTITIONS);
  });

  it('delivers every message once across a consumer group, in order per key', async () => {
    const groupId = uniqueName('it-group');
    const received: Received[] = [];
    const consumers: Consumer[] = [];
    const assigned = new Map<string, number>();
    for (const name of ['consumer-a', 'consumer-b']) {
      const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500 });
      clients.push(consumer);
      consumers.push(consumer);
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        assigned.set(name, payload.memberAssignment[topic]?.length ?? 0);
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }: EachMessagePayload) => {
          const body = JSON.parse(message.value?.toString() ?? '{}') as { seq: number };
          received.push({
            consumer: name,
            partition,
            key: message.key?.toString() ?? '',
            seq: body.seq,
            offset: message.offset,
          });
        },
      });
    }

    // Produce only once the group has settled with both members sharing the partitions, so
    // no rebalance happens mid-stream.
    await eventually(
      () =>
        assigned.size === 2 &&
        [...assigned.values()].every((n) => n > 0) &&
        [...assigned.values()].reduce((a, b) => a + b, 0) === PARTITIONS,
      30_000,
      'both consumers to share the partitions',
    );

    // Send one message per key at a time, so each key's sequence is produced in order.
    for (let seq = 0; seq < PER_KEY; seq++) {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: KEYS }, (_, k) => ({
          key: `order-${k}`,
          value: JSON.stringify({ seq }),
        })),
      });
    }
    await eventually(() => received.length >= KEYS * PER_KEY, 60_000, 'all messages');

    // Exactly once each: no duplicates, nothing missing.
    const ids = new Set(received.map((r) => `${r.key}#${r.seq}`));
    assert.equal(received.length, KEYS * PER_KEY);
    assert.equal(ids.size, KEYS * PER_KEY);

    for (let k = 0; k < KEYS; k++) {
      const ofKey = received.filter((r) => r.key === `order-${k}`);
      assert.equal(
        new Set(ofKey.map((r) => r.partition)).size,
        1,
        `order-${k} stays on one partition`,
      );
      assert.deepEqual(
        ofKey.map((r) => r.seq),
        [...Array(PER_KEY).keys()],
        `order-${k} arrives in order`,
      );
    }
    const partitionsUsed = new Set(received.map((r) => r.partition));
    assert.ok(partitionsUsed.size > 1, 'keys spread over several partitions');

    const admin = kafka.admin();
    await admin.connect();
    const group = await admin.describeGroups([groupId]);
    await disconnectAll(consumers);
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    await admin.disconnect();
    assert.equal(group.groups[0]?.members.length, 2, 'both consumers joined the group');
    const committed = offsets[0]?.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    assert.equal(committed, KEYS * PER_KEY, 'the group committed every offset');
  });

  it('gives a second consumer group its own copy of the stream', async () => {
    const consumer = kafka.consumer({ groupId: uniqueName('it-other-group') });
    clients.push(consumer);
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.key?.toString() ?? '');
      },
    });
    await eventually(() => seen.length >= KEYS * PER_KEY, 60_000, 'the second group');
    await consumer.disconnect();
    assert.equal(seen.length, KEYS * PER_KEY);
  });
});
