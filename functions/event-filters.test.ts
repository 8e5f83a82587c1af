import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  readEventSourceMappings,
  SERVERLESS_YML,
} from '../localstack/kafka-event-source/event-source-mappings.js';
import { TOPIC_OF } from '../shared/events/topics.js';
import { CATALOG_EVENTS } from './catalog/handler.js';
import { MEDIA_EVENTS } from './media/handler.js';
import { NOTIFICATION_EVENTS } from './notifications/notifications.js';
import { SAGA_EVENTS } from './order-saga/order-saga.js';

/** What each Kafka-triggered function handles, as its code says. */
const HANDLED: Record<string, readonly string[]> = {
  'order-saga': SAGA_EVENTS,
  notifications: NOTIFICATION_EVENTS,
  'catalog-events': CATALOG_EVENTS,
  media: MEDIA_EVENTS,
};

describe('Kafka filter criteria (serverless.yml) against the functions', () => {
  const mappings = readEventSourceMappings(SERVERLESS_YML);

  it('lets through, on each topic, exactly the events of that topic the function handles', () => {
    for (const mapping of mappings) {
      const handled = HANDLED[mapping.functionName];
      assert.ok(handled, `${mapping.functionName} declares the events it handles`);
      const expected = handled.filter(
        (type) => TOPIC_OF[type as keyof typeof TOPIC_OF] === mapping.topic,
      );
      assert.deepEqual(
        [...(mapping.eventTypes ?? [])].sort(),
        [...expected].sort(),
        `${mapping.functionName} on ${mapping.topic}`,
      );
    }
  });

  it('has a mapping for every event a function handles', () => {
    for (const [name, handled] of Object.entries(HANDLED)) {
      const through = mappings
        .filter((mapping) => mapping.functionName === name)
        .flatMap((mapping) => mapping.eventTypes ?? []);
      assert.deepEqual([...through].sort(), [...handled].sort(), name);
    }
  });
});
