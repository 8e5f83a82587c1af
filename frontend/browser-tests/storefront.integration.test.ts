/// <reference lib="dom" />
// Code inside page.evaluate() runs in the browser, hence the DOM types.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { postGraphql } from '../../localstack/platform/graphql-client.js';
import { listSentMail } from '../../shared/email/mail-sender.js';
import { uniqueName } from '../../test-support/integration-env.js';
import {
  apiToken,
  checkPage,
  launchBrowser,
  ordersOf,
  type ShopUnderTest,
  startShop,
  watchPage,
} from './shop-under-test.js';

const PASSWORD = 'browser-pass-1';
/** How long an order may take to reach a final state on a loaded 2-core machine. */
const FINAL_WITHIN = { timeout: 60_000 };
const PHONE = { viewport: { width: 375, height: 812 } };

/**
 * The storefront in a real browser (Debian's Chromium through playwright-core) against the
 * whole platform: the shopper's flows, live stock and live order status, the idempotent
 * order button, logout, keyboard use and axe-core on every page, on a 375 px wide screen.
 */
describe('the storefront in a browser', () => {
  let shop: ShopUnderTest;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    [shop, browser] = await Promise.all([startShop(), launchBrowser()]);
    // More products than one catalog page holds (12), in a category of their own.
    const adminToken = await apiToken(shop, shop.admin.email, shop.admin.password);
    for (let i = 1; i <= 14; i++) {
      const answer = await postGraphql(
        shop.graphqlUrl,
        'mutation($input: ProductInput!) { createProduct(input: $input) { id } }',
        {
          input: {
            sku: `PAGED-${i}`,
            name: `Paged poster ${i}`,
            description: 'A poster that fills a second catalog page.',
            category: 'posters',
            priceCents: 500 + i,
            currency: 'EUR',
            initialStock: 3,
          },
        },
        adminToken,
      );
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    }
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await shop?.stop();
  });

  async function newPage(
    options: Parameters<Browser['newContext']>[0] = PHONE,
    prepare?: (context: BrowserContext) => Promise<void>,
  ) {
    const context = await browser.newContext(options);
    contexts.push(context);
    await prepare?.(context);
    const page = await context.newPage();
    const problems = watchPage(page);
    return { context, page, problems };
  }

  /** Registers through the sign-in page; returns the email. */
  async function register(page: Page, name: string): Promise<string> {
    const email = `${uniqueName(name)}@example.com`;
    const form = page.getByRole('form', { name: 'Create an account' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Create account' }).click();
    return email;
  }

  async function fillAddress(page: Page, token: string) {
    await page.getByLabel('Street and number').fill('12 Analytical Row');
    await page.getByLabel('City').fill('London');
    await page.getByLabel('Postal code').fill('N1 9GU');
    await page.getByLabel('Country').selectOption('GB');
    await page.getByLabel('Payment token').fill(token);
  }

  /** Signs up on a fresh page, puts one product in the cart, and opens the checkout. */
  async function shopperAtCheckout(
    name: string,
    product: string,
    prepare?: (context: BrowserContext) => Promise<void>,
  ) {
    const opened = await newPage(PHONE, prepare);
    const { page } = opened;
    await page.goto(`${shop.url}sign-in?next=/checkout`);
    const email = await register(page, name);
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    await page.goto(`${shop.url}?q=${encodeURIComponent(product)}`);
    await page.getByRole('button', { name: `Add to cart: ${product}` }).click();
    await page.getByRole('status').filter({ hasText: 'Added to cart' }).waitFor();
    await page.getByRole('link', { name: 'Cart, 1 item' }).click();
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    return { ...opened, email };
  }

  /** The path and query of the first link matching `pattern` in the first mail to `to`. */
  async function mailedLink(to: string, pattern: RegExp): Promise<string> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const mails = await listSentMail(`${process.env.AWS_ENDPOINT_URL}/_aws/ses`);
      // Addresses are stored lower-cased.
      const address = to.toLowerCase();
      const text = mails.find((mail) => mail.Destination?.ToAddresses?.includes(address))?.Body
        .text_part;
      const found = text ? pattern.exec(text)?.[0] : undefined;
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`no mail to ${to} with ${pattern}`);
  }

  const storedToken = (page: Page) =>
    page.evaluate(() => {
      const session = localStorage.getItem('orderly.session');
      return session ? (JSON.parse(session) as { token: string }).token : undefined;
    });

  it('a guest browses, searches, filters and pages, then signs up with the cart kept, checks out with tok_visa and watches the order reach CONFIRMED without a reload', async () => {
    const { page, problems } = await newPage();
    await page.goto(shop.url);
    await page.getByRole('heading', { name: 'Shop', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Paged poster 14' }).waitFor();
    await checkPage(page, 'catalog');

    // Cursor paging: 12 posters, then "Show more" brings the other 2.
    await page.getByLabel('Category').selectOption('posters');
    await page.getByRole('heading', { name: 'Category: posters' }).waitFor();
    const posters = page.getByRole('heading', { level: 2, name: /Paged poster/ });
    await page.getByRole('link', { name: 'Paged poster 14' }).waitFor();
    assert.equal(await posters.count(), 12);
    await page.getByRole('button', { name: 'Show more products' }).click();
    await page.getByRole('link', { name: 'Paged poster 1', exact: true }).waitFor();
    assert.equal(await posters.count(), 14);
    assert.equal(await page.getByRole('button', { name: 'Show more products' }).count(), 0);

    // Search matches names case-insensitively, across categories.
    await page.getByLabel('Category').selectOption('');
    await page.getByLabel('Search products').fill('MUG');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Results for “MUG”' }).waitFor();
    await page.getByRole('link', { name: 'Travel Mug' }).waitFor();
    const found = await page.getByRole('heading', { level: 2 }).allTextContents();
    assert.deepEqual(found.sort(), ['Classic Mug', 'Travel Mug']);
    await page.getByRole('button', { name: 'Add to cart: Travel Mug' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to cart' }).waitFor();

    // The product page, then add as a guest: the answer shows beside the button.
    await page.getByRole('link', { name: 'Classic Mug' }).click();
    await page.getByRole('heading', { name: 'Classic Mug', level: 1 }).waitFor();
    await page.getByText('50 in stock').waitFor();
    await checkPage(page, 'product');
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to cart: Classic Mug' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to cart' }).waitFor();
    await page.getByRole('link', { name: 'Cart, 3 items' }).click();
    await page.getByRole('heading', { name: 'Your cart' }).waitFor();
    await page.getByText('Subtotal: €48.00').waitFor();
    await checkPage(page, 'cart');
    // Quantities: typed, then stepped back down with the buttons.
    await page.getByLabel('Quantity of Travel Mug').fill('3');
    await page.getByLabel('Quantity of Travel Mug').press('Enter');
    await page.getByText('Subtotal: €96.00').waitFor();
    await page.getByRole('button', { name: 'One fewer Travel Mug' }).click();
    await page.getByText('Subtotal: €72.00').waitFor();
    await page.getByRole('button', { name: 'One fewer Travel Mug' }).click();
    await page.getByText('Subtotal: €48.00').waitFor();
    assert.equal(await page.getByLabel('Quantity of Travel Mug').inputValue(), '1');

    // The guest cart survives a reload, and joins the new account's cart at sign-up.
    await page.reload();
    await page.getByText('Subtotal: €48.00').waitFor();
    await page.getByRole('link', { name: 'Sign in to check out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await checkPage(page, 'sign-in');
    await register(page, 'Ada');
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    await page.getByText('2 × Classic Mug').waitFor();
    await page.getByText('1 × Travel Mug').waitFor();
    await page.getByText('Total: €48.00').waitFor();
    assert.equal(
      await page.evaluate(() => localStorage.getItem('orderly.guest-cart')),
      '[]',
      'the merged guest cart is emptied',
    );
    await fillAddress(page, 'tok_visa');
    await checkPage(page, 'checkout');

    // Placing the order; then no reload happens while it moves on.
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'same document';
    });
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('heading', { name: /^Order / }).waitFor();
    const status = page.locator('.order-status-line strong');
    await status.filter({ hasText: 'Confirmed' }).waitFor(FINAL_WITHIN);
    assert.equal(
      await page.evaluate(() => (window as unknown as { marker?: string }).marker),
      'same document',
      'the status changed without a reload',
    );
    const timeline = page.getByRole('list', { name: 'Status history' });
    await timeline.getByText('Stock reserved').waitFor();
    assert.deepEqual(
      await timeline.locator('.timeline-step.done .timeline-status').allTextContents(),
      ['Pending', 'Stock reserved', 'Confirmed'],
    );
    await checkPage(page, 'order');

    await page.getByRole('link', { name: 'My orders' }).click();
    await page.getByRole('heading', { name: 'Your orders' }).waitFor();
    await page.getByRole('link', { name: /Order .*, Confirmed/ }).waitFor();
    await checkPage(page, 'orders');
    assert.deepEqual(problems, []);
  });

  it('a guest cart that cannot reach the platform at sign-up is kept, and joins on the next load', async () => {
    const { page, problems } = await newPage();
    await page.goto(`${shop.url}?category=stationery`);
    await page.getByRole('button', { name: 'Add to cart: Gel Pen' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to cart' }).waitFor();
    await page.getByRole('button', { name: 'Add to cart: A5 Notebook' }).click();
    await page.getByRole('link', { name: 'Cart, 2 items' }).waitFor();
    // Every add to the account's cart fails on the network while signing up.
    await page.route('**/graphql', (route) =>
      (route.request().postData() ?? '').includes('mutation AddToCart')
        ? route.abort('connectionreset')
        : route.continue(),
    );
    await page.goto(`${shop.url}sign-in?next=/cart`);
    await register(page, 'Offline');
    await page.getByRole('heading', { name: 'Your cart' }).waitFor();
    const kept = await page.evaluate(() => localStorage.getItem('orderly.guest-cart') ?? '[]');
    assert.equal((JSON.parse(kept) as unknown[]).length, 2, kept);
    // The network is back: the next page load adds both lines, once.
    await page.unroute('**/graphql');
    await page.reload();
    await page.getByRole('link', { name: 'Cart, 2 items' }).waitFor();
    await page.getByText('Subtotal: €11.50').waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('orderly.guest-cart')), '[]');
    const resets = problems.filter((problem) => problem.includes('ERR_CONNECTION_RESET'));
    assert.ok(resets.length > 0);
    assert.deepEqual(
      problems.filter((problem) => !resets.includes(problem)),
      [],
    );
  });

  it('tok_chargeDeclined ends in CANCELLED with the reason shown', async () => {
    const { page, problems } = await shopperAtCheckout('Declined', 'Gel Pen');
    await fillAddress(page, 'tok_chargeDeclined');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page
      .locator('.order-status-line strong')
      .filter({ hasText: 'Cancelled (payment declined)' })
      .waitFor(FINAL_WITHIN);
    await page
      .getByRole('list', { name: 'Status history' })
      .getByText('payment declined')
      .waitFor();
    assert.equal(await page.getByRole('button', { name: 'Cancel this order' }).count(), 0);
    assert.deepEqual(problems, []);
  });

  it('an admin restocks in a second browser and the shopper sees the stock change live', async () => {
    const shopper = await newPage();
    const shopperAdminChunks: string[] = [];
    shopper.page.on('request', (request) => {
      if (request.url().includes('admin-page')) shopperAdminChunks.push(request.url());
    });
    await shopper.page.goto(`${shop.url}products/grey-hoodie`);
    await shopper.page.getByText('15 in stock').waitFor();

    const admin = await newPage({ viewport: { width: 1280, height: 900 } });
    await admin.page.goto(`${shop.url}sign-in?next=/admin`);
    const login = admin.page.getByRole('form', { name: 'Log in' });
    await login.getByLabel('Email').fill(shop.admin.email);
    await login.getByLabel('Password').fill(shop.admin.password);
    await login.getByRole('button', { name: 'Log in' }).click();
    await admin.page.getByRole('heading', { name: 'Admin: products' }).waitFor();
    // The hoodie's M variant, the one its page opens on.
    await admin.page.getByLabel('Restock Grey Hoodie (M) by').fill('7');
    const hoodie = admin.page.locator('.admin-product').filter({ hasText: 'HOODIE-GREY' });
    await hoodie
      .getByRole('row', { name: /^M HOODIE-GREY/ })
      .getByRole('button', { name: 'Restock' })
      .click();

    // Pushed to both pages: nobody reloads.
    await shopper.page.getByText('22 in stock').waitFor({ timeout: 15_000 });
    await hoodie
      .getByRole('row', { name: /^M HOODIE-GREY/ })
      .getByText('22 in stock')
      .waitFor({ timeout: 15_000 });
    await checkPage(admin.page, 'admin');

    // Edit and create, through the admin's forms.
    await hoodie.getByRole('button', { name: 'Edit Grey Hoodie' }).click();
    await hoodie.locator('.edit-product').getByLabel('Price').fill('52.00');
    await hoodie.locator('.edit-product').getByRole('button', { name: 'Save' }).click();
    await hoodie.locator('.admin-product-head').getByText('€52.00').waitFor();
    await admin.page.getByText('Create a product').click();
    const create = admin.page.locator('.create-product');
    const sku = `LAMP-${Date.now()}`;
    await create.getByLabel('SKU').fill(sku);
    await create.getByLabel('Name', { exact: true }).fill('Desk Lamp');
    await create.getByLabel('Category', { exact: true }).fill('home');
    await create.getByLabel('Price (e.g. 12.50)').fill('35');
    await create.getByLabel('Initial stock').fill('4');
    await create.getByLabel('Description').fill('A lamp with a warm light.');
    await create.getByRole('button', { name: 'Create product' }).click();
    await create.getByRole('status').filter({ hasText: 'Created Desk Lamp' }).waitFor();
    await shopper.page.goto(`${shop.url}?q=desk%20lamp`);
    await shopper.page.getByText('Only 4 left').waitFor();
    await shopper.page.getByText('€35.00').waitFor();

    assert.deepEqual(shopperAdminChunks, [], 'shoppers never download the admin');
    assert.deepEqual([...shopper.problems, ...admin.problems], []);
  });

  it('a lost answer, a retry and a double click on the order button place one order', async () => {
    const { page, problems } = await shopperAtCheckout('Twice', 'A5 Notebook');
    await fillAddress(page, 'tok_visa');
    // The first checkout reaches the platform, but its answer never reaches the page.
    let lost = 0;
    await page.route('**/graphql', async (route) => {
      const body = route.request().postData() ?? '';
      if (lost === 0 && body.includes('mutation Checkout')) {
        lost++;
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('alert').filter({ hasText: 'cannot be reached' }).waitFor();
    assert.equal(lost, 1);
    // The browser reports the reset connection; that is the failure this test makes.
    const reset = problems.findIndex((problem) => problem.includes('ERR_CONNECTION_RESET'));
    assert.ok(reset >= 0, problems.join('\n'));
    problems.splice(reset, 1);

    // The shopper tries again, impatiently: two clicks, one intended purchase.
    await page.getByRole('button', { name: 'Place order' }).dblclick();
    await page.getByRole('heading', { name: /^Order / }).waitFor();
    const token = await storedToken(page);
    assert.ok(token);
    const orders = await ordersOf(shop, token);
    assert.equal(orders.length, 1, JSON.stringify(orders));
    assert.ok(page.url().endsWith(`/orders/${orders[0]?.id}`));

    // A new purchase, double-clicked at once: both clicks reach a cart that is still full.
    await page.goto(`${shop.url}?q=notebook`);
    await page.getByRole('button', { name: 'Add to cart: A5 Notebook' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to cart' }).waitFor();
    await page.goto(`${shop.url}checkout`);
    await fillAddress(page, 'tok_visa');
    await page.getByRole('button', { name: 'Place order' }).dblclick();
    await page.getByRole('heading', { name: /^Order / }).waitFor();
    const after = await ordersOf(shop, token);
    assert.equal(after.length, 2, JSON.stringify(after));
    assert.deepEqual(problems, []);
  });

  it('the order page falls back to polling when live updates cannot connect', async () => {
    // Every WebSocket to the gateway is refused (routed before the page exists: the routing
    // patches each new document).
    const { page, problems } = await shopperAtCheckout('Polled', 'Gel Pen', (context) =>
      context.routeWebSocket(/\/graphql$/, (socket) => socket.close()),
    );
    await fillAddress(page, 'tok_visa');
    await page.getByRole('button', { name: 'Place order' }).click();
    const status = page.locator('.order-status-line strong');
    await status.filter({ hasText: 'Confirmed' }).waitFor(FINAL_WITHIN);
    await page.getByText('Reconnecting to live updates').waitFor();

    // A change made elsewhere (another device cancels) reaches this page by polling alone.
    const token = await storedToken(page);
    assert.ok(token);
    const orderId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const cancelled = await postGraphql(
      shop.graphqlUrl,
      'mutation($id: ID!) { cancelOrder(id: $id) { status } }',
      { id: orderId },
      token,
    );
    assert.equal(cancelled.errors, undefined, JSON.stringify(cancelled.errors));
    await status.filter({ hasText: 'Cancelled (cancelled by you)' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(problems, []);
  });

  it('cancelling asks first; after logout nothing of the account is shown or kept', async () => {
    const { page, email, problems } = await shopperAtCheckout('Leaver', 'Travel Mug');
    await fillAddress(page, 'tok_visa');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('heading', { name: /^Order / }).waitFor();
    const orderPath = new URL(page.url()).pathname;
    const orderId = decodeURIComponent(orderPath.split('/').pop() ?? '');
    const status = page.locator('.order-status-line strong');
    await status.filter({ hasText: 'Confirmed' }).waitFor(FINAL_WITHIN);

    // Cancelling asks first; the question's safe answer has the focus.
    await page.getByRole('button', { name: 'Cancel this order' }).click();
    const question = page.getByRole('group', { name: /Cancel this order\? It is paid/ });
    await page.waitForFunction(() => document.activeElement?.textContent === 'Keep the order');
    await checkPage(page, 'order-cancel');
    await question.getByRole('button', { name: 'Keep the order' }).click();
    await page.getByRole('button', { name: 'Cancel this order' }).click();
    await question.getByRole('button', { name: 'Yes, cancel it' }).click();
    await status.filter({ hasText: 'Cancelled (cancelled by you)' }).waitFor();
    await page
      .getByRole('list', { name: 'Status history' })
      .getByText('cancelled by you')
      .waitFor();
    assert.equal(await page.getByRole('button', { name: 'Cancel this order' }).count(), 0);

    const token = await storedToken(page);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await page.getByRole('link', { name: 'Cart, 0 items' }).waitFor();
    // Logging out revoked the token on the platform, not only in this browser.
    const afterLogout = await postGraphql(shop.graphqlUrl, '{ me { email } }', {}, token);
    assert.deepEqual(afterLogout.data, { me: null });
    assert.equal(await page.getByRole('link', { name: 'My orders' }).count(), 0);
    const kept = await page.evaluate(() => Object.keys(localStorage));
    assert.deepEqual(
      kept.filter((key) => key !== 'orderly.guest-cart'),
      [],
      `left in storage: ${kept.join(', ')}`,
    );

    // Back to the account's pages: nothing is shown from memory or cache.
    await page.goBack();
    await page
      .getByRole('link', { name: /Sign in/ })
      .first()
      .waitFor();
    await page.goto(`${shop.url}${orderPath.slice(1)}`);
    await page.getByText('to see this order').waitFor();
    await page.goto(`${shop.url}orders`);
    await page.getByText('to see your orders').waitFor();
    const text = await page.locator('body').innerText();
    assert.ok(!text.includes(email) && !text.includes(orderId), 'the account shows after logout');

    // A token the platform refuses (expired, forged) ends the session the same way.
    await page.evaluate(() =>
      localStorage.setItem(
        'orderly.session',
        JSON.stringify({
          token: 'not-a-token',
          user: { id: 'ghost', email: 'ghost@example.com', name: 'Ghost', role: 'CUSTOMER' },
        }),
      ),
    );
    await page.goto(`${shop.url}orders`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('orderly.session')), null);
    assert.deepEqual(problems, []);
  });

  it('a shopper who forgot the password gets a link by mail, chooses a new one, and changes it again', async () => {
    const { page, problems } = await newPage();
    await page.goto(`${shop.url}sign-in`);
    const email = await register(page, 'Forgetful');
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('status').filter({ hasText: 'a link to choose a new password' }).waitFor();
    await checkPage(page, 'forgot-password');

    // The mail, as LocalStack's SES sent it: its link opens the reset page.
    const link = await mailedLink(email, /\/reset-password\?token=[\w%-]+/);
    await page.goto(`${shop.url}${link.slice(1)}`);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('chosen-anew-2');
    await page.getByRole('button', { name: 'Change my password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password is changed' }).waitFor();
    await checkPage(page, 'reset-password');
    await page.goto(`${shop.url}${link.slice(1)}`);
    await page.getByLabel('New password', { exact: true }).fill('chosen-again-3');
    await page.getByRole('button', { name: 'Change my password' }).click();
    await page.getByRole('alert').filter({ hasText: 'it was used, or it expired' }).waitFor();

    await page.goto(`${shop.url}sign-in`);
    const login = page.getByRole('form', { name: 'Log in' });
    await login.getByLabel('Email').fill(email);
    await login.getByLabel('Password').fill('chosen-anew-2');
    await login.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await page.getByLabel('Current password').fill('chosen-anew-2');
    await page.getByLabel('New password', { exact: true }).fill('changed-later-4');
    await checkPage(page, 'account');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Sign in with the new one' }).waitFor();
    await login.getByLabel('Email').fill(email);
    await login.getByLabel('Password').fill('changed-later-4');
    await login.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    // The one refusal the flow asked for: the spent link (GraphQL answers it 400).
    assert.deepEqual(problems, [
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
  });

  it('an admin makes an API key, sees it once, and revokes it', async () => {
    const { page, problems } = await newPage();
    await page.goto(`${shop.url}sign-in?next=/admin/api-keys`);
    const login = page.getByRole('form', { name: 'Log in' });
    await login.getByLabel('Email').fill(shop.admin.email);
    await login.getByLabel('Password').fill(shop.admin.password);
    await login.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Admin: API keys' }).waitFor();
    await page.getByLabel('Name').fill('Warehouse sync');
    await page.getByLabel(/orders:read/).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.locator('code.api-key').innerText()).trim();
    assert.match(key, /^ok_/);
    await page.getByRole('heading', { name: 'Warehouse sync' }).waitFor();
    await checkPage(page, 'admin-api-keys');
    // The key works for what it names, and for nothing else.
    const orders = await postGraphql(
      shop.graphqlUrl,
      '{ orders(first: 1) { edges { node { id } } } }',
      {},
      key,
    );
    assert.equal(orders.errors, undefined, JSON.stringify(orders.errors));
    await page.reload();
    await page.getByRole('heading', { name: 'Warehouse sync' }).waitFor();
    assert.equal(await page.locator('code.api-key').count(), 0, 'shown once');
    await page.getByText(/last used/).waitFor();
    await page.getByRole('button', { name: 'Revoke the key Warehouse sync' }).click();
    await page.getByRole('status').filter({ hasText: 'it is refused from now on' }).waitFor();
    const refused = await postGraphql(
      shop.graphqlUrl,
      '{ orders(first: 1) { edges { node { id } } } }',
      {},
      key,
    );
    assert.equal(refused.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.deepEqual(problems, []);
  });

  it('a keyboard alone reaches the content and adds to the cart', async () => {
    const { page, problems } = await newPage();
    await page.goto(`${shop.url}?q=classic`);
    await page.getByRole('button', { name: 'Add to cart: Classic Mug' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    let focused = '';
    for (let presses = 0; presses < 30 && focused !== 'Add to cart: Classic Mug'; presses++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    }
    assert.equal(focused, 'Add to cart: Classic Mug');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Added to cart' }).waitFor();
    await page.getByRole('link', { name: 'Cart, 1 item' }).focus();
    await page.keyboard.press('Enter');
    // The new page's heading has the focus, so a screen reader says where the shopper is.
    await page.getByRole('heading', { name: 'Your cart' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Your cart');
    assert.deepEqual(problems, []);
  });

  it('lays the catalog out in a grid on a wide screen, with no axe-core violation', async () => {
    const { page, problems } = await newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${shop.url}?category=apparel`);
    await page.getByRole('link', { name: 'Grey Hoodie', exact: true }).waitFor();
    const tops = await page
      .locator('.product-card')
      .evaluateAll((cards) => cards.map((card) => card.getBoundingClientRect().top));
    assert.equal(new Set(tops).size, 1, 'the apparel products share one row');
    await checkPage(page, 'catalog-wide');
    assert.deepEqual(problems, []);
  });

  it('a shopper picks M / Blue: its price, picture and live stock; buying it moves that variant only', async () => {
    const watcher = await newPage({ viewport: { width: 1280, height: 900 } });
    await watcher.page.goto(`${shop.url}products/logo-t-shirt`);
    await watcher.page.getByRole('heading', { name: 'Logo T-Shirt', level: 1 }).waitFor();
    const picker = watcher.page.locator('.option-picker');
    await picker.getByRole('radio', { name: 'M', exact: true }).check();
    await picker.getByRole('radio', { name: 'Blue', exact: true }).check();
    await watcher.page.waitForURL(/variant=TEE-LOGO-M-BLUE/);
    await watcher.page.getByText('12 in stock').waitFor();
    const main = watcher.page.locator('.gallery-main img');
    assert.match((await main.getAttribute('alt')) ?? '', /blue T-shirt/);
    // Its size is set before it loads, so nothing moves; the smaller copies are offered.
    assert.ok(
      Number(await main.getAttribute('width')) > 0 && Number(await main.getAttribute('height')) > 0,
    );
    await watcher.page.waitForFunction(() =>
      (document.querySelector('.gallery-main img')?.getAttribute('srcset') ?? '').includes(
        'w320.webp',
      ),
    );
    assert.equal(
      await watcher.page.locator('.gallery-thumbs img').first().getAttribute('loading'),
      'lazy',
    );
    // Another colour shows its own picture, and comes back.
    await picker.getByRole('radio', { name: 'Black', exact: true }).check();
    await watcher.page.waitForFunction(() =>
      /black T-shirt/.test(document.querySelector('.gallery-main img')?.getAttribute('alt') ?? ''),
    );
    await picker.getByRole('radio', { name: 'Blue', exact: true }).check();
    await watcher.page.getByText('12 in stock').waitFor();
    await checkPage(watcher.page, 'product-variants');

    // A second shopper buys M / Blue through the shop.
    const buyer = await newPage();
    await buyer.page.goto(`${shop.url}sign-in?next=/`);
    await register(buyer.page, 'Variant');
    await buyer.page.getByRole('heading', { name: 'Shop', level: 1 }).waitFor();
    await buyer.page.goto(`${shop.url}products/logo-t-shirt?variant=TEE-LOGO-M-BLUE`);
    await buyer.page.getByRole('button', { name: 'Add to cart: Logo T-Shirt (M / Blue)' }).click();
    await buyer.page.getByRole('status').filter({ hasText: 'Added to cart' }).waitFor();
    await buyer.page.getByRole('link', { name: 'Cart, 1 item' }).click();
    await buyer.page.getByLabel('Quantity of Logo T-Shirt (M / Blue)').waitFor();
    await buyer.page.getByRole('link', { name: 'Go to checkout' }).click();
    await buyer.page.getByText('1 × Logo T-Shirt (M / Blue)').waitFor();
    await fillAddress(buyer.page, 'tok_visa');
    await buyer.page.getByRole('button', { name: 'Place order' }).click();
    await buyer.page
      .locator('.order-status-line strong')
      .filter({ hasText: 'Confirmed' })
      .waitFor(FINAL_WITHIN);

    // The open product page follows, with no reload; the other variants did not move.
    await watcher.page.getByText('11 in stock').waitFor({ timeout: 15_000 });
    await picker.getByRole('radio', { name: 'S', exact: true }).check();
    await watcher.page.getByText('8 in stock').waitFor();
    const levels = await postGraphql<{ stock: { sku: string; available: number }[] }>(
      shop.graphqlUrl,
      '{ stock(skus: ["TEE-LOGO-S-BLUE", "TEE-LOGO-S-BLACK", "TEE-LOGO-M-BLUE", "TEE-LOGO-M-BLACK", "TEE-LOGO-L-BLUE", "TEE-LOGO-L-BLACK"]) { sku available } }',
    );
    assert.deepEqual(
      levels.data?.stock.map((level) => level.available),
      [8, 8, 11, 12, 10, 10],
    );
    assert.deepEqual([...watcher.problems, ...buyer.problems], []);
  });

  it('marks a sold-out size instead of hiding it, and refuses to add it', async () => {
    const { page, problems } = await newPage();
    await page.goto(`${shop.url}products/grey-hoodie`);
    const xl = page.locator('.option-picker').getByRole('radio', { name: /XL/ });
    await xl.check();
    await page
      .locator('.option-value.option-sold-out')
      .filter({ hasText: 'XL' })
      .getByText('sold out')
      .waitFor();
    await page.getByRole('button', { name: 'Sold out: Grey Hoodie (XL)' }).waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'Sold out: Grey Hoodie (XL)' }).isDisabled(),
      true,
    );
    assert.deepEqual(problems, []);
  });

  it('searches with facets counted under the other filters, in stock only, and opens a collection', async () => {
    const { page, problems } = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${shop.url}search`);
    await page.getByRole('heading', { name: 'Search', level: 1 }).waitFor();
    const filters = page.getByRole('complementary', { name: 'Filters' });
    await filters.getByRole('checkbox', { name: /^apparel/ }).check();
    await page.waitForURL(/f=category%3Aapparel/);
    await filters.getByRole('checkbox', { name: /^XL \(1\)/ }).check();
    await page.getByRole('status').filter({ hasText: '1 product' }).waitFor();
    await page
      .getByRole('list', { name: 'Results' })
      .getByRole('link', { name: 'Grey Hoodie', exact: true })
      .waitFor();
    // The hoodie's XL is sold out: in stock only, nothing is left.
    await page.getByLabel('In stock only').check();
    await page.getByRole('status').filter({ hasText: '0 products' }).waitFor();
    await page.getByText('Nothing matches').waitFor();
    await page.getByLabel('In stock only').uncheck();
    await filters.getByRole('checkbox', { name: /^XL/ }).uncheck();
    await page.getByRole('status').filter({ hasText: '2 products' }).waitFor();
    await checkPage(page, 'search');

    await page.getByRole('link', { name: 'Collections' }).first().click();
    await page.getByRole('heading', { name: 'Collections', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Everyday Essentials' }).click();
    await page.getByRole('heading', { name: 'Everyday Essentials', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Logo T-Shirt', exact: true }).waitFor();
    await checkPage(page, 'collection');
    assert.deepEqual(problems, []);
  });

  it('an admin uploads a picture, refuses a file that is no picture, and imports a CSV with its problems shown', async () => {
    const admin = await newPage({ viewport: { width: 1280, height: 900 } });
    await admin.page.goto(`${shop.url}sign-in?next=/admin`);
    const login = admin.page.getByRole('form', { name: 'Log in' });
    await login.getByLabel('Email').fill(shop.admin.email);
    await login.getByLabel('Password').fill(shop.admin.password);
    await login.getByRole('button', { name: 'Log in' }).click();
    await admin.page.getByRole('heading', { name: 'Admin: products' }).waitFor();
    const poster = admin.page.locator('.admin-product[data-sku="PAGED-1"]');
    await poster.getByText('Add a picture to Paged poster 1', { exact: true }).click();
    // An executable named .png: the platform reads its bytes and refuses it.
    await poster.getByLabel(/^Picture file for/).setInputFiles({
      name: 'poster.png',
      mimeType: 'image/png',
      buffer: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(2_000)]),
    });
    await poster.getByLabel('What the picture shows (alt text)').fill('A poster');
    await poster.getByRole('button', { name: 'Add picture' }).click();
    await poster
      .getByRole('alert')
      .filter({ hasText: 'not a JPEG, PNG or WebP picture' })
      .waitFor();
    // A real picture, straight from this browser to object storage.
    await poster
      .getByLabel(/^Picture file for/)
      .setInputFiles('localstack/platform/demo-images/poster-limited.jpg');
    await poster.getByLabel('What the picture shows (alt text)').fill('A sun over green hills');
    await poster.getByRole('button', { name: 'Add picture' }).click();
    await poster.getByRole('status').filter({ hasText: 'Added the picture' }).waitFor();
    await poster
      .getByRole('list', { name: 'Pictures of Paged poster 1' })
      .getByText('A sun over green hills')
      .waitFor();
    const shopper = await newPage();
    await shopper.page.goto(`${shop.url}products/paged-poster-1`);
    await shopper.page.getByRole('img', { name: 'A sun over green hills' }).waitFor();

    await admin.page.getByRole('link', { name: 'Import and export' }).click();
    await admin.page.getByRole('heading', { name: 'Admin: import and export' }).waitFor();
    const csv = [
      'Handle,Title,Category,Option1 Name,Option1 Value,Variant SKU,Variant Price,Currency,Variant Inventory Qty',
      'wool-scarf,Wool Scarf,apparel,Colour,Red,CSV-SCARF-RED,29.00,EUR,5',
      'wool-scarf,,,,Red,CSV-SCARF-RED-2,29.00,,5',
    ].join('\n');
    await admin.page
      .getByLabel('CSV file (at most 50 MB)')
      .setInputFiles({ name: 'scarves.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await admin.page.getByRole('button', { name: 'Import' }).click();
    const problems = admin.page.getByRole('table', { name: /1 problem/ });
    await problems
      .getByRole('row', { name: /3 Option1 Value .*same options \(Red\)/ })
      .waitFor({ timeout: 30_000 });
    await checkPage(admin.page, 'admin-import');
    const fixed = csv.replace(',Red,CSV-SCARF-RED-2', ',Green,CSV-SCARF-GREEN');
    await admin.page
      .getByLabel('CSV file (at most 50 MB)')
      .setInputFiles({ name: 'scarves.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
    await admin.page.getByRole('button', { name: 'Import' }).click();
    await admin.page
      .getByRole('status')
      .filter({ hasText: 'Done: 1 product created, 0 updated (2 rows).' })
      .waitFor({ timeout: 30_000 });
    await shopper.page.goto(`${shop.url}products/wool-scarf`);
    await shopper.page
      .locator('.option-picker')
      .getByRole('radio', { name: 'Green', exact: true })
      .waitFor();
    // The refused picture is the platform's 400 answer to that mutation, and nothing else.
    const refusals = admin.problems.filter((problem) => problem.includes('status of 400'));
    assert.equal(refusals.length, 1, admin.problems.join('\n'));
    assert.deepEqual(
      [...admin.problems.filter((problem) => !refusals.includes(problem)), ...shopper.problems],
      [],
    );
  });
});
