import type { Consumer, IHeaders, Kafka } from 'kafkajs';
import { decodeEvent } from '../shared/events/decode-event.js';
import type { DomainEvent } from '../shared/events/envelope.js';

export interface RecordedMessage {
  topic: string;
  partition: number;
  offset: string;
  /** The record's CREATE_TIME: when its producer sent it (ms since the epoch). */
  timestamp: number;
  key: string | null;
  value: Buffer | null;
  headers: IHeaders;
  /** The decoded event, when the value is one. */
  event: DomainEvent | null;
}

/**
 * Reads topics from the beginning in its own consumer group and keeps every message, so a
 * test can wait for the events it expects and inspect dead letters.
 */
export class EventRecorder {
  readonly messages: RecordedMessage[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(kafka: Kafka, topics: readonly string[]): Promise<EventRecorder> {
    const consumer = kafka.consumer({
      groupId: `recorder-${Math.random().toString(36).slice(2)}`,
      maxWaitTimeInMs: 100,
    });
    const recorder = new EventRecorder(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const decoded = message.value ? decodeEvent(message.value.toString('utf8')) : null;
        recorder.messages.push({
          topic,
          partition,
          offset: message.offset,
          timestamp: Number(message.timestamp),
          key: message.key?.toString('utf8') ?? null,
          value: message.value,
          headers: message.headers ?? {},
          event: decoded?.ok ? decoded.event : null,
        });
      },
    });
    return recorder;
  }

  events(subject?: string): DomainEvent[] {
    return this.messages
      .map((message) => message.event)
      .filter(
        (event): event is DomainEvent => event !== null && (!subject || event.subject === subject),
      );
  }

  /** Waits until `predicate` holds for the recorded messages. */
  async waitFor(
    predicate: (messages: readonly RecordedMessage[]) => boolean,
    timeoutMs = 15_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (Date.now() > deadline) {
        throw new Error(
          `recorder: condition not met within ${timeoutMs} ms (${this.messages.length} messages)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}
