import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { SpanKind } from '@opentelemetry/api';
import { type Db, MongoClient } from 'mongodb';
import { OrderStore } from '../../functions/orders/order-store.js';
import { type RunningInventory, startInventory } from '../../services/inventory/inventory-app.js';
import { loadConfig } from '../../shared/config/config.js';
import { createKafka } from '../../shared/kafka/kafka-client.js';
import { readTelemetryConfig } from '../../shared/telemetry/telemetry-config.js';
import { inSpan } from '../../shared/telemetry/trace-context.js';
import { flushTracing, startTracing, tracerFor } from '../../shared/telemetry/tracing.js';
import { eventually, freePort } from '../../test-support/eventually.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { dropBucket, uniqueBucket } from '../../test-support/media-bucket.js';
import {
  type SpanNode,
  tracesOfOrder,
  traceTree,
  type ZipkinSpan,
} from '../../tools/trace/zipkin-trace.js';
import { type RunningZipkin, zipkinUp } from '../infra/zipkin.js';
import { postGraphql } from './graphql-client.js';
import { type LocalPlatform, startLocalPlatform } from './local-platform.js';

const ADDRESS = {
  name: 'Ada',
  line1: '1 Row',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

/** The nodes of a tree, depth first. */
function allNodes(roots: readonly SpanNode[]): SpanNode[] {
  return roots.flatMap((root) => [root, ...allNodes(root.children)]);
}

const service = (span: ZipkinSpan) => span.localEndpoint?.serviceName ?? '';

/** Whether the spans hold a single tree: one root, every other span's parent present. */
function settled(spans: readonly ZipkinSpan[]): boolean {
  return traceTree(spans).length === 1;
}

/**
 * `ORDERLY_TRACING=zipkin npm start`'s platform (the same start code, embedded mode), with the
 * real Zipkin server, Kafka, mongod and inventory gRPC server: what a checkout leaves in the
 * trace viewer, read back through Zipkin's own API.
 */
describe('tracing: one trace per checkout, in Zipkin', () => {
  let zipkin: RunningZipkin;
  let platform: LocalPlatform;
  let inventory: RunningInventory | undefined;
  let startInventoryHere: () => Promise<RunningInventory>;
  let prefix: string;
  let mongoClient: MongoClient;
  let db: Db;

  const mediaBucket = uniqueBucket('it-tracing');

  before(async () => {
    zipkin = await zipkinUp(testLogger());
    const tracingEnv = {
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.spansUrl,
    };
    // On before anything in this process takes a tracer (the inventory below).
    await startTracing(loadConfig(readTelemetryConfig, tracingEnv));
    const { kafka, mongo } = integrationConfig();
    prefix = `${uniqueName('it')}.`;
    const dbName = uniqueName('it_tracing');
    mongoClient = await new MongoClient(mongo.uri).connect();
    db = mongoClient.db(dbName);
    const inventoryAddress = `127.0.0.1:${await freePort()}`;
    // This test's own inventory server, so it can take it away and bring it back.
    startInventoryHere = () =>
      startInventory(
        {
          runtime: { nodeEnv: 'test', logLevel: 'error' },
          mongo: { ...mongo, dbName },
          kafka,
          grpcAddress: inventoryAddress,
          stockTopic: `${prefix}inventory`,
          stockTopicPartitions: 6,
          defaultTtlSeconds: 900,
          pendingTimeoutMs: 30_000,
          sweepIntervalMs: 1_000,
          shutdownDrainMs: 0,
          shutdownGraceMs: 500,
        },
        testLogger(),
      );
    inventory = await startInventoryHere();
    platform = await startLocalPlatform({
      mode: 'embedded',
      env: {
        ...process.env,
        ...tracingEnv,
        ORDERLY_TRACING: 'zipkin',
        KAFKA_BROKERS: kafka.brokers.join(','),
        MONGODB_URI: mongo.uri,
        MONGODB_DB: dbName,
        KAFKA_TOPIC_PREFIX: prefix,
        INVENTORY_ADDR: inventoryAddress,
        PORT: `${await freePort()}`,
        LOG_LEVEL: 'error',
        MEDIA_BUCKET: mediaBucket,
      },
      loggerFor: () => testLogger(),
    });
  });

  after(async () => {
    await mongoClient?.close();
    await platform?.stop();
    await inventory?.stop();
    await zipkin?.stop();
    await dropBucket(process.env.AWS_ENDPOINT_URL ?? '', mediaBucket);
  });

  const ask = <T>(query: string, variables: object = {}, token?: string) =>
    postGraphql<T>(platform.graphqlUrl, query, variables, token);

  async function placeOrder(): Promise<{ id: string; token: string }> {
    const name = uniqueName('tracer');
    const registered = await ask<{ register: { token: string } }>(
      'mutation($input: RegisterInput!) { register(input: $input) { token } }',
      { input: { email: `${name}@example.com`, password: 'tracing-pass-1', name } },
    );
    const token = registered.data?.register.token;
    assert.ok(token, JSON.stringify(registered));
    const cart = await ask(
      'mutation($sku: String!) { addToCart(sku: $sku, quantity: 1) { subtotalCents } }',
      { sku: 'MUG-CLASSIC' },
      token,
    );
    assert.ok(cart.data, JSON.stringify(cart));
    const placed = await ask<{ checkout: { id: string } }>(
      'mutation Checkout($input: CheckoutInput!) { checkout(input: $input) { id } }',
      { input: { idempotencyKey: name, paymentToken: 'tok_visa', shippingAddress: ADDRESS } },
      token,
    );
    const id = placed.data?.checkout.id;
    assert.ok(id, JSON.stringify(placed));
    return { id, token };
  }

  async function waitForStatus(order: { id: string; token: string }, status: string) {
    await eventually(
      async () => {
        const answer = await ask<{ order: { status: string } }>(
          'query($id: ID!) { order(id: $id) { status } }',
          { id: order.id },
          order.token,
        );
        return answer.data?.order.status === status;
      },
      60_000,
      `order ${order.id} to be ${status}`,
    );
  }

  /** The order's one trace, once Zipkin holds the spans `complete` asks for. */
  async function traceOf(orderId: string, complete: (spans: ZipkinSpan[]) => boolean) {
    let traces: ZipkinSpan[][] = [];
    await eventually(
      async () => {
        await flushTracing();
        traces = await tracesOfOrder(zipkin.url, orderId);
        // Complete once it has what the test asks for and every span's parent has arrived
        // (a parent ends, and is exported, after its children).
        return traces.length > 0 && complete(traces.flat()) && settled(traces.flat());
      },
      30_000,
      `the trace of order ${orderId} in Zipkin`,
    );
    assert.equal(traces.length, 1, 'every span that names the order is in one trace');
    // Span names carry this test's topic prefix (`publish it-….orders`); Zipkin lowercases them.
    const topicPrefix = prefix.toLowerCase();
    return (traces[0] as ZipkinSpan[]).map((span) => ({
      ...span,
      ...(span.name ? { name: span.name.replace(topicPrefix, '') } : {}),
    }));
  }

  it('follows a checkout from the mutation to OrderConfirmed and the notification', async () => {
    const order = await placeOrder();
    await waitForStatus(order, 'CONFIRMED');
    const spans = await traceOf(order.id, (all) =>
      all.some((span) => service(span) === 'orderly-notifications'),
    );

    // One root, and every other span's parent is in the trace: the links held across
    // Kafka (twice through the emulator per hop) and gRPC.
    const roots = traceTree(spans);
    assert.equal(roots.length, 1, `one root span, got ${roots.map((r) => r.span.name).join(', ')}`);
    const root = roots[0]?.span;
    assert.equal(service(root as ZipkinSpan), 'orderly-gateway');
    assert.equal(root?.kind, 'SERVER');

    const named = (svc: string, name: string, kind?: ZipkinSpan['kind']) =>
      spans.filter(
        (span) =>
          service(span) === `orderly-${svc}` && span.name === name && (!kind || span.kind === kind),
      );
    const one = (svc: string, name: string, kind?: ZipkinSpan['kind']) =>
      assert.ok(named(svc, name, kind).length > 0, `a ${kind ?? ''} span ${svc}: ${name}`);
    one('gateway', 'graphql mutation checkout');
    one('gateway', 'post orders', 'CLIENT');
    one('orders', 'post /orders', 'SERVER');
    one('orders', 'insert orders', 'CLIENT');
    one('orders', 'publish orders', 'PRODUCER');
    one('kafka-event-source', 'receive orders', 'CONSUMER');
    one('order-saga', 'process orders', 'CONSUMER');
    one('order-saga', 'orderly.inventory.v1.inventoryservice/hold', 'CLIENT');
    one('inventory', 'orderly.inventory.v1.inventoryservice/hold', 'SERVER');
    one('inventory', 'findandmodify inventory_stock', 'CLIENT');
    // The payment is asked for within the saga's step (the test provider is the database).
    one('order-saga', 'findandmodify test_provider_charges', 'CLIENT');
    one('order-saga', 'orderly.inventory.v1.inventoryservice/commitheld', 'CLIENT');
    one('inventory', 'orderly.inventory.v1.inventoryservice/commitheld', 'SERVER');
    // The order's moves are guarded updates, grouped with other orders' moves under load.
    one('order-saga', 'update orders', 'CLIENT');
    one('notifications', 'process orders', 'CONSUMER');
    one('notifications', 'insert notifications', 'CLIENT');
    assert.ok(
      spans.some(
        (span) =>
          span.kind === 'PRODUCER' && span.tags?.['orderly.event.type'] === 'OrderConfirmed',
      ),
      'the OrderConfirmed publish is in the trace',
    );

    // Each hop over Kafka: publish → the event source's receive → the function's process.
    const byId = new Map(spans.map((span) => [span.id, span]));
    for (const node of allNodes(roots)) {
      const { span } = node;
      const parent = span.parentId ? byId.get(span.parentId) : undefined;
      if (span.name?.startsWith('receive ')) assert.equal(parent?.kind, 'PRODUCER', span.name);
      if (span.name?.startsWith('process '))
        assert.ok(parent?.name?.startsWith('receive '), span.name);
    }
    // The order id is on every span from the moment the order has one: all of the workflow's.
    const unnamed = spans.filter(
      (span) =>
        !['orderly-gateway', 'orderly-orders'].includes(service(span)) &&
        span.tags?.['order.id'] !== order.id,
    );
    assert.deepEqual(
      unnamed.map((span) => `${service(span)}: ${span.name}`),
      [],
    );
    assert.equal(root?.tags?.['order.id'], order.id, 'the root span names the order too');
  });

  it('shows an event delivered again after a failure as a retry in the same trace', async () => {
    // Inventory away: the saga cannot hold stock, its invocation fails, the event source
    // delivers the OrderPlaced again until inventory is back.
    await inventory?.stop();
    inventory = undefined;
    const order = await placeOrder();
    await delay(2_500);
    inventory = await startInventoryHere();
    await waitForStatus(order, 'CONFIRMED');

    const sagaReceives = (all: ZipkinSpan[]) =>
      all.filter(
        (span) =>
          span.name === 'receive orders' &&
          span.tags?.['faas.invoked_name'] === 'order-saga' &&
          span.tags?.['orderly.event.type'] === undefined,
      );
    const spans = await traceOf(order.id, (all) =>
      all.some((span) => span.tags?.['orderly.event.type'] === 'OrderConfirmed'),
    );
    const placedPublish = spans.find(
      (span) => span.kind === 'PRODUCER' && span.tags?.['orderly.event.type'] === 'OrderPlaced',
    );
    assert.ok(placedPublish, 'the OrderPlaced publish');
    const deliveries = sagaReceives(spans).filter((span) => span.parentId === placedPublish.id);
    const failed = deliveries.filter((span) => span.tags?.error !== undefined);
    const retried = deliveries.filter(
      (span) =>
        Number(span.tags?.['messaging.delivery.attempt']) > 1 && span.tags?.error === undefined,
    );
    assert.ok(
      failed.length >= 1,
      `a failed delivery of OrderPlaced: ${JSON.stringify(deliveries)}`,
    );
    assert.ok(retried.length >= 1, 'a later attempt that succeeded, under the same publish');
    // The saga's failed attempt recorded why: the Hold call that found no server.
    const failedReserve = spans.find(
      (span) =>
        span.kind === 'CLIENT' &&
        span.name === 'orderly.inventory.v1.inventoryservice/hold' &&
        span.tags?.error !== undefined,
    );
    assert.ok(failedReserve, 'the failed Hold call is in the trace');
    assert.equal(traceTree(spans).length, 1, 'still one root');
  });

  it('continues the trace of the step that stored an event when the relay publishes it', async () => {
    // A checkout whose write stored its OrderPlaced but did not publish it (no Kafka at that
    // moment): the outbox relay finds it later and publishes it, in the trace it was stored in.
    const store = new OrderStore(db);
    const placed = await inSpan(
      tracerFor('test-client'),
      'checkout while Kafka is away',
      { kind: SpanKind.CLIENT },
      () =>
        store.place({
          userId: uniqueName('relay-user'),
          idempotencyKey: uniqueName('relay'),
          items: [{ sku: 'MUG-CLASSIC', name: 'Classic Mug', quantity: 1, unitPriceCents: 1200 }],
          currency: 'EUR',
          shippingAddress: ADDRESS,
          paymentToken: 'tok_visa',
        }),
    );
    const orderId = placed.order.id;
    const spans = await traceOf(orderId, (all) =>
      all.some((span) => span.tags?.['orderly.event.type'] === 'OrderConfirmed'),
    );
    const roots = traceTree(spans);
    assert.equal(roots.length, 1);
    assert.equal(roots[0]?.span.name, 'checkout while kafka is away');
    const relayed = spans.find(
      (span) => span.kind === 'PRODUCER' && span.tags?.['orderly.event.type'] === 'OrderPlaced',
    );
    assert.equal(relayed?.tags?.['orderly.outbox.published_by'], 'relay');
    assert.equal(service(relayed as ZipkinSpan), 'orderly-outbox-relay');
    assert.ok(
      spans.some(
        (span) => span.name === 'process orders' && service(span) === 'orderly-order-saga',
      ),
      'the saga handled the relayed event in the same trace',
    );
  });

  it('serves the platform metrics to Prometheus at /metrics', async () => {
    // A record no function can decode, so a dead letter is counted too.
    const producer = createKafka(integrationConfig().kafka, { logger: testLogger() }).producer();
    await producer.connect();
    await producer.send({ topic: `${prefix}orders`, messages: [{ key: 'x', value: 'not json' }] });
    await producer.disconnect();
    const metricsUrl = platform.graphqlUrl.replace(/graphql$/, 'metrics');
    let text = '';
    await eventually(
      async () => {
        const response = await fetch(metricsUrl);
        text = await response.text();
        return response.ok && /orderly_dead_letters_total\{[^}]*reason="[A-Z_]+"/.test(text);
      },
      30_000,
      'the dead letter to be counted',
    );
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
    // Every earlier test's orders reached CONFIRMED (the checkouts counter counts each once).
    assert.ok(value(/orderly_checkouts_total\{[^}]*status="CONFIRMED"[^}]*\} (\d+)/) >= 3, text);
    assert.ok(value(/orderly_reservations_total\{[^}]*outcome="granted"[^}]*\} (\d+)/) >= 3);
    assert.ok(
      value(/orderly_function_invocations_total\{[^}]*function="orders"[^}]*\} (\d+)/) >= 2,
    );
    assert.ok(
      value(/orderly_function_invocations_total\{[^}]*function="order-saga"[^}]*\} (\d+)/) >= 3,
    );
    assert.ok(
      value(/orderly_function_errors_total\{[^}]*function="order-saga"[^}]*\} (\d+)/) >= 1,
      'the failed delivery',
    );
    assert.match(text, /orderly_function_duration_bucket\{[^}]*function="notifications"/);
    assert.match(text, /orderly_consumer_lag\{[^}]*group="[^"]*order-saga[^"]*"[^}]*\} \d+/);
    assert.match(
      text,
      new RegExp(`orderly_dead_letters_total\\{[^}]*topic="${prefix.replace('.', '\\.')}orders"`),
    );
  });
});
