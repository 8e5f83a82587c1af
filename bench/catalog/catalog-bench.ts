import type { Browser } from 'playwright-core';
import {
  launchBrowser,
  type ShopUnderTest,
  startShop,
} from '../../frontend/browser-tests/shop-under-test.js';
import { type GraphqlAnswer, postGraphql } from '../../localstack/platform/graphql-client.js';
import { catalogVisit, type Timing, timed, timing } from '../storefront/storefront-bench.js';
import {
  BENCH_CATEGORIES,
  BENCH_COLLECTIONS,
  BENCH_SIZES,
  benchCatalogCsv,
  benchHandle,
  benchProductWord,
  benchSku,
  hasLastUnit,
} from './catalog-fixture.js';

/** What the storefront's product page asks (frontend/src/graphql/documents.ts, ProductQuery). */
const IMAGE = 'id url alt width height renditions { url width height }';
const PRODUCT_FIELDS = `id sku slug name description category priceCents currency
  stock { sku available reserved } options { name values }
  variants { id sku title options { name value } priceCents currency stock { sku available reserved } image { ${IMAGE} } }
  images { ${IMAGE} } collections { slug title }`;
const PRODUCT_PAGE = `query($slug: String!) { product(slug: $slug) { ${PRODUCT_FIELDS} createdAt } }`;
/** What the search page asks (SearchQuery): a page of products and every facet. */
const SEARCH = `query($query: String, $filters: [FacetFilter!], $inStockOnly: Boolean, $first: Int) {
  search(query: $query, filters: $filters, inStockOnly: $inStockOnly, first: $first) {
    total facets { name values { value count } }
    products { edges { cursor node { ${PRODUCT_FIELDS} } } pageInfo { hasNextPage endCursor } }
  }
}`;

export interface CatalogRun {
  products: number;
  variants: number;
  /** The CSV import, from importProducts to SUCCEEDED seen by polling every 100 ms. */
  import: { seconds: number; productsPerSecond: number; csvBytes: number };
  /** `search` with two filters (a category and a size), in stock only, and every facet. */
  search: Timing;
  /** The product page's query, a random product each time. */
  productPage: Timing;
  /** Navigation to the first product on screen, in Chromium, fresh context each time. */
  catalogShown: Timing;
  /** A variant's last unit sold: from inventory showing 0 to in-stock search leaving it out. */
  soldOutLeavesSearch: Timing;
}

export interface CatalogBenchResult {
  settings: { queries: number; navigations: number; sellOuts: number };
  small: CatalogRun;
  large: CatalogRun;
  /** Large over small, p50 and p99, measured in the same run. */
  ratios: Record<'search' | 'productPage' | 'catalogShown', { p50: number; p99: number }>;
}

function must<T>(answer: GraphqlAnswer<T>, what: string): T {
  if (!answer.data || answer.errors?.length) {
    throw new Error(`${what}: ${JSON.stringify(answer.errors ?? answer)}`);
  }
  return answer.data;
}

async function adminToken(shop: ShopUnderTest): Promise<string> {
  const login = await postGraphql<{ login: { token: string } }>(
    shop.graphqlUrl,
    'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
    shop.admin,
  );
  return must(login, 'admin login').login.token;
}

/** Uploads the CSV as the admin page does, imports it and waits for the import to succeed. */
async function importCatalog(shop: ShopUnderTest, token: string, csv: string) {
  for (const title of BENCH_COLLECTIONS) {
    must(
      await postGraphql(
        shop.graphqlUrl,
        'mutation($input: CollectionInput!) { createCollection(input: $input) { id } }',
        { input: { title, slug: title } },
        token,
      ),
      'createCollection',
    );
  }
  const bytes = Buffer.from(csv);
  const upload = must(
    await postGraphql<{
      createUpload: { id: string; url: string; headers: { name: string; value: string }[] };
    }>(
      shop.graphqlUrl,
      'mutation($input: UploadInput!) { createUpload(input: $input) { id url headers { name value } } }',
      { input: { kind: 'PRODUCT_CSV', contentType: 'text/csv', byteSize: bytes.length } },
      token,
    ),
    'createUpload',
  ).createUpload;
  const put = await fetch(upload.url, {
    method: 'PUT',
    body: new Uint8Array(bytes),
    headers: Object.fromEntries(upload.headers.map((h) => [h.name, h.value])),
  });
  if (!put.ok) throw new Error(`CSV upload: HTTP ${put.status}`);
  const started = performance.now();
  const queued = must(
    await postGraphql<{ importProducts: { id: string } }>(
      shop.graphqlUrl,
      'mutation($id: ID!) { importProducts(uploadId: $id) { id } }',
      { id: upload.id },
      token,
    ),
    'importProducts',
  ).importProducts;
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    const state = must(
      await postGraphql<{
        productImport: { status: string; created: number; problems: { message: string }[] };
      }>(
        shop.graphqlUrl,
        'query($id: ID!) { productImport(id: $id) { status created problems { row column message } } }',
        { id: queued.id },
        token,
      ),
      'productImport',
    ).productImport;
    if (state.status === 'SUCCEEDED') {
      return { seconds: (performance.now() - started) / 1000, created: state.created };
    }
    if (state.status === 'FAILED') throw new Error(`import failed: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the import did not finish within 10 minutes');
}

/** Two filters, varied from query to query, so no answer is the same twice in a row. */
function searchVariables(n: number) {
  return {
    filters: [
      { name: 'category', values: [BENCH_CATEGORIES[n % BENCH_CATEGORIES.length]] },
      { name: 'Size', values: [BENCH_SIZES[n % BENCH_SIZES.length]] },
    ],
    inStockOnly: true,
    first: 20,
  };
}

async function samples(count: number, one: (n: number) => Promise<unknown>): Promise<number[]> {
  for (let n = 0; n < 10; n++) await one(n); // warm-up: query plans, JIT, connections
  const times: number[] = [];
  for (let n = 0; n < count; n++) times.push(await timed(() => one(n)));
  return times;
}

/**
 * Buys the last unit of product `i`'s XS as a shopper, then polls inventory's stock and the
 * in-stock search side by side: the time between the stock reading 0 and the search leaving
 * the product out is how far search trails the stock events.
 */
async function sellOut(shop: ShopUnderTest, shopper: string, i: number): Promise<number> {
  const sku = benchSku(i, 'XS');
  must(
    await postGraphql(
      shop.graphqlUrl,
      'mutation($sku: String!) { addToCart(sku: $sku, quantity: 1) { subtotalCents } }',
      { sku },
      shopper,
    ),
    'addToCart',
  );
  must(
    await postGraphql(
      shop.graphqlUrl,
      'mutation($input: CheckoutInput!) { checkout(input: $input) { id } }',
      {
        input: {
          idempotencyKey: `bench-sell-out-${i}-${Date.now()}`,
          paymentToken: 'tok_visa',
          shippingAddress: {
            name: 'Bench Shopper',
            line1: '1 Loop Road',
            city: 'Localhost',
            postalCode: '12345',
            country: 'US',
          },
        },
      },
      shopper,
    ),
    'checkout',
  );
  const variables = {
    query: benchProductWord(i),
    filters: [{ name: 'Size', values: ['XS'] }],
    inStockOnly: true,
    first: 1,
  };
  let stockZeroAt: number | undefined;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const [stock, found] = await Promise.all([
      postGraphql<{ stock: { available: number }[] }>(
        shop.graphqlUrl,
        'query($skus: [String!]!) { stock(skus: $skus) { available } }',
        { skus: [sku] },
      ),
      postGraphql<{ search: { total: number } }>(
        shop.graphqlUrl,
        'query($query: String, $filters: [FacetFilter!], $inStockOnly: Boolean, $first: Int) { search(query: $query, filters: $filters, inStockOnly: $inStockOnly, first: $first) { total } }',
        variables,
      ),
    ]);
    const now = performance.now();
    if (stockZeroAt === undefined && must(stock, 'stock').stock[0]?.available === 0) {
      stockZeroAt = now;
    }
    if (must(found, 'search').search.total === 0) {
      // Both answers of one round: the projection kept up within the polling step.
      return stockZeroAt === undefined ? 0 : now - stockZeroAt;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`search still shows ${sku} in stock 30 s after the order`);
}

async function registerShopper(shop: ShopUnderTest): Promise<string> {
  const registered = await postGraphql<{ register: { token: string } }>(
    shop.graphqlUrl,
    'mutation($input: RegisterInput!) { register(input: $input) { token } }',
    {
      input: {
        email: `catalog-bench-${Date.now()}@example.com`,
        password: 'bench-pass-1234',
        name: 'Bench',
      },
    },
  );
  return must(registered, 'register').register.token;
}

async function measureCatalog(
  browser: Browser,
  products: number,
  settings: CatalogBenchResult['settings'],
): Promise<CatalogRun> {
  // One client asks thousands of times a minute: the per-client limit would refuse it.
  const shop = await startShop({
    SEED_DEMO_CATALOG: 'false',
    GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  try {
    const token = await adminToken(shop);
    const csv = benchCatalogCsv(products);
    const imported = await importCatalog(shop, token, csv);
    if (imported.created !== products) {
      throw new Error(`the import created ${imported.created} of ${products} products`);
    }
    const search = await samples(settings.queries, async (n) => {
      const answer = must(
        await postGraphql<{ search: { total: number } }>(
          shop.graphqlUrl,
          SEARCH,
          searchVariables(n),
        ),
        'search',
      );
      if (answer.search.total === 0 && products > BENCH_CATEGORIES.length) {
        throw new Error('the benchmark search found nothing');
      }
    });
    // Spread over the catalog by a stride coprime with its size: every page a different product.
    const productPage = await samples(settings.queries, async (n) => {
      const slug = benchHandle((n * 7_919) % products);
      const answer = must(
        await postGraphql<{ product: { variants: unknown[] } | null }>(
          shop.graphqlUrl,
          PRODUCT_PAGE,
          { slug },
        ),
        'product',
      );
      if (answer.product?.variants.length !== BENCH_SIZES.length) {
        throw new Error(`product ${slug} not found whole`);
      }
    });
    await catalogVisit(browser, shop.url); // warm-up
    const shown: number[] = [];
    for (let n = 0; n < settings.navigations; n++) {
      shown.push((await catalogVisit(browser, shop.url)).ms);
    }
    const shopper = await registerShopper(shop);
    const lastUnits = Array.from({ length: products }, (_, i) => i).filter(hasLastUnit);
    const soldOut: number[] = [];
    for (const i of lastUnits.slice(0, settings.sellOuts))
      soldOut.push(await sellOut(shop, shopper, i));
    return {
      products,
      variants: products * BENCH_SIZES.length,
      import: {
        seconds: Math.round(imported.seconds * 10) / 10,
        productsPerSecond: Math.round(products / imported.seconds),
        csvBytes: Buffer.byteLength(csv),
      },
      search: timing(search),
      productPage: timing(productPage),
      catalogShown: timing(shown),
      soldOutLeavesSearch: timing(soldOut),
    };
  } finally {
    await shop.stop();
  }
}

/**
 * The catalog at scale: 10,000 products with 50,000 variants imported from CSV, then faceted
 * search, the product page's query and the catalog page in Chromium, each beside the same on an
 * 8-product catalog measured in the same run; and how soon a sold-out variant leaves in-stock
 * search.
 */
export async function benchCatalog(
  options: { products?: number; queries?: number; navigations?: number; sellOuts?: number } = {},
): Promise<CatalogBenchResult> {
  const settings = {
    queries: options.queries ?? 300,
    navigations: options.navigations ?? 20,
    sellOuts: options.sellOuts ?? 5,
  };
  const browser = await launchBrowser();
  try {
    const small = await measureCatalog(browser, 8, settings);
    const large = await measureCatalog(browser, options.products ?? 10_000, settings);
    const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : 0);
    const both = (key: 'search' | 'productPage' | 'catalogShown') => ({
      p50: ratio(large[key].p50Ms, small[key].p50Ms),
      p99: ratio(large[key].p99Ms, small[key].p99Ms),
    });
    return {
      settings,
      small,
      large,
      ratios: {
        search: both('search'),
        productPage: both('productPage'),
        catalogShown: both('catalogShown'),
      },
    };
  } finally {
    await browser.close();
  }
}
