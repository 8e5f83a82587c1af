import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { buildGateway } from '../../gateway/app.js';
import { LambdaInvokeInvoker } from '../../gateway/invokers/lambda-invoke-invoker.js';
import { gatewaySettings } from '../../gateway/settings.js';
import { storefrontCsp } from '../../gateway/storefront.js';
import { createInventoryClient } from '../../shared/grpc/inventory-client.js';
import { LambdaInvokeClient } from '../../shared/lambda/lambda-invoke-client.js';
import { eventually, freePort } from '../../test-support/eventually.js';
import { Subscriber } from '../../test-support/graphql-subscriber.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { dropBucket, uniqueBucket } from '../../test-support/media-bucket.js';
import { DEMO_CATALOG, demoInitialStock, seedDemoCatalog } from './demo-catalog.js';
import { postGraphql } from './graphql-client.js';
import { type LocalPlatform, startLocalPlatform } from './local-platform.js';

const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 Analytical Row',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

interface OrderView {
  id: string;
  status: string;
  cancellationReason: string | null;
}

/**
 * `npm run offline`'s topology, started by the same code: the functions under serverless
 * offline (stage local), the emulator invoking the Kafka-triggered ones through the Lambda
 * Invoke API, the inventory gRPC server, the gateway calling the functions over HTTP, and
 * the real Kafka and database. Everything below goes through the public GraphQL API.
 */
describe('npm run offline: the platform with its functions under serverless offline', () => {
  let platform: LocalPlatform;
  let mongo: MongoClient;
  let dbName: string;
  const mediaBucket = uniqueBucket('it-offline');
  let inventoryAddress: string;

  before(async () => {
    const { kafka, mongo: mongoConfig } = integrationConfig();
    dbName = uniqueName('it_offline');
    inventoryAddress = `127.0.0.1:${await freePort()}`;
    platform = await startLocalPlatform({
      mode: 'offline',
      env: {
        ...process.env,
        KAFKA_BROKERS: kafka.brokers.join(','),
        MONGODB_URI: mongoConfig.uri,
        MONGODB_DB: dbName,
        KAFKA_TOPIC_PREFIX: `${uniqueName('it')}.`,
        INVENTORY_GRPC_ADDR: inventoryAddress,
        PORT: `${await freePort()}`,
        OFFLINE_HTTP_PORT: `${await freePort()}`,
        OFFLINE_LAMBDA_PORT: `${await freePort()}`,
        LOG_LEVEL: 'error',
        MEDIA_BUCKET: mediaBucket,
      },
      loggerFor: () => testLogger(),
    });
    mongo = await new MongoClient(mongoConfig.uri).connect();
  });

  after(async () => {
    await mongo?.close();
    await platform?.stop();
    await dropBucket(process.env.AWS_ENDPOINT_URL ?? '', mediaBucket);
  });

  const ask = <T>(query: string, variables: object = {}, token?: string) =>
    postGraphql<T>(platform.graphqlUrl, query, variables, token);

  async function shopper(name: string): Promise<string> {
    const answer = await ask<{ register: { token: string } }>(
      'mutation($input: RegisterInput!) { register(input: $input) { token } }',
      { input: { email: `${name}@example.com`, password: 'offline-pass-1', name } },
    );
    const token = answer.data?.register.token;
    assert.ok(token, JSON.stringify(answer));
    return token;
  }

  async function checkout(token: string, sku: string, quantity: number, paymentToken: string) {
    const cart = await ask<{ addToCart: { subtotalCents: number } }>(
      'mutation($sku: String!, $quantity: Int!) { addToCart(sku: $sku, quantity: $quantity) { subtotalCents } }',
      { sku, quantity },
      token,
    );
    assert.ok(cart.data?.addToCart, JSON.stringify(cart));
    const placed = await ask<{ checkout: OrderView }>(
      'mutation($input: CheckoutInput!) { checkout(input: $input) { id status cancellationReason } }',
      { input: { idempotencyKey: uniqueName('checkout'), paymentToken, shippingAddress: ADDRESS } },
      token,
    );
    assert.equal(placed.data?.checkout.status, 'PENDING', JSON.stringify(placed));
    return placed.data.checkout.id;
  }

  async function finalState(token: string, id: string): Promise<OrderView> {
    let order: OrderView | undefined;
    await eventually(
      async () => {
        const answer = await ask<{ order: OrderView }>(
          'query($id: ID!) { order(id: $id) { id status cancellationReason } }',
          { id },
          token,
        );
        order = answer.data?.order;
        return order?.status === 'CONFIRMED' || order?.status === 'CANCELLED';
      },
      60_000,
      `order ${id} to reach a final state`,
    );
    return order as OrderView;
  }

  const availableOf = async (sku: string) =>
    (
      await ask<{ stock: { available: number }[] }>(
        'query($skus: [String!]!) { stock(skus: $skus) { available } }',
        { skus: [sku] },
      )
    ).data?.stock[0]?.available;

  it('seeds the demo catalog and serves it', async () => {
    assert.deepEqual(platform.seed, { created: DEMO_CATALOG.map((p) => p.sku), existing: [] });
    const page = await ask<{ products: { edges: { node: { sku: string } }[] } }>(
      '{ products(first: 50) { edges { node { sku } } } }',
    );
    assert.deepEqual(
      page.data?.products.edges.map((edge) => edge.node.sku).sort(),
      DEMO_CATALOG.map((product) => product.sku).sort(),
    );
  });

  it('serves the storefront at the gateway root, on the origin of /graphql, under its CSP', async () => {
    assert.equal(new URL(platform.storefrontUrl).origin, new URL(platform.graphqlUrl).origin);
    const page = await fetch(platform.storefrontUrl, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    // Pictures come from, and uploads go to, object storage (LocalStack here).
    const media = new URL(process.env.AWS_ENDPOINT_URL ?? '').origin;
    assert.equal(page.headers.get('content-security-policy'), storefrontCsp([media]));
    const html = await page.text();
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
    assert.ok(script, html);
    const bundle = await fetch(new URL(script, platform.storefrontUrl));
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /javascript/);
  });

  it('confirms a paid checkout (with live updates) and cancels a declined one', async () => {
    const ada = await shopper('ada');
    const bob = await shopper('bob');
    const paid = await checkout(ada, 'MUG-CLASSIC', 2, 'tok_visa');
    // Live updates through the gateway server: its current status first, then each newer one.
    const updates = await Subscriber.open(
      platform.graphqlUrl,
      ada,
      'subscription($id: ID!) { orderUpdated(id: $id) { status } }',
      { id: paid },
    );
    const declined = await checkout(bob, 'TEE-LOGO-M-BLUE', 1, 'tok_chargeDeclined');

    const [paidOrder, declinedOrder] = await Promise.all([
      finalState(ada, paid),
      finalState(bob, declined),
    ]);
    assert.equal(paidOrder.status, 'CONFIRMED');
    try {
      await updates.until(
        (m) =>
          m.type === 'next' &&
          (m.payload as { data?: { orderUpdated?: { status: string } } }).data?.orderUpdated
            ?.status === 'CONFIRMED',
      );
      const statuses = updates
        .data<{ orderUpdated: { status: string } }>()
        .map((d) => d.orderUpdated.status);
      const order = ['PENDING', 'RESERVED', 'CONFIRMED'];
      assert.deepEqual(
        statuses,
        order.slice(order.indexOf(statuses[0] as string)),
        `statuses in order, none skipped after the first: ${statuses}`,
      );
    } finally {
      updates.close();
    }
    assert.deepEqual(
      { status: declinedOrder.status, reason: declinedOrder.cancellationReason },
      { status: 'CANCELLED', reason: 'PAYMENT_DECLINED' },
    );
    const mugStock = demoInitialStock('MUG-CLASSIC');
    const teeStock = demoInitialStock('TEE-LOGO-M-BLUE');
    assert.ok(teeStock > 0, 'the demo T-shirt in M / Blue has stock');
    assert.equal(await availableOf('MUG-CLASSIC'), mugStock - 2);
    await eventually(
      async () => (await availableOf('TEE-LOGO-M-BLUE')) === teeStock,
      20_000,
      'the declined order to give its stock back',
    );
    // The notifications function ran under serverless offline too.
    await eventually(
      async () => (await mongo.db(dbName).collection('notifications').countDocuments({})) === 2,
      20_000,
      'one notification per final order',
    );
  });

  it('leaves the catalog and its stock alone when seeded again', async () => {
    const before = await availableOf('MUG-CLASSIC');
    const again = await seedDemoCatalog(platform.graphqlUrl, platform.admin, testLogger());
    assert.deepEqual(again, { created: [], existing: DEMO_CATALOG.map((p) => p.sku) });
    assert.equal(await availableOf('MUG-CLASSIC'), before);
  });

  it('serves the functions through its Lambda Invoke API as well', async () => {
    const offline = platform.offline;
    assert.ok(offline);
    const stock = createInventoryClient({ address: inventoryAddress });
    const gateway = await buildGateway({
      logger: testLogger(),
      invoker: new LambdaInvokeInvoker(
        new LambdaInvokeClient({ endpoint: offline.lambdaUrl }),
        offline.functionName,
      ),
      stock,
      settings: gatewaySettings({ rateLimitPerMinute: 1_000 }),
    });
    try {
      const post = async (query: string, variables: object = {}, token?: string) =>
        (
          await gateway.inject({
            method: 'POST',
            url: '/graphql',
            headers: token ? { authorization: `Bearer ${token}` } : {},
            payload: { query, variables },
          })
        ).json();
      const registered = await post(
        'mutation($input: RegisterInput!) { register(input: $input) { token } }',
        { input: { email: 'invoke@example.com', password: 'offline-pass-1', name: 'Invoke' } },
      );
      const me = await post('{ me { email } }', {}, registered.data?.register?.token);
      assert.deepEqual(me.data, { me: { email: 'invoke@example.com' } }, JSON.stringify(me));
      const product = await post('{ product(slug: "limited-poster") { sku stock { available } } }');
      assert.deepEqual(product.data, {
        product: { sku: 'POSTER-LIMITED', stock: { available: 3 } },
      });
      const refused = await post('{ cart { subtotalCents } }');
      assert.equal(refused.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    } finally {
      await gateway.close();
      stock.close();
    }
  });
});
