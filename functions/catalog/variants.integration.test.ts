import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type CatalogUnderTest,
  startCatalogUnderTest,
} from '../../test-support/catalog-under-test.js';

const SIZES = ['S', 'M', 'L'];
const COLOURS = ['Blue', 'Black'];

/** A T-shirt in three sizes and two colours: six variants, each with its own SKU and stock. */
const teeInput = (prefix: string, extra: Record<string, unknown> = {}) => {
  const combos = SIZES.flatMap((size) => COLOURS.map((colour) => ({ size, colour })));
  const [first, ...rest] = combos.map(({ size, colour }, i) => ({
    sku: `${prefix}-${size}-${colour.toUpperCase()}`,
    options: [
      { name: 'Size', value: size },
      { name: 'Colour', value: colour },
    ],
    priceCents: size === 'L' ? 2200 : 2000,
    initialStock: i + 1,
  }));
  return {
    sku: first?.sku,
    name: `${prefix} Tee`,
    description: 'Organic cotton',
    category: 'apparel',
    priceCents: first?.priceCents,
    currency: 'EUR',
    initialStock: first?.initialStock,
    options: [
      { name: 'Size', values: SIZES },
      { name: 'Colour', values: COLOURS },
    ],
    variantOptions: first?.options,
    variants: rest,
    ...extra,
  };
};

describe('catalog variants and collections (inject, real MongoDB and inventory)', () => {
  let catalog: CatalogUnderTest;

  before(async () => {
    catalog = await startCatalogUnderTest('variants');
  });

  after(() => catalog.close());

  const send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    catalog.app.inject({
      method,
      url,
      headers: catalog.as(catalog.tokens.admin),
      ...(payload ? { payload } : {}),
    });

  it('creates a product with two options and six variants, each with its own SKU, price and stock', async () => {
    const created = await send('POST', '/products', teeInput('TEE'));
    assert.equal(created.statusCode, 201, created.body);
    const product = created.json();
    assert.deepEqual(product.options, [
      { name: 'Size', values: ['S', 'M', 'L'] },
      { name: 'Colour', values: ['Blue', 'Black'] },
    ]);
    assert.deepEqual(
      product.variants.map((v: { sku: string; title: string; priceCents: number }) => [
        v.sku,
        v.title,
        v.priceCents,
      ]),
      [
        ['TEE-S-BLUE', 'S / Blue', 2000],
        ['TEE-S-BLACK', 'S / Black', 2000],
        ['TEE-M-BLUE', 'M / Blue', 2000],
        ['TEE-M-BLACK', 'M / Black', 2000],
        ['TEE-L-BLUE', 'L / Blue', 2200],
        ['TEE-L-BLACK', 'L / Black', 2200],
      ],
    );
    assert.equal(product.sku, 'TEE-S-BLUE', "the product's SKU is its first variant's");
    const levels = await catalog.stock.getStock(
      product.variants.map((v: { sku: string }) => v.sku),
    );
    assert.deepEqual(
      levels.map((level) => level.available),
      [1, 2, 3, 4, 5, 6],
    );
  });

  it('adds a variant, the product gaining the values it names, and changes and removes variants', async () => {
    const id = (await send('GET', '/products/tee-tee')).json().id;
    const added = await send('POST', `/products/${id}/variants`, {
      sku: 'TEE-XL-RED',
      options: [
        { name: 'Colour', value: 'Red' },
        { name: 'Size', value: 'XL' },
      ],
      priceCents: 2500,
      initialStock: 9,
    });
    assert.equal(added.statusCode, 201, added.body);
    assert.deepEqual(added.json().options, [
      { name: 'Size', values: ['S', 'M', 'L', 'XL'] },
      { name: 'Colour', values: ['Blue', 'Black', 'Red'] },
    ]);
    assert.equal(added.json().variants.at(-1).title, 'XL / Red');
    assert.equal((await catalog.stock.getStock(['TEE-XL-RED']))[0]?.available, 9);

    const repriced = await send('PATCH', '/variants/TEE-XL-RED', { priceCents: 2600 });
    assert.equal(repriced.json().variants.at(-1).priceCents, 2600);

    const removed = await send('DELETE', '/variants/TEE-XL-RED');
    assert.equal(removed.statusCode, 200);
    assert.deepEqual(removed.json().options, [
      { name: 'Size', values: ['S', 'M', 'L'] },
      { name: 'Colour', values: ['Blue', 'Black'] },
    ]);
    assert.equal(removed.json().variants.length, 6);
  });

  it('refuses bad variants with a clear error naming the field, and writes nothing', async () => {
    const id = (await send('GET', '/products/tee-tee')).json().id;
    type Answer = { error: { message: string; details?: { field?: string } } };
    const cases: [string, () => Promise<{ statusCode: number; json(): Answer }>, number, RegExp][] =
      [
        [
          'an option the product does not have',
          () =>
            send('POST', `/products/${id}/variants`, {
              sku: 'TEE-FIT',
              options: [
                { name: 'Size', value: 'M' },
                { name: 'Colour', value: 'Blue' },
                { name: 'Fit', value: 'Slim' },
              ],
              priceCents: 1,
            }),
          400,
          /Unknown option "Fit"/,
        ],
        [
          'the options of another variant',
          () =>
            send('POST', `/products/${id}/variants`, {
              sku: 'TEE-M-BLUE-2',
              options: [
                { name: 'Size', value: 'M' },
                { name: 'Colour', value: 'Blue' },
              ],
              priceCents: 1,
            }),
          400,
          /same options \(M \/ Blue\) as TEE-M-BLUE/,
        ],
        [
          'a value the declared options do not list',
          () =>
            send(
              'POST',
              '/products',
              teeInput('BAD', {
                variantOptions: [
                  { name: 'Size', value: 'XXL' },
                  { name: 'Colour', value: 'Blue' },
                ],
              }),
            ),
          400,
          /Unknown value "XXL" of option "Size"/,
        ],
        [
          "another product's SKU",
          () =>
            send('POST', '/products', {
              ...teeInput('DUP'),
              variants: [
                {
                  sku: 'TEE-S-BLUE',
                  options: [
                    { name: 'Size', value: 'S' },
                    { name: 'Colour', value: 'Black' },
                  ],
                  priceCents: 1,
                },
              ],
            }),
          409,
          /sku "TEE-S-BLUE" already exists/,
        ],
        [
          'a 101st variant',
          () =>
            send('POST', '/products', {
              sku: 'N-0',
              name: 'Numbered',
              description: '',
              category: 'tests',
              priceCents: 1,
              currency: 'EUR',
              variantOptions: [{ name: 'Number', value: '0' }],
              variants: Array.from({ length: 100 }, (_, n) => ({
                sku: `N-${n + 1}`,
                options: [{ name: 'Number', value: String(n + 1) }],
                priceCents: 1,
              })),
            }),
          400,
          /at most 100 variants/,
        ],
      ];
    for (const [what, attempt, status, message] of cases) {
      const response = await attempt();
      assert.equal(response.statusCode, status, what);
      assert.match(response.json().error.message, message, what);
      assert.ok(response.json().error.details?.field, `${what}: names the field`);
    }
    // Nothing of the refused products exists: no product, no stock.
    for (const slug of ['bad-tee', 'dup-tee', 'numbered']) {
      assert.equal((await send('GET', `/products/${slug}`)).statusCode, 404, slug);
    }
    const [bad] = await catalog.stock.getStock(['BAD-S-BLUE']);
    assert.equal(bad?.version, 0, 'no stock record for a refused product');
    assert.equal((await send('GET', '/products/tee-tee')).json().variants.length, 6);
  });

  it('groups products into collections with a page each', async () => {
    const summer = await send('POST', '/collections', {
      title: 'Summer Essentials',
      description: 'Light and bright',
    });
    assert.equal(summer.statusCode, 201);
    assert.equal(summer.json().slug, 'summer-essentials');
    assert.equal(
      (await send('POST', '/collections', { title: 'Summer essentials!' })).statusCode,
      409,
    );

    const cap = await send('POST', '/products', {
      sku: 'CAP-1',
      name: 'Sun Cap',
      description: '',
      category: 'apparel',
      priceCents: 1500,
      currency: 'EUR',
      collections: ['summer-essentials'],
    });
    assert.equal(cap.statusCode, 201, cap.body);
    assert.deepEqual(
      cap.json().collections.map((c: { slug: string }) => c.slug),
      ['summer-essentials'],
    );
    const teeId = (await send('GET', '/products/tee-tee')).json().id;
    const tee = await send('PATCH', `/products/${teeId}`, { collections: ['summer-essentials'] });
    assert.equal(tee.json().collections[0].title, 'Summer Essentials');

    const page = await catalog.app.inject({
      method: 'GET',
      url: '/collections/summer-essentials/products?first=10',
    });
    assert.deepEqual(
      page.json().edges.map((edge: { node: { slug: string } }) => edge.node.slug),
      ['sun-cap', 'tee-tee'],
    );
    const unknown = await send('PATCH', `/products/${teeId}`, { collections: ['winter'] });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json().error.message, /No collection winter/);
    const list = await catalog.app.inject({ method: 'GET', url: '/collections' });
    assert.deepEqual(
      list.json().collections.map((c: { slug: string }) => c.slug),
      ['summer-essentials'],
    );
    // A page of products names its collections by id, with no read of them; one look-up
    // answers for the whole page.
    const node = page.json().edges[0].node;
    assert.equal(node.collections, undefined);
    assert.deepEqual(node.collectionIds, [summer.json().id]);
    const looked = await send('POST', '/collections/lookup', {
      ids: [summer.json().id, '000000000000000000000000', 'not-an-id'],
    });
    assert.deepEqual(
      looked.json().collections.map((c: { title: string }) => c.title),
      ['Summer Essentials'],
    );
  });

  it('lets only admins change variants and collections', async () => {
    for (const token of [undefined, catalog.tokens.customer]) {
      const headers = catalog.as(token);
      const attempts = [
        catalog.app.inject({
          method: 'PATCH',
          url: '/variants/TEE-S-BLUE',
          headers,
          payload: { priceCents: 1 },
        }),
        catalog.app.inject({ method: 'DELETE', url: '/variants/TEE-S-BLUE', headers }),
        catalog.app.inject({
          method: 'POST',
          url: '/collections',
          headers,
          payload: { title: 'x' },
        }),
      ];
      for (const response of await Promise.all(attempts)) {
        assert.equal(response.statusCode, token ? 403 : 401);
      }
    }
  });
});
