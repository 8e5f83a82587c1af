import type { Producer, TopicMessages } from 'kafkajs';
import { GroupCommit } from '../async/group-commit.js';
import { eventMessages, mergeTopicMessages } from '../events/event-producer.js';
import type { EventTopics } from '../events/topics.js';
import type { Logger } from '../logger/logger.js';
import { startPublishSpan } from '../telemetry/kafka-tracing.js';
import { recordFailure } from '../telemetry/trace-context.js';
import {
  type OutboxDocument,
  type OutboxEvent,
  type OutboxStore,
  pullPublished,
} from './outbox.js';

/**
 * Publishes a document's outbox right after the write that filled it, so an event reaches
 * Kafka in milliseconds rather than at the relay's next pass. The publish comes first and
 * the removal from the outbox second: a crash between them publishes the event again later
 * (consumers ignore repeats), never loses it.
 *
 * Both steps are group commits (shared/async/group-commit.ts): the publishes of every
 * document being written at the same moment (the orders of one Kafka batch, worked on side
 * by side) go to Kafka as one request, and their removals from the outboxes as one bulk
 * write per collection. The idempotent producer sends one request at a time, so without this
 * every publish of the process would wait for the one before it.
 */
export class OutboxPublisher {
  private readonly logger: Logger;
  private readonly sends: GroupCommit<TopicMessages[]>;
  private readonly removals = new GroupCommit<Removal>(removePublished);

  constructor(
    private readonly producer: Producer,
    private readonly topics: EventTopics,
    logger: Logger,
  ) {
    this.logger = logger.child({ component: 'outbox-publisher' });
    this.sends = new GroupCommit((batches) =>
      this.producer
        .sendBatch({ acks: -1, topicMessages: mergeTopicMessages(batches) })
        .then(() => undefined),
    );
  }

  /**
   * Publishes the given pending events of one document and removes them from its outbox.
   * Each publish is a span in the trace of the step that caused the event. With `remove:
   * false` the events stay where they are: they were never stored (an announcement the
   * document can build again), or a later write of the document removes them (see
   * `PublishOptions`).
   */
  async publish(
    collection: OutboxStore,
    id: OutboxDocument['_id'],
    events: readonly OutboxEvent[],
    { remove = true }: PublishOptions = {},
  ): Promise<void> {
    if (events.length === 0) return;
    const spans = events.map((event) => startPublishSpan(event, this.topics.forEvent(event.type)));
    try {
      await this.sends.submit(
        eventMessages(
          this.topics,
          events,
          spans.map((published) => published?.headers),
        ),
      );
      if (remove) {
        await this.removals.submit({ collection, id, eventIds: events.map((event) => event.id) });
      }
    } catch (err) {
      for (const published of spans) if (published) recordFailure(published.span, err);
      throw err;
    } finally {
      for (const published of spans) published?.span.end();
    }
  }

  /**
   * `publish`, but a failure, or a broker slower than `timeoutMs`, is only logged: the
   * caller's write is durable and the relay will publish the events. For request paths that
   * must neither fail nor hang once the write is done. Answers whether the events went out.
   */
  async publishOrLeave(
    collection: OutboxStore,
    id: OutboxDocument['_id'],
    events: readonly OutboxEvent[],
    { remove = true, timeoutMs = 2_000 }: PublishOptions & { timeoutMs?: number } = {},
  ): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([
        this.publish(collection, id, events, { remove }),
        timeout,
      ]);
      if (outcome !== 'timeout') return true;
      this.logger.warn(
        { id: String(id), events: events.length, timeoutMs },
        'Kafka is slow; the outbox relay will publish these events if this send does not',
      );
      return false;
    } catch (err) {
      this.logger.warn(
        { err, id: String(id), events: events.length },
        'publishing right away failed; the outbox relay will publish these events',
      );
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}

export interface PublishOptions {
  /**
   * Whether the publish removes the events from the document's outbox (the default). An
   * event whose consumer's own write of the document removes it (the order's OrderPlaced,
   * removed by the saga's first move) is left: one write fewer per event.
   */
  remove?: boolean;
}

interface Removal {
  collection: OutboxStore;
  id: OutboxDocument['_id'];
  eventIds: string[];
}

/** Removes published events from their documents' outboxes: one bulk write per collection. */
async function removePublished(removals: readonly Removal[]): Promise<void> {
  const byCollection = new Map<OutboxStore, Removal[]>();
  for (const removal of removals) {
    const same = byCollection.get(removal.collection) ?? [];
    same.push(removal);
    byCollection.set(removal.collection, same);
  }
  await Promise.all(
    [...byCollection].map(([collection, same]) =>
      collection.bulkWrite(
        same.map(({ id, eventIds }) => ({
          updateOne: { filter: { _id: id }, update: pullPublished(eventIds) },
        })),
        { ordered: false },
      ),
    ),
  );
}
