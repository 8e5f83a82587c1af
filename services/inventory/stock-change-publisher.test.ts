import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Producer } from 'kafkajs';
import { testLogger } from '../../test-support/integration-env.js';
import type { StockLevel } from './domain/model.js';
import { latestPerKey, StockChangePublisher } from './stock-change-publisher.js';

const level = (sku: string, available: number, version: number): StockLevel => ({
  sku,
  available,
  reserved: 0,
  sold: 0,
  version,
});

describe('StockChangePublisher', () => {
  it('keeps the last message of each key, in the order the keys first came', () => {
    const messages = [
      { key: 'A', value: '1' },
      { key: 'B', value: '2' },
      { key: 'A', value: '3' },
    ];
    assert.deepEqual(latestPerKey(messages), [
      { key: 'A', value: '3' },
      { key: 'B', value: '2' },
    ]);
  });

  it('sends what queued up during a send as one record per SKU, the latest level', async () => {
    const sends: { sku: string; available: number }[][] = [];
    let release: () => void = () => undefined;
    let first = true;
    // A producer whose first send waits, as a broker round trip does, while more changes come.
    const producer = {
      send: async ({ messages }: { messages: { value: string }[] }) => {
        sends.push(
          messages.map((m) => {
            const event = JSON.parse(m.value);
            return { sku: event.data.sku, available: event.data.available };
          }),
        );
        if (first) {
          first = false;
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        }
        return [];
      },
    } as unknown as Producer;
    const publisher = new StockChangePublisher(producer, 'inventory', testLogger());
    publisher.enqueue(level('HOT', 10, 1), 'reserve');
    for (let i = 9; i >= 5; i -= 1) publisher.enqueue(level('HOT', i, 11 - i), 'reserve');
    publisher.enqueue(level('COLD', 3, 1), 'restock');
    release();
    await publisher.close();
    assert.deepEqual(sends, [
      [{ sku: 'HOT', available: 10 }],
      [
        { sku: 'HOT', available: 5 },
        { sku: 'COLD', available: 3 },
      ],
    ]);
  });
});
