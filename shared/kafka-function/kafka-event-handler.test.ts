import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Producer } from 'kafkajs';
import { testLogger } from '../../test-support/integration-env.js';
import type { DomainEvent } from '../events/envelope.js';
import {
  createKafkaEventHandler,
  type KafkaFunctionContext,
  RetryLaterError,
  UnprocessableEventError,
} from './kafka-event-handler.js';
import { buildKafkaLambdaEvent, type LambdaKafkaEvent } from './lambda-kafka-event.js';

const fixture = (name: string): LambdaKafkaEvent =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

type Batch = Parameters<Producer['sendBatch']>[0];

/** Records dead letters instead of producing them: this tests the handler's own logic. */
function recordingContext() {
  const sent: Batch[] = [];
  const context: KafkaFunctionContext = {
    producer: {
      sendBatch: async (batch: Batch) => {
        sent.push(batch);
        return [];
      },
    } as unknown as Producer,
    close: async () => undefined,
  };
  return { context, sent };
}

function handlerWith(
  handle: (event: DomainEvent) => Promise<void>,
  handles: readonly DomainEvent['type'][] = ['OrderPlaced'],
) {
  const { context, sent } = recordingContext();
  let starts = 0;
  const handler = createKafkaEventHandler({
    name: 'unit',
    logger: testLogger(),
    handles,
    start: async () => {
      starts += 1;
      return context;
    },
    handle: (event) => handle(event),
  });
  return { handler, sent, starts: () => starts };
}

describe('Kafka Lambda handler', () => {
  it('decodes both event source shapes and hands every record over', async () => {
    for (const name of ['aws-kafka-event.json', 'self-managed-kafka-event.json']) {
      const seen: string[] = [];
      const { handler, sent } = handlerWith(async (event) => {
        seen.push(event.type);
      });
      const event = fixture(name);
      const count = Object.values(event.records).flat().length;
      assert.deepEqual(await handler(event), { processed: count, deadLettered: 0 });
      assert.deepEqual(seen, Array(count).fill('OrderPlaced'));
      assert.equal(sent.length, 0);
    }
  });

  it('keeps offset order within a partition', async () => {
    const order: number[] = [];
    const { handler } = handlerWith(async (event) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      order.push((event.data as { totalCents: number }).totalCents);
    });
    const base = fixture('aws-kafka-event.json').records['orders-0']?.[0];
    assert.ok(base);
    const placed = JSON.parse(Buffer.from(base.value ?? '', 'base64').toString());
    const records = [1, 2, 3, 4, 5].map((n) => ({
      topic: 'orders',
      partition: 0,
      offset: n,
      timestamp: 0,
      key: null,
      value: Buffer.from(JSON.stringify({ ...placed, data: { ...placed.data, totalCents: n } })),
    }));
    await handler(
      buildKafkaLambdaEvent({ eventSource: 'SelfManagedKafka', bootstrapServers: 'x' }, records),
    );
    assert.deepEqual(order, [1, 2, 3, 4, 5]);
  });

  it('works on different orders of a partition at once, each order in offset order', async () => {
    const applied: string[] = [];
    let inFlight = 0;
    let most = 0;
    const { handler } = handlerWith(async (event) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      applied.push(`${event.subject}:${(event.data as { totalCents: number }).totalCents}`);
      inFlight -= 1;
    });
    const base = fixture('aws-kafka-event.json').records['orders-0']?.[0];
    assert.ok(base);
    const placed = JSON.parse(Buffer.from(base.value ?? '', 'base64').toString());
    // Two orders' events interleaved in one partition, as the keys hash them together.
    const records = ['A', 'B', 'A', 'B', 'A', 'B', 'A', 'B'].map((order, n) => ({
      topic: 'orders',
      partition: 0,
      offset: n,
      timestamp: 0,
      key: Buffer.from(order),
      value: Buffer.from(
        JSON.stringify({ ...placed, subject: order, data: { ...placed.data, totalCents: n } }),
      ),
    }));
    const summary = await handler(
      buildKafkaLambdaEvent({ eventSource: 'SelfManagedKafka', bootstrapServers: 'x' }, records),
    );
    assert.deepEqual(summary, { processed: 8, deadLettered: 0 });
    assert.equal(most, 2, 'the two orders were worked on at the same time');
    assert.deepEqual(
      applied.filter((a) => a.startsWith('A:')),
      ['A:0', 'A:2', 'A:4', 'A:6'],
    );
    assert.deepEqual(
      applied.filter((a) => a.startsWith('B:')),
      ['B:1', 'B:3', 'B:5', 'B:7'],
    );
  });

  it('passes by, undecoded, a record whose type header names a type it does not handle', async () => {
    const seen: string[] = [];
    const { handler, sent } = handlerWith(async (event) => {
      seen.push(event.subject);
    });
    const base = fixture('aws-kafka-event.json').records['orders-0']?.[0];
    assert.ok(base);
    const placed = JSON.parse(Buffer.from(base.value ?? '', 'base64').toString());
    const record = (
      offset: number,
      headers: Record<string, string> | undefined,
      value: string,
    ) => ({
      topic: 'orders',
      partition: 0,
      offset,
      timestamp: 0,
      key: Buffer.from(`k${offset}`),
      value: Buffer.from(value),
      ...(headers ? { headers } : {}),
    });
    const records = [
      record(
        1,
        { 'orderly-event-type': 'OrderPlaced' },
        JSON.stringify({ ...placed, subject: 'a' }),
      ),
      // Named another type: not decoded, so even bytes that are no event are no dead letter.
      record(2, { 'orderly-event-type': 'OrderConfirmed' }, 'not json at all'),
      // No header (an older producer, a hand-written record): decoded as ever.
      record(3, undefined, JSON.stringify({ ...placed, subject: 'c' })),
      record(4, undefined, 'not json either'),
    ];
    const summary = await handler(
      buildKafkaLambdaEvent({ eventSource: 'SelfManagedKafka', bootstrapServers: 'x' }, records),
    );
    assert.deepEqual(summary, { processed: 2, deadLettered: 1, skipped: 1 });
    assert.deepEqual(seen.sort(), ['a', 'c']);
    assert.equal(sent.length, 1, 'the headerless bad record is dead-lettered');
  });

  it('sets aside an unprocessable event with its original bytes and carries on', async () => {
    const { handler, sent } = handlerWith(async (event) => {
      if (event.subject === '6743a1f0c2b9e81d4f0a1b2c')
        throw new UnprocessableEventError('no such order');
    });
    const event = fixture('self-managed-kafka-event.json');
    assert.deepEqual(await handler(event), { processed: 0, deadLettered: 2 });
    const letters = sent.flatMap(
      (batch) =>
        batch.topicMessages?.flatMap((t) => t.messages.map((m) => ({ topic: t.topic, ...m }))) ??
        [],
    );
    assert.equal(letters.length, 2);
    const original = JSON.parse(
      Buffer.from(event.records['orders-0']?.[0]?.value ?? '', 'base64').toString(),
    );
    assert.equal(typeof original.data.paymentToken, 'string');
    // The original event, but for the shopper's payment token, which a dead letter never keeps.
    const kept = { ...original, data: { ...original.data, paymentToken: '[redacted]' } };
    for (const letter of letters) {
      assert.equal(letter.topic, 'orders.dlq');
      assert.deepEqual(JSON.parse(String(letter.value)), kept);
      assert.equal(letter.headers?.['orderly-dlq-reason'], 'UNPROCESSABLE');
      assert.equal(letter.headers?.['orderly-dlq-detail'], 'no such order');
      assert.equal(letter.headers?.['content-type'], 'application/json');
      assert.equal(letter.headers?.['orderly-dlq-consumer'], 'unit');
    }
  });

  it('fails the whole invocation on a transient error, so the batch is retried', async () => {
    const { handler, sent } = handlerWith(async () => {
      throw new RetryLaterError('not yet');
    });
    await assert.rejects(handler(fixture('aws-kafka-event.json')), RetryLaterError);
    assert.equal(sent.length, 0);
  });

  it('starts its clients once and again only after a failed start', async () => {
    let attempts = 0;
    const { context } = recordingContext();
    const handler = createKafkaEventHandler({
      name: 'unit',
      logger: testLogger(),
      handles: ['OrderPlaced'],
      start: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('database unavailable');
        return context;
      },
      handle: async () => undefined,
    });
    const event = fixture('aws-kafka-event.json');
    await assert.rejects(handler(event), /database unavailable/);
    await handler(event);
    await handler(event);
    assert.equal(attempts, 2);
  });
});
