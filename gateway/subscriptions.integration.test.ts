import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { buildFunctionApps } from '../localstack/platform/function-apps.js';
import { postGraphql } from '../localstack/platform/graphql-client.js';
import type { AuthConfig } from '../shared/auth/auth-config.js';
import { createInventoryClient, type InventoryClient } from '../shared/grpc/inventory-client.js';
import { createLogger } from '../shared/logger/logger.js';
import { CheckoutHarness, SHIPPING_ADDRESS } from '../test-support/checkout-harness.js';
import { Subscriber } from '../test-support/graphql-subscriber.js';
import { integrationConfig, testLogger } from '../test-support/integration-env.js';
import { InProcessInvoker } from './invokers/in-process-invoker.js';
import { type RunningGateway, startGatewayServer } from './server.js';
import { gatewaySettings } from './settings.js';

const auth: AuthConfig = {
  jwtSecret: 'subscriptions-test-secret-that-is-long-enough',
  issuer: 'orderly',
  audience: 'orderly-api',
  tokenTtlSeconds: 600,
};

describe('GraphQL subscriptions over WebSocket, fed from Kafka (server mode)', () => {
  let harness: CheckoutHarness;
  let inventory: InventoryClient;
  let gateway: RunningGateway;
  const tokens: Record<string, string> = {};
  /** Every call the gateway made to a function, as `METHOD path`. */
  const calls: string[] = [];
  /** The gateway's error lines, which must not show subscriptions it failed to forget. */
  const gatewayErrors: string[] = [];

  before(async () => {
    // The saga's steps are driven by hand, so the subscription is in place before each one.
    harness = await CheckoutHarness.start({ withoutEmulator: true });
    inventory = createInventoryClient({ address: harness.platform.inventoryAddress });
    const apps = await buildFunctionApps({
      logger: testLogger(),
      db: harness.db,
      auth,
      stock: inventory,
      publisher: harness.bus.publisher,
    });
    const inProcess = new InProcessInvoker(apps);
    gateway = await startGatewayServer({
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({
        name: 'gateway',
        level: 'error',
        destination: { write: (line: string) => gatewayErrors.push(line) },
      }),
      invoker: {
        invoke: (fn, request) => {
          calls.push(`${request.method} ${request.path}`);
          return inProcess.invoke(fn, request);
        },
      },
      stock: inventory,
      settings: gatewaySettings({ limits: { introspection: true }, rateLimitPerMinute: 10_000 }),
      events: { kafka: integrationConfig().kafka, topics: harness.platform.topics },
    });
    await harness.addProduct('SUB-MUG', 1500, 10);
    for (const name of ['ann', 'ben']) {
      const reply = await graphql(
        'mutation($input: RegisterInput!) { register(input: $input) { token } }',
        { input: { email: `${name}@example.com`, password: 'subscribe-pass-1', name } },
      );
      tokens[name] = reply.data.register.token;
    }
  });

  after(async () => {
    await gateway?.close();
    inventory?.close();
    await harness?.stop();
  });

  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are checked field by field
  function graphql(query: string, variables: object = {}, token?: string): Promise<any> {
    return postGraphql(gateway.url, query, variables, token);
  }

  it('sends a checkout through PENDING, RESERVED and CONFIRMED in order, and the stock change', async () => {
    await graphql(
      'mutation { addToCart(sku: "SUB-MUG", quantity: 2) { subtotalCents } }',
      {},
      tokens.ann,
    );
    const placed = await graphql(
      'mutation($input: CheckoutInput!) { checkout(input: $input) { id status } }',
      {
        input: {
          idempotencyKey: 'sub-checkout-0001',
          paymentToken: 'tok_visa',
          shippingAddress: SHIPPING_ADDRESS,
        },
      },
      tokens.ann,
    );
    const orderId: string = placed.data.checkout.id;
    const orders = await Subscriber.open(
      gateway.url,
      tokens.ann as string,
      'subscription($id: ID!) { orderUpdated(id: $id) { id status cancellationReason updatedAt history { status at reason } } }',
      { id: orderId },
    );
    const readsBefore = calls.filter((call) => call === `GET /orders/${orderId}`).length;
    const stock = await Subscriber.open(
      gateway.url,
      tokens.ben as string,
      'subscription { stockChanged(skus: ["SUB-MUG"]) { sku available reserved } }',
      {},
    );
    try {
      await orders.until((m) => m.type === 'next');
      const placedEvent = await harness.nextEvent('OrderPlaced', orderId);
      // One step takes the order through RESERVED to CONFIRMED; no event announces RESERVED,
      // the OrderConfirmed says when it was reached.
      await harness.deliver('order-saga', [placedEvent]);
      await orders.until(
        (m) => m.type === 'next' && JSON.stringify(m.payload).includes('CONFIRMED'),
      );
      const updates = orders.data<{
        orderUpdated: { id: string; status: string; history: unknown[] };
      }>();
      assert.deepEqual(
        updates.map((u) => u.orderUpdated.status),
        ['PENDING', 'RESERVED', 'CONFIRMED'],
      );
      assert.deepEqual(
        updates.map((u) => u.orderUpdated.history.length),
        [1, 2, 3],
      );
      // Each status after the first is built from its event, and is the order as a query
      // reads it: one read of the order for the whole subscription.
      const reads = calls.filter((call) => call === `GET /orders/${orderId}`).length;
      assert.equal(reads - readsBefore, 1);
      const queried = await graphql(
        'query($id: ID!) { order(id: $id) { id status cancellationReason updatedAt history { status at reason } } }',
        { id: orderId },
        tokens.ann,
      );
      assert.deepEqual(updates.at(-1)?.orderUpdated, queried.data.order);
      // Held, then sold: what queued during a send arrives as the latest level.
      await stock.until(
        (m) => m.type === 'next' && JSON.stringify(m.payload).includes('"reserved":0'),
      );
      const levels = stock.data<{
        stockChanged: { sku: string; available: number; reserved: number };
      }>();
      assert.deepEqual(levels.at(-1)?.stockChanged, { sku: 'SUB-MUG', available: 8, reserved: 0 });
      assert.ok(levels.every((level) => level.stockChanged.available === 8));
    } finally {
      orders.close();
      stock.close();
    }
  });

  it("refuses a subscription to another customer's order", async () => {
    await graphql(
      'mutation { addToCart(sku: "SUB-MUG", quantity: 1) { subtotalCents } }',
      {},
      tokens.ann,
    );
    const placed = await graphql(
      'mutation($input: CheckoutInput!) { checkout(input: $input) { id } }',
      {
        input: {
          idempotencyKey: 'sub-checkout-0002',
          paymentToken: 'tok_visa',
          shippingAddress: SHIPPING_ADDRESS,
        },
      },
      tokens.ann,
    );
    const spy = await Subscriber.open(
      gateway.url,
      tokens.ben as string,
      'subscription($id: ID!) { orderUpdated(id: $id) { status } }',
      { id: placed.data.checkout.id },
    );
    try {
      await spy.until((m) => m.type === 'error' || m.type === 'next');
      assert.equal(spy.data().length, 0);
      const error = spy.received.find((m) => m.type === 'error');
      const [refusal] = (error?.payload ?? []) as {
        message: string;
        extensions?: { code?: string };
      }[];
      assert.equal(refusal?.extensions?.code, 'NOT_FOUND');
      assert.match(refusal?.message ?? '', /No order/);
    } finally {
      spy.close();
    }
  });

  it('forgets a stock subscription whose client left while it was being made', async () => {
    // Clients that subscribe and leave at once, as a shopper leaving the catalog page does.
    for (let i = 0; i < 5; i++) {
      const socket = new WebSocket(gateway.url.replace('http', 'ws'), 'graphql-transport-ws');
      await once(socket, 'open');
      socket.send(
        JSON.stringify({
          type: 'connection_init',
          payload: { authorization: `Bearer ${tokens.ben}` },
        }),
      );
      await once(socket, 'message');
      socket.send(
        JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: { query: 'subscription { stockChanged(skus: ["SUB-MUG"]) { sku available } }' },
        }),
      );
      socket.terminate();
    }
    const stays = await Subscriber.open(
      gateway.url,
      tokens.ben as string,
      'subscription { stockChanged(skus: ["SUB-MUG"]) { sku available } }',
      {},
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // the subscriptions are made
      const level = await inventory.restock('SUB-MUG', 1);
      await stays.until(
        (m) =>
          m.type === 'next' &&
          (m.payload as { data: { stockChanged: { available: number } } }).data.stockChanged
            .available === level?.available,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const leftovers = gatewayErrors.filter((line) => line.includes('subscription queue error'));
      assert.deepEqual(leftovers, [], 'a listener of a closed subscription was still there');
    } finally {
      stays.close();
    }
  });
});
