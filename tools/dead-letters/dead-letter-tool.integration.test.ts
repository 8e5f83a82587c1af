import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kafka, Producer } from 'kafkajs';
import { EventTopics } from '../../shared/events/topics.js';
import { createKafka, createProducer, ensureTopics } from '../../shared/kafka/kafka-client.js';
import { sendDeadLetters } from '../../shared/kafka-function/dead-letters.js';
import { EventRecorder } from '../../test-support/event-recorder.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { readDeadLetters, replayDeadLetters } from './dead-letter-tool.js';

describe('dead-letter tool (real Kafka)', () => {
  const topics = new EventTopics(`${uniqueName('it_dlq')}.`);
  const topic = topics.of('orders');
  const dlq = topics.deadLetterOf(topic);
  let kafka: Kafka;
  let producer: Producer;

  before(async () => {
    kafka = createKafka(integrationConfig().kafka, { logger: testLogger() });
    await ensureTopics(kafka, topics.specs(2));
    producer = await createProducer(kafka);
  });

  after(async () => {
    await producer?.disconnect();
  });

  it('lists dead letters with their reasons and produces them again to their topic', async () => {
    const record = (offset: number, value: string) => ({
      topic,
      partition: 1,
      offset,
      timestamp: 0,
      timestampType: 'CREATE_TIME' as const,
      key: Buffer.from('order-1').toString('base64'),
      value: Buffer.from(value).toString('base64'),
      headers: [{ trace: [...Buffer.from(`t${offset}`)] }],
    });
    await sendDeadLetters(producer, 'order-saga', [
      {
        record: record(7, '{"broken'),
        reason: 'INVALID_JSON',
        detail: 'Unexpected end of JSON input',
      },
      {
        record: record(8, '{"type":"Nope"}'),
        reason: 'SCHEMA_INVALID',
        detail: '/id: Required property',
      },
    ]);

    const letters = await readDeadLetters(kafka, dlq);
    assert.deepEqual(
      letters.map((l) => [l.reason, l.source, l.consumer, l.value?.toString()]),
      [
        ['INVALID_JSON', `${topic}/1/7`, 'order-saga', '{"broken'],
        ['SCHEMA_INVALID', `${topic}/1/8`, 'order-saga', '{"type":"Nope"}'],
      ],
    );
    assert.equal(letters[0]?.headers.trace?.toString(), 't7');
    assert.equal(letters[0]?.headers['orderly-dlq-reason'], undefined, 'only the original headers');

    const recorder = await EventRecorder.start(kafka, [topic]);
    try {
      assert.equal(await replayDeadLetters(kafka, letters.slice(1), dlq), 1);
      await recorder.waitFor((messages) => messages.length === 1);
      const [replayed] = recorder.messages;
      assert.equal(replayed?.value?.toString(), '{"type":"Nope"}');
      assert.equal(replayed?.key, 'order-1');
      assert.equal(
        replayed?.headers['orderly-replayed-from']?.toString(),
        `${dlq}/${letters[1]?.offset}`,
      );
      assert.equal(replayed?.headers.trace?.toString(), 't8');
    } finally {
      await recorder.stop();
    }
    assert.equal((await readDeadLetters(kafka, dlq)).length, 2, 'reading moves nothing');
  });
});
