import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newEvent } from '../../shared/events/envelope.js';
import { buildKafkaLambdaEvent } from '../../shared/kafka-function/lambda-kafka-event.js';
import {
  type CatalogUnderTest,
  startCatalogUnderTest,
} from '../../test-support/catalog-under-test.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { createCatalogEventsHandler } from './handler.js';
import { olderStockOf } from './product-store.js';

interface Facet {
  name: string;
  values: { value: string; count: number }[];
}
interface SearchAnswer {
  products: {
    edges: { cursor: string; node: { slug: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
  facets: Facet[];
  total: number;
}

const variant = (
  sku: string,
  options: Record<string, string>,
  priceCents: number,
  initialStock: number,
) => ({
  sku,
  options: Object.entries(options).map(([name, value]) => ({ name, value })),
  priceCents,
  initialStock,
});

/** Five products over three categories, one collection, two options, in and out of stock. */
const PRODUCTS = [
  {
    sku: 'S-TEE-S-BLUE',
    name: 'Logo Tee',
    description: 'Organic cotton tee',
    category: 'apparel',
    priceCents: 1900,
    currency: 'EUR',
    initialStock: 5,
    variantOptions: [
      { name: 'Size', value: 'S' },
      { name: 'Colour', value: 'Blue' },
    ],
    collections: ['summer'],
    variants: [
      variant('S-TEE-M-BLUE', { Size: 'M', Colour: 'Blue' }, 1900, 0),
      variant('S-TEE-L-BLUE', { Size: 'L', Colour: 'Blue' }, 1900, 5),
      variant('S-TEE-M-BLACK', { Size: 'M', Colour: 'Black' }, 1900, 5),
    ],
  },
  {
    sku: 'S-HOODIE-M',
    name: 'Grey Hoodie',
    description: 'Heavyweight hoodie',
    category: 'apparel',
    priceCents: 4900,
    currency: 'EUR',
    initialStock: 3,
    variantOptions: [{ name: 'Size', value: 'M' }],
    variants: [variant('S-HOODIE-L', { Size: 'L' }, 4900, 0)],
  },
  {
    sku: 'S-MUG-CLASSIC',
    name: 'Classic Mug',
    description: 'Stoneware mug for tea',
    category: 'kitchen',
    priceCents: 1200,
    currency: 'EUR',
    initialStock: 10,
  },
  {
    sku: 'S-MUG-TRAVEL',
    name: 'Travel Mug',
    description: 'Double-walled steel',
    category: 'kitchen',
    priceCents: 2400,
    currency: 'EUR',
    initialStock: 0,
  },
  {
    sku: 'S-NOTE-BLUE',
    name: 'Pocket Notebook',
    description: 'Dotted pages',
    category: 'stationery',
    priceCents: 900,
    currency: 'EUR',
    initialStock: 4,
    variantOptions: [{ name: 'Colour', value: 'Blue' }],
    collections: ['summer'],
    variants: [variant('S-NOTE-RED', { Colour: 'Red' }, 900, 4)],
  },
];

describe('faceted search (inject, real MongoDB and inventory)', () => {
  let catalog: CatalogUnderTest;

  before(async () => {
    catalog = await startCatalogUnderTest('search');
    const admin = catalog.as(catalog.tokens.admin);
    const summer = await catalog.app.inject({
      method: 'POST',
      url: '/collections',
      headers: admin,
      payload: { title: 'Summer' },
    });
    assert.equal(summer.statusCode, 201);
    for (const payload of PRODUCTS) {
      const created = await catalog.app.inject({
        method: 'POST',
        url: '/products',
        headers: admin,
        payload,
      });
      assert.equal(created.statusCode, 201, created.body);
    }
  });

  after(() => catalog.close());

  const search = async (body: object): Promise<SearchAnswer> => {
    const response = await catalog.app.inject({ method: 'POST', url: '/search', payload: body });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };
  const slugs = (answer: SearchAnswer) => answer.products.edges.map((edge) => edge.node.slug);
  const facet = (answer: SearchAnswer, name: string) =>
    Object.fromEntries(
      (answer.facets.find((f) => f.name === name)?.values ?? []).map((v) => [v.value, v.count]),
    );

  it('finds everything without filters, newest first, with every facet counted', async () => {
    const all = await search({});
    assert.equal(all.total, 5);
    assert.deepEqual(slugs(all), [
      'pocket-notebook',
      'travel-mug',
      'classic-mug',
      'grey-hoodie',
      'logo-tee',
    ]);
    assert.deepEqual(facet(all, 'category'), { apparel: 2, kitchen: 2, stationery: 1 });
    assert.deepEqual(facet(all, 'collection'), { summer: 2 });
    assert.deepEqual(facet(all, 'price'), { '0-1000': 1, '1000-2500': 3, '2500-5000': 1 });
    assert.deepEqual(facet(all, 'Size'), { S: 1, M: 2, L: 2 });
    assert.deepEqual(facet(all, 'Colour'), { Blue: 2, Black: 1, Red: 1 });
    // Option values keep their display order, not the alphabet's.
    assert.deepEqual(
      all.facets.find((f) => f.name === 'Size')?.values.map((v) => v.value),
      ['S', 'M', 'L'],
    );
  });

  it('matches free text, the name weighing most', async () => {
    const mugs = await search({ query: 'mug' });
    assert.deepEqual(new Set(slugs(mugs)), new Set(['classic-mug', 'travel-mug']));
    const tea = await search({ query: 'tea mug' });
    assert.equal(slugs(tea)[0], 'classic-mug');
  });

  it('counts each facet under every filter but its own', async () => {
    const answer = await search({
      filters: [
        { name: 'category', values: ['apparel'] },
        { name: 'Size', values: ['M'] },
      ],
    });
    assert.deepEqual(new Set(slugs(answer)), new Set(['logo-tee', 'grey-hoodie']));
    assert.equal(answer.total, 2);
    // Categories under Size=M: only apparel has an M.
    assert.deepEqual(facet(answer, 'category'), { apparel: 2 });
    // Sizes under category=apparel, whatever the size filter says.
    assert.deepEqual(facet(answer, 'Size'), { S: 1, M: 2, L: 2 });
    // Colours under both filters: the tee's M comes in Blue and Black.
    assert.deepEqual(facet(answer, 'Colour'), { Blue: 1, Black: 1 });
  });

  it('holds option, price and stock filters for one variant together', async () => {
    // Blue and in stock: the tee (S and L Blue) and the notebook.
    const blue = await search({
      filters: [{ name: 'Colour', values: ['Blue'] }],
      inStockOnly: true,
    });
    assert.deepEqual(new Set(slugs(blue)), new Set(['logo-tee', 'pocket-notebook']));
    // Its sizes in stock in Blue: S and L; M is chosen but sold out in Blue.
    const blueM = await search({
      filters: [
        { name: 'Colour', values: ['Blue'] },
        { name: 'Size', values: ['M'] },
      ],
      inStockOnly: true,
    });
    assert.equal(blueM.total, 0);
    assert.deepEqual(facet(blueM, 'Size'), { S: 1, L: 1, M: 0 });
    // Out-of-stock products leave: the travel mug and nothing else.
    const inStock = await search({ inStockOnly: true });
    assert.equal(inStock.total, 4);
    assert.ok(!slugs(inStock).includes('travel-mug'));
  });

  it('filters and counts price ranges in minor units', async () => {
    const answer = await search({ filters: [{ name: 'price', values: ['1000-2000'] }] });
    assert.deepEqual(new Set(slugs(answer)), new Set(['logo-tee', 'classic-mug']));
    assert.deepEqual(facet(answer, 'price'), { '0-1000': 1, '1000-2500': 3, '2500-5000': 1 });
    const open = await search({ filters: [{ name: 'price', values: ['2500-'] }] });
    assert.deepEqual(slugs(open), ['grey-hoodie']);
  });

  it('sorts by price and pages with cursors, each product once', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page++) {
      const answer = await search({ sort: 'PRICE_ASC', first: 2, ...(after ? { after } : {}) });
      seen.push(...slugs(answer));
      if (!answer.products.pageInfo.hasNextPage) break;
      after = answer.products.pageInfo.endCursor ?? undefined;
    }
    assert.deepEqual(seen, [
      'pocket-notebook',
      'classic-mug',
      'logo-tee',
      'travel-mug',
      'grey-hoodie',
    ]);
    const desc = await search({ sort: 'PRICE_DESC', first: 10 });
    assert.deepEqual(slugs(desc), [...seen].reverse());
  });

  it('refuses a bad price range and a cursor of another sort', async () => {
    const bad = await catalog.app.inject({
      method: 'POST',
      url: '/search',
      payload: { filters: [{ name: 'price', values: ['cheap'] }] },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.details.field, 'filters[0].values[0]');
    const cursor = (await search({ sort: 'PRICE_ASC', first: 1 })).products.pageInfo.endCursor;
    const mixed = await catalog.app.inject({
      method: 'POST',
      url: '/search',
      payload: { sort: 'NEWEST', after: cursor },
    });
    assert.equal(mixed.statusCode, 400);
    assert.equal(mixed.json().error.code, 'BAD_USER_INPUT');
  });

  it("follows inventory's stock events, never going back to an older level", async () => {
    const handler = createCatalogEventsHandler(
      {
        runtime: { nodeEnv: 'test', logLevel: 'error' },
        mongo: { ...integrationConfig().mongo, dbName: catalog.dbName },
        kafka: integrationConfig().kafka,
        events: { topicPrefix: uniqueName('it.search.') },
        inventoryAddress: `127.0.0.1:${catalog.inventory.port}`,
        media: catalog.bucket.config,
      },
      testLogger(),
    );
    const stockChanged = (available: number, version: number, offset: number) => ({
      topic: 'inventory',
      partition: 0,
      offset,
      timestamp: Date.now(),
      key: Buffer.from('S-TEE-M-BLUE'),
      value: Buffer.from(
        JSON.stringify(
          newEvent(
            'StockChanged',
            { sku: 'S-TEE-M-BLUE', available, reserved: 0, sold: 0, cause: 'restock', version },
            { source: 'inventory', subject: 'S-TEE-M-BLUE' },
          ),
        ),
      ),
    });
    const deliver = (...records: ReturnType<typeof stockChanged>[]) =>
      handler(
        buildKafkaLambdaEvent(
          { eventSource: 'SelfManagedKafka', bootstrapServers: 'test' },
          records,
        ),
      );
    const blueM = {
      filters: [
        { name: 'Colour', values: ['Blue'] },
        { name: 'Size', values: ['M'] },
      ],
      inStockOnly: true,
    };
    try {
      await deliver(stockChanged(3, 10, 0));
      assert.deepEqual(slugs(await search(blueM)), ['logo-tee'], 'restocked: found');
      // An older level arriving late (a retried batch, another replica) changes nothing.
      await deliver(stockChanged(0, 9, 1));
      assert.deepEqual(slugs(await search(blueM)), ['logo-tee'], 'the older level is ignored');
      await deliver(stockChanged(0, 11, 2));
      assert.equal((await search(blueM)).total, 0, 'sold out: gone');
    } finally {
      await handler.close();
    }
  });

  it('finds the product of a stock level through the SKU index, not a scan of the catalog', async () => {
    const plan = await catalog.mongo.db
      .collection('products')
      .find(olderStockOf({ sku: 'S-TEE-M-BLUE', version: Number.MAX_SAFE_INTEGER }))
      .explain('executionStats');
    assert.equal(plan.executionStats.nReturned, 1);
    assert.equal(plan.executionStats.totalDocsExamined, 1, 'one product read, not every one');
  });
});
