import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { createKafka, createProducer, ensureTopics } from '../../shared/kafka/kafka-client.js';
import type { KafkaLambdaEvent } from '../../shared/kafka-lambda/kafka-lambda-event.js';
import { integrationConfig, testLogger, uniqueName } from '../../shared/testing/integration-env.js';
import type { EventSourceMapping } from './event-source-mappings.js';
import type { Invoker } from './invokers.js';
import { KafkaEventSourceEmulator } from './kafka-event-source-emulator.js';

interface Invocation {
  partition: number;
  offsets: number[];
  event: KafkaLambdaEvent;
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
  };
  let kafka: Kafka;
  let producer: Producer;
  let admin: Admin;

  before(async () => {
    kafka = createKafka(config.kafka, { logger: testLogger() });
    await ensureTopics(kafka, [{ topic, partitions: 2 }]);
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
});
