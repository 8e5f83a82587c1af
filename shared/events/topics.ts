import type { TopicSpec } from '../kafka/kafka-client.js';
import type { EventType } from './event-schemas.js';

/**
 * The aggregate topics: events of an order are keyed by its id, stock changes by SKU, catalog
 * events by product.
 */
export type Aggregate = 'orders' | 'inventory' | 'payments' | 'catalog';

export const AGGREGATES: readonly Aggregate[] = ['orders', 'inventory', 'payments', 'catalog'];

/** Which topic carries each event type. */
export const TOPIC_OF: Record<EventType, Aggregate> = {
  OrderPlaced: 'orders',
  OrderConfirmed: 'orders',
  OrderCancelled: 'orders',
  StockReserved: 'inventory',
  StockRejected: 'inventory',
  StockReleased: 'inventory',
  StockChanged: 'inventory',
  PaymentAuthorized: 'payments',
  PaymentDeclined: 'payments',
  PaymentRefunded: 'payments',
  ProductImageAdded: 'catalog',
  ProductImportRequested: 'catalog',
};

/** Partitions per topic: the unit of parallelism of every consumer group reading it. */
export const DEFAULT_PARTITIONS = 6;

/** The suffix of a topic's dead-letter twin. */
export const DEAD_LETTER_SUFFIX = '.dlq';

/**
 * Topic names, optionally prefixed (`staging.orders`), so several environments or test
 * runs can share one cluster.
 */
export class EventTopics {
  constructor(readonly prefix = '') {}

  of(aggregate: Aggregate): string {
    return `${this.prefix}${aggregate}`;
  }

  forEvent(type: EventType): string {
    return this.of(TOPIC_OF[type]);
  }

  deadLetterOf(topic: string): string {
    return `${topic}${DEAD_LETTER_SUFFIX}`;
  }

  /** Every topic and its dead-letter twin, for `ensureTopics`. */
  specs(partitions = DEFAULT_PARTITIONS): TopicSpec[] {
    return AGGREGATES.flatMap((aggregate) => [
      { topic: this.of(aggregate), partitions },
      { topic: this.deadLetterOf(this.of(aggregate)), partitions: 1 },
    ]);
  }
}
