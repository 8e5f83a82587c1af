/// <reference lib="dom" />
// Code inside page.evaluate() runs in the browser, hence the DOM types.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import {
  launchBrowser,
  type ShopUnderTest,
  startShop,
} from '../../frontend/browser-tests/shop-under-test.js';
import { postGraphql } from '../../localstack/platform/graphql-client.js';
import { STOREFRONT_DIST } from '../../localstack/platform/storefront-build.js';
import { percentile } from '../lib/closed-loop.js';

export interface Timing {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface StorefrontBenchResult {
  settings: { navigations: number; adds: number; viewport: string };
  /** JavaScript the first page (the catalog) loads, each file gzipped as a server would. */
  firstPageJs: { files: number; bytes: number; gzipBytes: number };
  adminChunkGzipBytes: number;
  /** From navigation start to the first product on screen, in a fresh browser context. */
  catalogShown: Timing;
  /** The same query (`products(first: 12)`) asked from Node: the page's data cost alone. */
  catalogQuery: Timing;
  /** From the click on "Add to cart" to "Added to cart" on screen, signed in (server cart). */
  addToCartSignedIn: Timing;
  /** The same, as a guest (the cart is kept in the browser). */
  addToCartGuest: Timing;
  /** The `addToCart` mutation asked from Node: the server's part of a signed-in add. */
  addToCartMutation: Timing;
  ratios: { catalogShownToQuery: number; addToCartToMutation: number };
}

export function timing(values: number[]): Timing {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    samples: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

const CATALOG_QUERY =
  'query($first: Int) { products(first: $first) { edges { cursor node { id sku slug name description category priceCents currency stock { sku available reserved } } } pageInfo { hasNextPage endCursor } } }';

export async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** One navigation to the catalog in a new context (empty cache); returns the JS it loaded. */
export async function catalogVisit(browser: Browser, url: string) {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
  const page = await context.newPage();
  const scripts: Promise<{ url: string; body: Buffer }>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') {
      scripts.push(response.body().then((body) => ({ url: response.url(), body })));
    }
  });
  const started = performance.now();
  await page.goto(url);
  await page.locator('.product-card h2').first().waitFor();
  const ms = performance.now() - started;
  const loaded = await Promise.all(scripts);
  await context.close();
  return { ms, scripts: loaded };
}

/**
 * Clicks "Add to cart" in the page and waits, in the page, for its status to read "Added to
 * cart" after "Adding…": the time the shopper waits for a visible answer.
 */
function clickAndWaitForAdded(page: Page, label: string): Promise<number> {
  return page.evaluate(async (wanted) => {
    const button = Array.from(document.querySelectorAll('button')).find(
      (candidate) => candidate.getAttribute('aria-label') === wanted,
    );
    const status = document.getElementById(button?.getAttribute('aria-describedby') ?? '');
    if (!button || !status) throw new Error(`no button ${wanted}`);
    return new Promise<number>((resolve, reject) => {
      let adding = false;
      const observer = new MutationObserver(() => {
        const text = status.textContent ?? '';
        if (text === 'Adding…') adding = true;
        else if (adding && text === 'Added to cart') {
          observer.disconnect();
          resolve(performance.now() - started);
        } else if (adding && text !== '') {
          observer.disconnect();
          reject(new Error(`add failed: ${text}`));
        }
      });
      observer.observe(status, { childList: true, characterData: true, subtree: true });
      const started = performance.now();
      button.click();
    });
  }, label);
}

async function addToCartTimes(
  browser: Browser,
  shop: ShopUnderTest,
  adds: number,
  session: { token: string; user: unknown } | undefined,
): Promise<number[]> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
  if (session) {
    await context.addInitScript((stored) => {
      localStorage.setItem('orderly.session', JSON.stringify(stored));
    }, session);
  }
  const page = await context.newPage();
  await page.goto(`${shop.url}?q=mug`);
  const labels = ['Add to cart: Classic Mug', 'Add to cart: Travel Mug'];
  await page.getByRole('button', { name: labels[0] }).waitFor();
  const times: number[] = [];
  for (let i = 0; i < adds; i++) {
    times.push(await clickAndWaitForAdded(page, labels[i % labels.length] as string));
    // The next click needs the status to change again: leave the "Added" of this one.
    await page.waitForTimeout(20);
  }
  await context.close();
  return times;
}

/**
 * The storefront as a shopper meets it, in Chromium against the whole platform (embedded
 * mode): the JavaScript of the first page, the time until the catalog shows products, and the
 * time until "Add to cart" answers, each beside the API call it rests on, measured in the same
 * run.
 */
export async function benchStorefront(
  options: { navigations?: number; adds?: number } = {},
): Promise<StorefrontBenchResult> {
  const navigations = options.navigations ?? 20;
  const adds = options.adds ?? 40;
  const [shop, browser] = await Promise.all([startShop(), launchBrowser()]);
  try {
    // Warm-up: the first visit compiles the gateway's queries and fills the OS caches.
    const first = await catalogVisit(browser, shop.url);
    const shown: number[] = [];
    for (let i = 0; i < navigations; i++) shown.push((await catalogVisit(browser, shop.url)).ms);
    const query: number[] = [];
    for (let i = 0; i < navigations; i++) {
      query.push(await timed(() => postGraphql(shop.graphqlUrl, CATALOG_QUERY, { first: 12 })));
    }

    const email = `bench-${Date.now()}@example.com`;
    const registered = await postGraphql<{
      register: { token: string; user: { id: string; email: string; name: string; role: string } };
    }>(
      shop.graphqlUrl,
      'mutation($input: RegisterInput!) { register(input: $input) { token user { id email name role } } }',
      { input: { email, password: 'bench-pass-1234', name: 'Bench' } },
    );
    const session = registered.data?.register;
    if (!session) throw new Error(JSON.stringify(registered.errors));
    const signedIn = await addToCartTimes(browser, shop, adds, session);
    const guest = await addToCartTimes(browser, shop, adds, undefined);
    const mutation: number[] = [];
    for (let i = 0; i < adds; i++) {
      mutation.push(
        await timed(() =>
          postGraphql(
            shop.graphqlUrl,
            'mutation($sku: String!) { addToCart(sku: $sku, quantity: 1) { subtotalCents items { sku quantity lineTotalCents product { id sku slug name priceCents currency stock { sku available reserved } } } } }',
            { sku: i % 2 ? 'MUG-TRAVEL' : 'MUG-CLASSIC' },
            session.token,
          ),
        ),
      );
    }

    const js = first.scripts;
    const gz = (body: Buffer) => gzipSync(body).length;
    const adminChunk = readdirSync(join(STOREFRONT_DIST, 'assets')).find((file) =>
      /^admin-page-.*\.js$/.test(file),
    );
    const adminBody = adminChunk
      ? readFileSync(join(STOREFRONT_DIST, 'assets', adminChunk))
      : Buffer.alloc(0);

    const catalogShown = timing(shown);
    const catalogQuery = timing(query);
    const addToCartSignedIn = timing(signedIn);
    const addToCartMutation = timing(mutation);
    const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10) / 10 : 0);
    return {
      settings: { navigations, adds, viewport: '375x812' },
      firstPageJs: {
        files: js.length,
        bytes: js.reduce((sum, file) => sum + file.body.length, 0),
        gzipBytes: js.reduce((sum, file) => sum + gz(file.body), 0),
      },
      adminChunkGzipBytes: gz(adminBody),
      catalogShown,
      catalogQuery,
      addToCartSignedIn,
      addToCartGuest: timing(guest),
      addToCartMutation,
      ratios: {
        catalogShownToQuery: ratio(catalogShown.p50Ms, catalogQuery.p50Ms),
        addToCartToMutation: ratio(addToCartSignedIn.p50Ms, addToCartMutation.p50Ms),
      },
    };
  } finally {
    await browser.close();
    await shop.platform.stop();
  }
}
