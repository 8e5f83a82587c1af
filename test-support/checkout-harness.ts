import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { type Db, ObjectId } from 'mongodb';
import { CartStore } from '../functions/carts/cart-store.js';
import { ProductStore } from '../functions/catalog/product-store.js';
import { NOTIFICATION_INDEXES } from '../functions/notifications/port.js';
import { buildApp as buildOrdersApp } from '../functions/orders/app.js';
import type { OrderDoc } from '../functions/orders/order-document.js';
import { FUNCTION_INDEXES } from '../localstack/platform/function-apps.js';
import {
  startWorkflowPlatform,
  type WorkflowPlatform,
  type WorkflowPlatformOptions,
} from '../localstack/platform/workflow-platform.js';
import type { AuthConfig } from '../shared/auth/auth-config.js';
import type { RuntimeConfig } from '../shared/config/config.js';
import type { DomainEvent } from '../shared/events/envelope.js';
import { connectEventBus, type EventBus } from '../shared/events/event-bus.js';
import type { OrderStatus } from '../shared/events/event-schemas.js';
import type { HttpApp } from '../shared/http/http-app.js';
import { createKafka, deleteTopics } from '../shared/kafka/kafka-client.js';
import type { BatchSummary } from '../shared/kafka-function/kafka-event-handler.js';
import {
  buildKafkaLambdaEvent,
  type LambdaKafkaEvent,
} from '../shared/kafka-function/lambda-kafka-event.js';
import { connectMongo, type MongoConnection } from '../shared/mongo/mongo-client.js';
import { EventRecorder } from './event-recorder.js';
import { integrationConfig, testLogger, uniqueName } from './integration-env.js';

const AUTH: AuthConfig = {
  jwtSecret: 'checkout-harness-secret-that-is-long-enough',
  issuer: 'orderly',
  audience: 'orderly-api',
  tokenTtlSeconds: 3_600,
};

export const SHIPPING_ADDRESS = {
  name: 'Grace Hopper',
  line1: '1 Navy Yard',
  city: 'Arlington',
  postalCode: '22202',
  country: 'US',
};

/**
 * A whole checkout path on real servers, for tests and benchmarks: its own database and topic
 * prefix, the workflow platform, and the orders function (through `inject`) to place orders.
 */
export class CheckoutHarness {
  private offset = 0;

  private constructor(
    readonly mongo: MongoConnection,
    readonly platform: WorkflowPlatform,
    readonly orders: HttpApp,
    readonly bus: EventBus,
    readonly kafka: Kafka,
    readonly recorder: EventRecorder,
    /** The topics are this harness's own (it made up their prefix), so it deletes them. */
    private readonly ownsTopics: boolean,
  ) {}

  static async start(
    options: Partial<
      Pick<
        WorkflowPlatformOptions,
        | 'reservationTtlSeconds'
        | 'logger'
        | 'withoutEmulator'
        | 'withoutBackgroundJobs'
        | 'invoker'
        | 'inventoryAddress'
        | 'topicPrefix'
        | 'repairAfterSeconds'
        | 'eventSourceErrorHandling'
      >
    > & {
      /** The database to use (default: a new one). */
      dbName?: string;
      /** false: the orders function leaves its events to the outbox relay. */
      ordersPublishImmediately?: boolean;
      /** The topics the recorder reads (default: every topic); a benchmark reads fewer. */
      recordedTopics?: (topics: WorkflowPlatform['topics']) => string[];
    } = {},
  ): Promise<CheckoutHarness> {
    const { kafka, mongo: mongoConfig } = integrationConfig();
    const logger = options.logger ?? testLogger();
    const runtime: RuntimeConfig = { nodeEnv: 'test', logLevel: 'error' };
    const mongoSettings = { ...mongoConfig, dbName: options.dbName ?? uniqueName('it_checkout') };
    const topicPrefix = options.topicPrefix ?? `${uniqueName('it')}.`;
    const mongo = await connectMongo(mongoSettings, {
      logger,
      indexes: [...FUNCTION_INDEXES, ...NOTIFICATION_INDEXES],
    });
    const platform = await startWorkflowPlatform({
      runtime,
      kafka,
      mongo: mongoSettings,
      logger,
      topicPrefix,
      reservationTtlSeconds: options.reservationTtlSeconds ?? 120,
      backgroundIdleMs: 100,
      ...(options.withoutEmulator ? { withoutEmulator: true } : {}),
      ...(options.withoutBackgroundJobs ? { withoutBackgroundJobs: true } : {}),
      ...(options.invoker ? { invoker: options.invoker } : {}),
      ...(options.inventoryAddress ? { inventoryAddress: options.inventoryAddress } : {}),
      ...(options.repairAfterSeconds ? { repairAfterSeconds: options.repairAfterSeconds } : {}),
      ...(options.eventSourceErrorHandling
        ? { eventSourceErrorHandling: options.eventSourceErrorHandling }
        : {}),
    });
    const bus = await connectEventBus(kafka, { topicPrefix }, logger);
    const orders = await buildOrdersApp({
      logger,
      db: mongo.db,
      auth: AUTH,
      ...(options.ordersPublishImmediately === false ? {} : { publisher: bus.publisher }),
    });
    await orders.ready();
    const client = createKafka({ ...kafka, clientId: 'orderly-test-harness' }, { logger });
    const recorder = await EventRecorder.start(
      client,
      options.recordedTopics?.(platform.topics) ?? platform.topics.specs().map((s) => s.topic),
    );
    return new CheckoutHarness(
      mongo,
      platform,
      orders,
      bus,
      client,
      recorder,
      options.topicPrefix === undefined,
    );
  }

  /**
   * Hands events straight to a function, as one Lambda Kafka batch (`SelfManagedKafka`). Events
   * of different topics form different groups of the batch, which are processed side by side.
   */
  async deliver(
    functionName: keyof WorkflowPlatform['handlers'],
    events: readonly DomainEvent[],
  ): Promise<BatchSummary> {
    const event = buildKafkaLambdaEvent(
      { eventSource: 'SelfManagedKafka', bootstrapServers: '127.0.0.1:9092' },
      events.map((domainEvent) => ({
        topic: this.platform.topics.forEvent(domainEvent.type),
        partition: 0,
        offset: this.offset++,
        timestamp: Date.now(),
        key: Buffer.from(domainEvent.subject),
        value: Buffer.from(JSON.stringify(domainEvent)),
      })),
    );
    return this.platform.handlers[functionName](event);
  }

  /**
   * Hands events to a function as the records of one partition, in this order, keyed by their
   * subject: how the events of several orders arrive when their keys hash to one partition.
   * Returns the batch too, to be delivered again.
   */
  async deliverInOnePartition(
    functionName: keyof WorkflowPlatform['handlers'],
    events: readonly DomainEvent[],
    topic = this.platform.topics.forEvent('OrderPlaced'),
  ): Promise<{ summary: BatchSummary; batch: LambdaKafkaEvent }> {
    const batch = buildKafkaLambdaEvent(
      { eventSource: 'SelfManagedKafka', bootstrapServers: '127.0.0.1:9092' },
      events.map((domainEvent) => ({
        topic,
        partition: 0,
        offset: this.offset++,
        timestamp: Date.now(),
        key: Buffer.from(domainEvent.subject),
        value: Buffer.from(JSON.stringify(domainEvent)),
      })),
    );
    return { summary: await this.platform.handlers[functionName](batch), batch };
  }

  /** Waits until the recorder saw an event of `type` about `subject`, and returns it. */
  async nextEvent<T extends DomainEvent['type']>(
    type: T,
    subject: string,
    timeoutMs = 15_000,
  ): Promise<Extract<DomainEvent, { type: T }>> {
    const find = () =>
      this.recorder.events(subject).find((event) => event.type === type) as
        | Extract<DomainEvent, { type: T }>
        | undefined;
    await this.recorder.waitFor(() => find() !== undefined, timeoutMs);
    return find() as Extract<DomainEvent, { type: T }>;
  }

  /** Waits until every emulated consumer group has committed everything on its topic. */
  async waitForConsumersIdle(timeoutMs = 20_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let lag = 0;
        for (const { groupId, topic } of this.platform.consumerGroups) {
          const ends = await admin.fetchTopicOffsets(topic);
          const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
          for (const end of ends) {
            const done = committed?.partitions.find((p) => p.partition === end.partition);
            const position =
              Number(done?.offset ?? -1) < 0 ? Number(end.low) : Number(done?.offset);
            lag += Number(end.high) - position;
          }
        }
        if (lag === 0) return;
        if (Date.now() > deadline) throw new Error(`consumers still ${lag} records behind`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await admin.disconnect();
    }
  }

  get db(): Db {
    return this.mongo.db;
  }

  tokenFor(userId: string): string {
    return this.orders.jwt.sign({ sub: userId, email: `${userId}@example.com`, role: 'CUSTOMER' });
  }

  /** A product in the catalog with `stock` available in inventory. */
  async addProduct(sku: string, priceCents: number, stock: number): Promise<void> {
    await new ProductStore(this.db).create({
      sku,
      name: `Product ${sku}`,
      description: '',
      category: 'test',
      currency: 'EUR',
      priceCents,
    });
    if (stock > 0) await this.inventory().restock(sku, stock);
  }

  /** Fills the user's cart and checks out through the orders function; returns the order id. */
  async checkout(
    userId: string,
    lines: Record<string, number>,
    paymentToken = 'tok_visa',
  ): Promise<string> {
    await this.fillCart(userId, lines);
    return this.placeOrder(userId, paymentToken);
  }

  /** Adds the lines to the user's cart, as the shopper's addToCart calls would. */
  async fillCart(userId: string, lines: Record<string, number>): Promise<void> {
    const carts = new CartStore(this.db);
    for (const [sku, quantity] of Object.entries(lines)) await carts.add(userId, sku, quantity);
  }

  /** Checks out the user's cart as it is through the orders function; returns the order id. */
  async placeOrder(userId: string, paymentToken = 'tok_visa'): Promise<string> {
    const response = await this.orders.inject({
      method: 'POST',
      url: '/orders',
      headers: { authorization: `Bearer ${this.tokenFor(userId)}` },
      payload: { idempotencyKey: randomUUID(), paymentToken, shippingAddress: SHIPPING_ADDRESS },
    });
    if (response.statusCode !== 201) {
      throw new Error(`checkout failed: ${response.statusCode} ${response.body}`);
    }
    return response.json().id;
  }

  async cancel(userId: string, orderId: string): Promise<number> {
    const response = await this.orders.inject({
      method: 'POST',
      url: `/orders/${orderId}/cancel`,
      headers: { authorization: `Bearer ${this.tokenFor(userId)}` },
    });
    return response.statusCode;
  }

  async order(orderId: string): Promise<OrderDoc> {
    const doc = await this.db
      .collection<OrderDoc>('orders')
      .findOne({ _id: new ObjectId(orderId) });
    if (!doc) throw new Error(`no order ${orderId}`);
    return doc;
  }

  /** Waits until the order is in one of `statuses` (and its outbox is empty). */
  async waitFor(
    orderId: string,
    statuses: readonly OrderStatus[],
    timeoutMs = 20_000,
  ): Promise<OrderDoc> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const doc = await this.order(orderId);
      if (statuses.includes(doc.status) && doc.outbox.length === 0) return doc;
      if (Date.now() > deadline) {
        throw new Error(
          `order ${orderId} is ${doc.status} with ${doc.outbox.length} unpublished events after ${timeoutMs} ms; wanted ${statuses.join('/')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** The inventory service of the platform (the harness always runs its own). */
  private inventory() {
    const inventory = this.platform.inventory;
    if (!inventory) throw new Error('the checkout harness needs the platform to run inventory');
    return inventory.service;
  }

  /** The units of a SKU (available, reserved, sold), without the level's version. */
  async stock(sku: string) {
    const [level] = await this.inventory().getStock([sku]);
    if (!level) throw new Error(`no stock level for ${sku}`);
    const { version: _version, ...units } = level;
    return units;
  }

  /**
   * Stops everything the harness started. Unless told to keep them (a test that starts the
   * platform again on the same data), its database and its topics go too: a broker that keeps
   * every run's topics (six partitions each) runs out of heap after a few hundred runs.
   */
  async stop(options: { dropDatabase?: boolean } = {}): Promise<void> {
    await this.recorder.stop();
    await this.orders.close();
    await this.platform.stop();
    await this.bus.close();
    if (options.dropDatabase !== false) {
      await this.db.dropDatabase().catch(() => undefined);
      if (this.ownsTopics) {
        const topics = this.platform.topics.specs().map((spec) => spec.topic);
        await deleteTopics(this.kafka, topics).catch(() => undefined);
      }
    }
    await this.mongo.close();
  }
}
