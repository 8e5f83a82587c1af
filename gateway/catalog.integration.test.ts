import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildFunctionApps } from '../localstack/platform/function-apps.js';
import { postGraphql } from '../localstack/platform/graphql-client.js';
import type { AuthConfig } from '../shared/auth/auth-config.js';
import { createInventoryClient, type InventoryClient } from '../shared/grpc/inventory-client.js';
import type { HttpApp } from '../shared/http/http-app.js';
import { CheckoutHarness, SHIPPING_ADDRESS } from '../test-support/checkout-harness.js';
import { eventually } from '../test-support/eventually.js';
import { Subscriber } from '../test-support/graphql-subscriber.js';
import { integrationConfig, testLogger } from '../test-support/integration-env.js';
import { InProcessInvoker } from './invokers/in-process-invoker.js';
import { type RunningGateway, startGatewayServer } from './server.js';
import { gatewaySettings } from './settings.js';

const auth: AuthConfig = {
  jwtSecret: 'catalog-gateway-test-secret-that-is-long-enough',
  issuer: 'orderly',
  audience: 'orderly-api',
  tokenTtlSeconds: 600,
};

const PRODUCT_PAGE = `query($slug: String!) {
  product(slug: $slug) {
    id sku priceCents stock { available }
    options { name values }
    variants { id sku title options { name value } priceCents currency stock { sku available reserved } image { url } }
    images { url alt }
    collections { slug title products(first: 5) { edges { node { slug } } } }
  }
}`;

const SEARCH = `query($filters: [FacetFilter!], $inStockOnly: Boolean) {
  search(filters: $filters, inStockOnly: $inStockOnly) {
    total
    products { edges { node { slug } } }
    facets { name values { value count } }
  }
}`;

/**
 * The commerce contract's catalog part through GraphQL, on the whole platform: the gateway
 * server, the functions in process, the workflow behind the Kafka event-source emulator, and
 * inventory. A shopper buys one variant: only its stock moves, live, and search follows.
 */
describe('catalog through GraphQL: variants, collections, search (whole platform)', () => {
  let harness: CheckoutHarness;
  let inventory: InventoryClient;
  let apps: Record<string, HttpApp>;
  let gateway: RunningGateway;
  let admin: string;
  let shopper: string;

  before(async () => {
    harness = await CheckoutHarness.start();
    inventory = createInventoryClient({ address: harness.platform.inventoryAddress });
    apps = await buildFunctionApps({
      logger: testLogger(),
      db: harness.db,
      auth,
      stock: inventory,
      publisher: harness.bus.publisher,
    });
    gateway = await startGatewayServer({
      host: '127.0.0.1',
      port: 0,
      logger: testLogger(),
      invoker: new InProcessInvoker(apps as never),
      stock: inventory,
      settings: gatewaySettings({ limits: { introspection: true }, rateLimitPerMinute: 10_000 }),
      events: { kafka: integrationConfig().kafka, topics: harness.platform.topics },
    });
    admin = apps.catalog?.jwt.sign({ sub: 'root', email: 'root@example.com', role: 'ADMIN' }) ?? '';
    const registered = await graphql(
      'mutation($input: RegisterInput!) { register(input: $input) { token } }',
      { input: { email: 'vera@example.com', password: 'variant-pass-1', name: 'Vera' } },
    );
    shopper = registered.data.register.token;
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

  it('builds a product of variants: createProduct with its options, then addVariant', async () => {
    const collection = await graphql(
      'mutation { createCollection(input: { title: "Basics" }) { id slug } }',
      {},
      admin,
    );
    assert.equal(collection.data.createCollection.slug, 'basics');
    const created = await graphql(
      `mutation($input: ProductInput!) { createProduct(input: $input) { id sku variants { title } } }`,
      {
        input: {
          sku: 'GQL-TEE-S-BLUE',
          name: 'GraphQL Tee',
          description: 'A tee',
          category: 'apparel',
          priceCents: 2000,
          currency: 'EUR',
          initialStock: 4,
          options: [
            { name: 'Size', values: ['S', 'M'] },
            { name: 'Colour', values: ['Blue', 'Black'] },
          ],
          variantOptions: [
            { name: 'Size', value: 'S' },
            { name: 'Colour', value: 'Blue' },
          ],
          collections: ['basics'],
        },
      },
      admin,
    );
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    const productId = created.data.createProduct.id;
    for (const [size, colour, stock] of [
      ['M', 'Blue', 1],
      ['S', 'Black', 3],
      ['M', 'Black', 2],
    ] as const) {
      const added = await graphql(
        'mutation($id: ID!, $input: VariantInput!) { addVariant(productId: $id, input: $input) { variants { sku } } }',
        {
          id: productId,
          input: {
            sku: `GQL-TEE-${size}-${colour.toUpperCase()}`,
            options: [
              { name: 'Size', value: size },
              { name: 'Colour', value: colour },
            ],
            priceCents: size === 'M' ? 2100 : 2000,
            initialStock: stock,
          },
        },
        admin,
      );
      assert.equal(added.errors, undefined, JSON.stringify(added.errors));
    }
    const page = await graphql(PRODUCT_PAGE, { slug: 'graphql-tee' });
    const product = page.data.product;
    assert.equal(product.sku, 'GQL-TEE-S-BLUE');
    assert.deepEqual(product.stock, { available: 4 });
    assert.deepEqual(product.options, [
      { name: 'Size', values: ['S', 'M'] },
      { name: 'Colour', values: ['Blue', 'Black'] },
    ]);
    assert.deepEqual(
      product.variants.map(
        (v: { title: string; priceCents: number; stock: { available: number } }) => [
          v.title,
          v.priceCents,
          v.stock.available,
        ],
      ),
      [
        ['S / Blue', 2000, 4],
        ['M / Blue', 2100, 1],
        ['S / Black', 2000, 3],
        ['M / Black', 2100, 2],
      ],
    );
    assert.deepEqual(product.variants[1].options, [
      { name: 'Size', value: 'M' },
      { name: 'Colour', value: 'Blue' },
    ]);
    assert.equal(product.collections[0].title, 'Basics');
    assert.deepEqual(product.collections[0].products.edges, [{ node: { slug: 'graphql-tee' } }]);
    const collection2 = await graphql(
      '{ collection(slug: "basics") { title products { edges { node { sku } } } } }',
    );
    assert.equal(collection2.data.collection.products.edges[0].node.sku, 'GQL-TEE-S-BLUE');
    assert.equal((await graphql('{ collection(slug: "nope") { title } }')).data.collection, null);
    // A listing names its products' collections only when asked, through one batched look-up.
    const listed = await graphql(
      '{ products(first: 50) { edges { node { slug collections { slug title } } } } }',
    );
    const tee = listed.data.products.edges.find(
      (edge: { node: { slug: string } }) => edge.node.slug === 'graphql-tee',
    );
    assert.deepEqual(tee?.node.collections, [{ slug: 'basics', title: 'Basics' }]);
    const searched = await graphql(
      '{ search(query: "tee") { products { edges { node { slug collections { title } } } } } }',
    );
    assert.ok(
      searched.data.search.products.edges.some(
        (edge: { node: { collections: { title: string }[] } }) =>
          edge.node.collections[0]?.title === 'Basics',
      ),
      JSON.stringify(searched),
    );
  });

  it('answers a customer FORBIDDEN and a stranger UNAUTHENTICATED on the admin mutations', async () => {
    const add =
      'mutation { addVariant(productId: "000000000000000000000000", input: { sku: "X", options: [], priceCents: 1 }) { id } }';
    assert.equal((await graphql(add, {}, shopper)).errors[0].extensions.code, 'FORBIDDEN');
    assert.equal((await graphql(add)).errors[0].extensions.code, 'UNAUTHENTICATED');
  });

  it('sells the M / Blue variant: only its stock moves, live, and in-stock search drops it', async () => {
    const before = await graphql(PRODUCT_PAGE, { slug: 'graphql-tee' });
    const skus: string[] = before.data.product.variants.map((v: { sku: string }) => v.sku);
    const blueM = {
      filters: [
        { name: 'Size', values: ['M'] },
        { name: 'Colour', values: ['Blue'] },
      ],
      inStockOnly: true,
    };
    const found = await graphql(SEARCH, blueM);
    assert.deepEqual(found.data.search.products.edges, [{ node: { slug: 'graphql-tee' } }]);

    const live = await Subscriber.open(
      gateway.url,
      shopper,
      'subscription($skus: [String!]!) { stockChanged(skus: $skus) { sku available reserved } }',
      { skus },
    );
    try {
      const cart = await graphql(
        'mutation { addToCart(sku: "GQL-TEE-M-BLUE", quantity: 1) { items { sku quantity variant { title priceCents } } subtotalCents } }',
        {},
        shopper,
      );
      assert.deepEqual(cart.data.addToCart.items, [
        { sku: 'GQL-TEE-M-BLUE', quantity: 1, variant: { title: 'M / Blue', priceCents: 2100 } },
      ]);
      const placed = await graphql(
        'mutation($input: CheckoutInput!) { checkout(input: $input) { id items { sku name variantTitle unitPriceCents } } }',
        {
          input: {
            idempotencyKey: 'variant-checkout-0001',
            paymentToken: 'tok_visa',
            shippingAddress: SHIPPING_ADDRESS,
          },
        },
        shopper,
      );
      assert.deepEqual(placed.data.checkout.items, [
        {
          sku: 'GQL-TEE-M-BLUE',
          name: 'GraphQL Tee',
          variantTitle: 'M / Blue',
          unitPriceCents: 2100,
        },
      ]);
      await harness.waitFor(placed.data.checkout.id, ['CONFIRMED']);
      await live.until((m) => {
        const level = (m.payload as { data?: { stockChanged?: { available: number } } })?.data
          ?.stockChanged;
        return m.type === 'next' && level?.available === 0;
      });
      const changed = new Set(
        live.data<{ stockChanged: { sku: string } }>().map((d) => d.stockChanged.sku),
      );
      assert.deepEqual([...changed], ['GQL-TEE-M-BLUE'], 'only the variant sold changed');
    } finally {
      live.close();
    }
    const after = await graphql(PRODUCT_PAGE, { slug: 'graphql-tee' });
    assert.deepEqual(
      after.data.product.variants.map((v: { stock: { available: number } }) => v.stock.available),
      [4, 0, 3, 2],
    );
    // Search follows the stock events: the sold-out M / Blue leaves in-stock results.
    await eventually(
      async () => (await graphql(SEARCH, blueM)).data.search.total === 0,
      10_000,
      'search to drop the sold-out variant',
    );
    // Without "in stock only" it is still found; in stock and Blue, only S is left.
    const all = await graphql(SEARCH, { ...blueM, inStockOnly: false });
    assert.equal(all.data.search.total, 1);
    const inStockBlue = await graphql(SEARCH, {
      filters: [{ name: 'Colour', values: ['Blue'] }],
      inStockOnly: true,
    });
    const sizes = inStockBlue.data.search.facets.find((f: { name: string }) => f.name === 'Size');
    assert.deepEqual(sizes.values, [{ value: 'S', count: 1 }]);
  });
});
