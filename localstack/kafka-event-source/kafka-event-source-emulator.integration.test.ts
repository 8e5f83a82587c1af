import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { EVENT_TYPE_HEADER } from '../../shared/events/event-type-header.js';
import { createKafka, createProducer, ensureTopics } from '../../shared/kafka/kafka-client.js';
import { DEAD_LETTER_HEADERS } from '../../shared/kafka-function/dead-letters.js';
import type { LambdaKafkaEvent } from '../../shared/kafka-function/lambda-kafka-event.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { AWS_DEFAULT_ERROR_HANDLING, type EventSourceMapping } from './event-source-mappings.js';
import type { Invoker } from './invokers.js';
import { KafkaEventSourceEmulator } from './kafka-event-source-emulator.js';

interface Invocation {
  partition: number;
  offsets: number[];
  event: LambdaKafkaEvent;
  failed: boolean;
}

describe('Kafka event-source emulator (real Kafka)', () => {
  const config = integrationConfig();
  const topic = uniqueName('it_event_source');
  const mapping: EventSourceMapping = {
    functionName: 'probe',
    handler: 'functions/probe/lambda.handler',
    eventSource: 'aws:kafka',
    topic,
    batchSize: 3,
    batchingWindowMs: 0,
    startingPosition: 'TRIM_HORIZON',
    consumerGroupId: uniqueName('it_group'),
    enabled: true,
    onError: AWS_DEFAULT_ERROR_HANDLING,
  };
  let kafka: Kafka;
  let producer: Producer;
  let admin: Admin;

  before(async () => {
    kafka = createKafka(config.kafka, { logger: testLogger() });
    await ensureTopics(kafka, [
      { topic, partitions: 2 },
      { topic: `${topic}.dlq`, partitions: 1 },
    ]);
    producer = await createProducer(kafka);
    admin = kafka.admin();
    await admin.connect();
  });

  after(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
  });

  const committed = async () => {
    const [offsets] = await admin.fetchOffsets({
      groupId: mapping.consumerGroupId,
      topics: [topic],
    });
    return Object.fromEntries(
      (offsets?.partitions ?? []).map(({ partition, offset }) => [partition, Number(offset)]),
    );
  };

  const produce = (partition: number, from: number, count: number) =>
    producer.send({
      topic,
      messages: Array.from({ length: count }, (_, i) => ({
        partition,
        key: `k${partition}`,
        value: `p${partition}-m${from + i}`,
        headers: { trace: `t${from + i}` },
      })),
    });

  /** Fails every invocation for partition 0 while `gate.failing` is true. */
  function recordingInvoker(gate: { failing: boolean }) {
    const invocations: Invocation[] = [];
    const invoker: Invoker = {
      async invoke(_name, event) {
        const records = Object.values(event.records).flat();
        const partition = records[0]?.partition ?? -1;
        const failed = partition === 0 && gate.failing;
        invocations.push({ partition, offsets: records.map((r) => r.offset), event, failed });
        if (failed) throw new Error('function failed');
        return null;
      },
    };
    return { invoker, invocations };
  }

  async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('delivers Lambda batches, retries a failing partition without holding up the other, and commits only after success', async () => {
    await produce(0, 0, 7);
    await produce(1, 0, 4);
    const gate = { failing: true };
    const { invoker, invocations } = recordingInvoker(gate);
    const emulator = new KafkaEventSourceEmulator({
      kafka,
      mappings: [mapping],
      invoker,
      logger: testLogger(),
      bootstrapServers: config.kafka.brokers.join(','),
      maxRetryDelayMs: 200,
    });
    await emulator.start();
    try {
      const delivered = (partition: number) =>
        invocations.filter((i) => i.partition === partition && !i.failed).flatMap((i) => i.offsets);
      // Partition 1 is done while partition 0 is still failing: nothing of 0 is committed.
      await until(() => delivered(1).length === 4, 'partition 1');
      await until(async () => (await committed())[1] === 4, 'partition 1 commit');
      await until(() => invocations.filter((i) => i.failed).length >= 3, 'three failures');
      assert.equal(delivered(0).length, 0);
      assert.equal((await committed())[0] ?? -1, -1);
      gate.failing = false;
      await until(() => delivered(0).length === 7, 'partition 0 after its retries');
      await until(async () => (await committed())[0] === 7, 'partition 0 commit');

      assert.deepEqual(delivered(0), [0, 1, 2, 3, 4, 5, 6]);
      assert.deepEqual(delivered(1), [0, 1, 2, 3]);
      assert.ok(invocations.every((i) => i.offsets.length <= mapping.batchSize));
      // A retried batch is the same batch again.
      const failed = invocations.filter((i) => i.failed).map((i) => i.offsets.join());
      assert.deepEqual(new Set(failed), new Set(['0,1,2']));

      const { event } = invocations[invocations.length - 1] as Invocation;
      assert.equal(event.eventSource, 'aws:kafka');
      assert.match(event.eventSourceArn ?? '', /^arn:aws:kafka:/);
      assert.equal(event.bootstrapServers, config.kafka.brokers.join(','));
      const [group, records] = Object.entries(event.records)[0] ?? [];
      assert.match(group ?? '', new RegExp(`^${topic}-[01]$`));
      const record = records?.[0];
      assert.ok(record);
      assert.equal(record.topic, topic);
      assert.equal(record.timestampType, 'CREATE_TIME');
      assert.match(Buffer.from(record.value ?? '', 'base64').toString(), /^p[01]-m\d$/);
      assert.equal(Buffer.from(record.key ?? '', 'base64').toString(), `k${record.partition}`);
      assert.deepEqual(record.headers, [{ trace: [...Buffer.from(`t${record.offset}`)] }]);
    } finally {
      await emulator.stop();
    }
  });

  it('delivers only the event types its filter lets through, and commits past the others', async () => {
    const filtered = uniqueName('it_event_filter');
    await ensureTopics(kafka, [{ topic: filtered, partitions: 1 }]);
    const record = (value: string, type?: string) => ({
      key: 'k',
      value,
      ...(type ? { headers: { [EVENT_TYPE_HEADER]: type } } : {}),
    });
    await producer.send({
      topic: filtered,
      messages: [
        record('a', 'OrderPlaced'),
        record('b', 'OrderConfirmed'),
        record('c'),
        record('d', 'OrderCancelled'),
        record('e', 'OrderConfirmed'),
      ],
    });
    const { invoker, invocations } = recordingInvoker({ failing: false });
    const group = uniqueName('it_group_filter');
    const emulator = new KafkaEventSourceEmulator({
      kafka,
      mappings: [
        {
          ...mapping,
          topic: filtered,
          consumerGroupId: group,
          batchSize: 100,
          eventTypes: ['OrderPlaced', 'OrderCancelled'],
        },
      ],
      invoker,
      logger: testLogger(),
      bootstrapServers: config.kafka.brokers.join(','),
    });
    await emulator.start();
    try {
      // The last record is filtered out, and still committed.
      await until(async () => {
        const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [filtered] });
        return Number(offsets?.partitions[0]?.offset) === 5;
      }, 'the commit past the last record');
      const values = invocations.flatMap((i) =>
        Object.values(i.event.records)
          .flat()
          .map((r) => Buffer.from(r.value ?? '', 'base64').toString()),
      );
      // The record without a type header is delivered: the function decides what it is.
      assert.deepEqual(values, ['a', 'c', 'd']);
    } finally {
      await emulator.stop();
    }
  });

  it('resumes from the committed offsets after a restart', async () => {
    await produce(0, 7, 2);
    const { invoker, invocations } = recordingInvoker({ failing: false });
    const emulator = new KafkaEventSourceEmulator({
      kafka,
      mappings: [mapping],
      invoker,
      logger: testLogger(),
      bootstrapServers: config.kafka.brokers.join(','),
    });
    await emulator.start();
    try {
      await until(() => invocations.flatMap((i) => i.offsets).length >= 2, 'the new records');
      await until(async () => (await committed())[0] === 9, 'the commit');
      assert.deepEqual(
        invocations.flatMap((i) => i.offsets),
        [7, 8],
      );
    } finally {
      await emulator.stop();
    }
  });

  it('keeps fetching the other partitions while one fails, then sends the failing record to the dead-letter topic and goes on', async () => {
    const group = uniqueName('it_group_bounded');
    const bounded: EventSourceMapping = {
      ...mapping,
      consumerGroupId: group,
      batchSize: 4,
      onError: {
        maxRetryAttempts: 3,
        maxRecordAgeSeconds: -1,
        bisectOnError: true,
        onFailureTopic: `${topic}.dlq`,
      },
    };
    const [before] = await admin
      .fetchTopicOffsets(topic)
      .then((all) => all.filter((p) => p.partition === 0).map((p) => Number(p.high)));
    const poison = (before ?? 0) + 2; // the third record produced below
    const invocations: Invocation[] = [];
    const invoker: Invoker = {
      async invoke(_name, event) {
        const records = Object.values(event.records).flat();
        const partition = records[0]?.partition ?? -1;
        const failed = records.some((r) => r.partition === 0 && r.offset === poison);
        invocations.push({ partition, offsets: records.map((r) => r.offset), event, failed });
        if (failed) throw new Error('this record always fails');
        return null;
      },
    };
    const emulator = new KafkaEventSourceEmulator({
      kafka,
      mappings: [bounded],
      invoker,
      logger: testLogger(),
      bootstrapServers: config.kafka.brokers.join(','),
      maxRetryDelayMs: 400,
    });
    const deadLetters: { offset: string; reason: string; source: string }[] = [];
    const dlqConsumer = kafka.consumer({ groupId: uniqueName('it_dlq_reader') });
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: `${topic}.dlq`, fromBeginning: true });
    await dlqConsumer.run({
      eachMessage: async ({ message }) => {
        const source = message.headers?.[DEAD_LETTER_HEADERS.source]?.toString() ?? '';
        if (!source.startsWith(`${topic}/0/`)) return;
        deadLetters.push({
          offset: source.split('/')[2] ?? '',
          reason: message.headers?.[DEAD_LETTER_HEADERS.reason]?.toString() ?? '',
          source,
        });
      },
    });
    await emulator.start();
    try {
      await produce(0, 100, 6);
      const delivered = (partition: number) =>
        invocations.filter((i) => i.partition === partition && !i.failed).flatMap((i) => i.offsets);
      await until(() => invocations.filter((i) => i.failed).length >= 2, 'partition 0 failing');
      // Produced while partition 0 is failing: a blocked fetch loop would never deliver these.
      const partitionOneBefore = delivered(1).length;
      await produce(1, 100, 3);
      await until(() => delivered(1).length >= partitionOneBefore + 3, 'partition 1 meanwhile');
      assert.equal(deadLetters.length, 0, 'still retrying when partition 1 went on');

      await until(() => deadLetters.length === 1, 'the dead letter', 30_000);
      await until(() => delivered(0).includes(poison + 3), 'partition 0 after the poison record');
      assert.deepEqual(deadLetters[0], {
        offset: String(poison),
        reason: 'RETRIES_EXHAUSTED',
        source: `${topic}/0/${poison}`,
      });
      // Split down to the one record: its neighbours were delivered, it alone was set aside.
      const ok = new Set(delivered(0));
      for (const offset of [poison - 2, poison - 1, poison + 1, poison + 2, poison + 3]) {
        assert.ok(ok.has(offset), `offset ${offset} delivered`);
      }
      assert.ok(!ok.has(poison));
      const alone = invocations.filter((i) => i.offsets.join() === String(poison));
      assert.equal(alone.length, 1 + 3, 'the first attempt of the record alone and 3 retries');
      await until(async () => {
        const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
        const zero = offsets?.partitions.find((p) => p.partition === 0);
        return Number(zero?.offset) === poison + 4;
      }, 'partition 0 committed past the poison record');
    } finally {
      await emulator.stop();
      await dlqConsumer.disconnect();
    }
  });
});
