import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectEventBusInBackground } from '../../shared/events/event-bus.js';
import type { HttpApp } from '../../shared/http/http-app.js';
import { connectMongo, type MongoConnection } from '../../shared/mongo/mongo-client.js';
import { freePort } from '../../test-support/eventually.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { CartStore } from '../carts/cart-store.js';
import { CATALOG_INDEXES, ProductStore } from '../catalog/product-store.js';
import { buildApp } from './app.js';
import { ORDER_INDEXES } from './order-store.js';

/** Kafka down must not fail or hold a checkout: the order waits in the outbox for the relay. */
describe('checkout while Kafka is unreachable (real MongoDB)', () => {
  let mongo: MongoConnection;
  let app: HttpApp;
  let bus: ReturnType<typeof connectEventBusInBackground>;

  before(async () => {
    mongo = await connectMongo(
      { ...integrationConfig().mongo, dbName: uniqueName('it_orders_nokafka') },
      { logger: testLogger(), indexes: [...CATALOG_INDEXES, ...ORDER_INDEXES] },
    );
    await new ProductStore(mongo.db).create({
      sku: 'NOKAFKA',
      name: 'Lamp',
      description: '',
      category: 'test',
      currency: 'EUR',
      priceCents: 3000,
    });
    const deadBroker = `127.0.0.1:${await freePort()}`;
    bus = connectEventBusInBackground(
      { brokers: [deadBroker], clientId: 'orders-test' },
      { topicPrefix: '' },
      testLogger(),
    );
    app = await buildApp({
      logger: testLogger(),
      db: mongo.db,
      auth: {
        jwtSecret: 'no-kafka-test-secret-that-is-long-enough',
        issuer: 'orderly',
        audience: 'orderly-api',
        tokenTtlSeconds: 600,
      },
      publisher: bus.publisher,
    });
    await app.ready();
  });

  after(async () => {
    await app.close();
    await bus.close();
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  it('places the order and keeps OrderPlaced in the outbox', async () => {
    await new CartStore(mongo.db).add('kim', 'NOKAFKA', 1);
    const started = Date.now();
    const response = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: {
        authorization: `Bearer ${app.jwt.sign({ sub: 'kim', email: 'kim@example.com', role: 'CUSTOMER' })}`,
      },
      payload: {
        idempotencyKey: 'kim-no-kafka-1',
        paymentToken: 'tok_visa',
        shippingAddress: {
          name: 'Kim',
          line1: '1 Main St',
          city: 'Springfield',
          postalCode: '12345',
          country: 'US',
        },
      },
    });
    assert.equal(response.statusCode, 201);
    assert.ok(Date.now() - started < 10_000, 'the request gave up on Kafka instead of hanging');
    const stored = await mongo.db.collection('orders').findOne({ userId: 'kim' });
    assert.deepEqual(
      stored?.outbox.map((event: { type: string }) => event.type),
      ['OrderPlaced'],
    );
    // Checkout leases a published OrderPlaced from the relay until the saga removes it; one
    // that did not go out is the relay's at once.
    assert.equal(stored?.outboxLeaseUntil, null, 'handed to the relay, not left for 30 s');
  });
});
