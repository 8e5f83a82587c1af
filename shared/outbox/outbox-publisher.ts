import type { Producer } from 'kafkajs';
import type { DomainEvent } from '../events/envelope.js';
import { publishEvents } from '../events/event-producer.js';
import type { EventTopics } from '../events/topics.js';
import type { Logger } from '../logger/logger.js';
import { type OutboxStore, pullPublished } from './outbox.js';

/**
 * Publishes a document's outbox right after the write that filled it, so an event reaches
 * Kafka in milliseconds rather than at the relay's next pass. The publish comes first and
 * the removal from the outbox second: a crash between them publishes the event again later
 * (consumers ignore repeats), never loses it.
 */
export class OutboxPublisher {
  private readonly logger: Logger;

  constructor(
    private readonly producer: Producer,
    private readonly topics: EventTopics,
    logger: Logger,
  ) {
    this.logger = logger.child({ component: 'outbox-publisher' });
  }

  /** Publishes the given pending events of one document and removes them from its outbox. */
  async publish(
    collection: OutboxStore,
    id: unknown,
    events: readonly DomainEvent[],
  ): Promise<void> {
    if (events.length === 0) return;
    await publishEvents(this.producer, this.topics, events);
    await collection.updateOne({ _id: id }, pullPublished(events.map((event) => event.id)));
  }

  /**
   * `publish`, but a failure, or a broker slower than `timeoutMs`, is only logged: the
   * caller's write is durable and the relay will publish the events. For request paths that
   * must neither fail nor hang once the write is done.
   */
  async publishOrLeave(
    collection: OutboxStore,
    id: unknown,
    events: readonly DomainEvent[],
    timeoutMs = 2_000,
  ): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([this.publish(collection, id, events), timeout]);
      if (outcome === 'timeout') {
        this.logger.warn(
          { id: String(id), events: events.length, timeoutMs },
          'Kafka is slow; the outbox relay will publish these events if this send does not',
        );
      }
    } catch (err) {
      this.logger.warn(
        { err, id: String(id), events: events.length },
        'publishing right away failed; the outbox relay will publish these events',
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
