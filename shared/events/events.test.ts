import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeEvent } from './decode-event.js';
import { derivedEventId, newEvent } from './envelope.js';
import { EventData } from './event-schemas.js';
import { EventTopics, TOPIC_OF } from './topics.js';

const fixturesDir = new URL('./fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, fixturesDir), 'utf8');

describe('event schemas and fixtures', () => {
  it('has one fixture per event type, and each one is valid', () => {
    const files = readdirSync(fixturesDir).filter((file) => file.endsWith('.json'));
    const types = files.map((file) => {
      const result = decodeEvent(fixture(file));
      assert.ok(result.ok, `${file}: ${result.ok ? '' : result.detail}`);
      return result.event.type;
    });
    assert.deepEqual(types.sort(), Object.keys(EventData).sort());
  });

  it('names the reason when a record cannot be decoded', () => {
    const placed = JSON.parse(fixture('order-placed.json'));
    const cases: [string, string][] = [
      ['{"id": ', 'INVALID_JSON'],
      ['[1, 2]', 'SCHEMA_INVALID'],
      [JSON.stringify({ ...placed, type: 'OrderShipped' }), 'UNKNOWN_TYPE'],
      [JSON.stringify({ ...placed, version: 2 }), 'UNSUPPORTED_VERSION'],
      [JSON.stringify({ ...placed, data: { ...placed.data, items: [] } }), 'SCHEMA_INVALID'],
      [JSON.stringify({ ...placed, time: 'yesterday' }), 'SCHEMA_INVALID'],
      [
        JSON.stringify({ ...placed, data: { ...placed.data, currency: { $ne: '' } } }),
        'SCHEMA_INVALID',
      ],
    ];
    for (const [json, reason] of cases) {
      const result = decodeEvent(json);
      assert.equal(result.ok, false, json);
      if (!result.ok) {
        assert.equal(result.reason, reason, json);
        assert.ok(result.detail.length > 0);
      }
    }
  });

  it('derives the same id for the same cause and type, and different ids otherwise', () => {
    const a = derivedEventId('cause-1', 'StockReserved');
    assert.equal(a, derivedEventId('cause-1', 'StockReserved'));
    assert.notEqual(a, derivedEventId('cause-2', 'StockReserved'));
    assert.notEqual(a, derivedEventId('cause-1', 'StockRejected'));
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('carries the correlation of the cause on to the events it causes', () => {
    const placed = JSON.parse(fixture('order-placed.json'));
    const confirmed = newEvent(
      'OrderConfirmed',
      { orderId: 'o1', userId: 'u1', totalCents: 100, currency: 'EUR' },
      { source: 'order-saga', subject: 'o1', causedBy: placed },
    );
    assert.equal(confirmed.causationId, placed.id);
    assert.equal(confirmed.correlationId, placed.correlationId);
    assert.equal(decodeEvent(JSON.stringify(confirmed)).ok, true);
  });

  it('routes every type to its aggregate topic, with a prefix and a dead-letter twin', () => {
    const topics = new EventTopics('staging.');
    assert.equal(topics.forEvent('OrderPlaced'), 'staging.orders');
    assert.equal(topics.forEvent('StockChanged'), 'staging.inventory');
    assert.equal(topics.deadLetterOf(topics.forEvent('PaymentDeclined')), 'staging.payments.dlq');
    assert.deepEqual(Object.keys(TOPIC_OF).sort(), Object.keys(EventData).sort());
    assert.equal(topics.forEvent('ProductImageAdded'), 'staging.catalog');
    assert.equal(topics.specs().length, 8);
  });
});
