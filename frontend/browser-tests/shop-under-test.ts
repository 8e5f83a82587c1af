/// <reference lib="dom" />
// Code inside page.evaluate() runs in the browser, hence the DOM types.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { findChromium } from '../../localstack/infra/chromium.js';
import { CACHE_DIR } from '../../localstack/infra/paths.js';
import { postGraphql } from '../../localstack/platform/graphql-client.js';
import {
  type LocalPlatform,
  startLocalPlatform,
} from '../../localstack/platform/local-platform.js';
import { freePort } from '../../test-support/eventually.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { dropBucket, uniqueBucket } from '../../test-support/media-bucket.js';

/** Where the browser tests leave their screenshots (the best are copied to docs/). */
export const SCREENSHOT_DIR = process.env.STOREFRONT_SCREENSHOTS ?? join(CACHE_DIR, 'screenshots');

export interface ShopUnderTest {
  /** The storefront's address: the gateway's root. */
  url: string;
  graphqlUrl: string;
  admin: { email: string; password: string };
  platform: LocalPlatform;
  /** Stops the platform and drops its media bucket. */
  stop(): Promise<void>;
}

/**
 * The whole platform as `npm start` runs it (embedded mode: functions, saga, payments,
 * inventory gRPC server, gateway with the built storefront), on the test run's Kafka and
 * database, with a database and topics of its own and a free port. `env` adds settings (a
 * benchmark's `SEED_DEMO_CATALOG=false`, say).
 */
export async function startShop(env: Record<string, string> = {}): Promise<ShopUnderTest> {
  const { kafka, mongo } = integrationConfig();
  const mediaBucket = uniqueBucket('shop');
  const platform = await startLocalPlatform({
    mode: 'embedded',
    env: {
      ...process.env,
      KAFKA_BROKERS: kafka.brokers.join(','),
      MONGODB_URI: mongo.uri,
      MONGODB_DB: uniqueName('it_shop'),
      KAFKA_TOPIC_PREFIX: `${uniqueName('shop')}.`,
      INVENTORY_GRPC_ADDR: `127.0.0.1:${await freePort()}`,
      PORT: `${await freePort()}`,
      LOG_LEVEL: 'error',
      MEDIA_BUCKET: mediaBucket,
      ...env,
    },
    loggerFor: () => testLogger(),
  });
  return {
    url: platform.storefrontUrl,
    graphqlUrl: platform.graphqlUrl,
    admin: platform.admin,
    platform,
    async stop() {
      await platform.stop();
      await dropBucket(process.env.AWS_ENDPOINT_URL ?? '', mediaBucket);
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  assert.ok(executablePath, 'no Chromium: npm test installs it (or set CHROMIUM_PATH)');
  return chromium.launch({ executablePath });
}

/**
 * Collects what must never happen on a page: uncaught errors, console errors and
 * Content-Security-Policy violations (the storefront runs under `script-src 'self'`).
 */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) =>
    problems.push(`page error: ${err.message} ${err.stack ?? JSON.stringify(err)}`),
  );
  page.on('console', (message) => {
    const text = message.text();
    // A WebSocket refused on purpose (the polling test) is not a defect of the page.
    if (message.type() === 'error' && !/WebSocket/.test(text)) problems.push(`console: ${text}`);
  });
  return problems;
}

/** The page's axe-core violations (WCAG 2.x A and AA, and best practices). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: object,
          ): Promise<{ violations: { id: string; help: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')})`,
    );
  });
  return violations;
}

/**
 * Checks a page as a user with assistive technology or a phone meets it: no axe violation,
 * nothing wider than the viewport; then saves its screenshot.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  assert.deepEqual(await axeViolations(page), [], `axe-core violations on the ${name} page`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `the ${name} page is ${overflow} px wider than the viewport`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/** A new account's token, made through the API (for set-up, not for the flows under test). */
export async function apiToken(shop: ShopUnderTest, email: string, password: string) {
  const answer = await postGraphql<{ login: { token: string } }>(
    shop.graphqlUrl,
    'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
    { email, password },
  );
  const token = answer.data?.login.token;
  assert.ok(token, JSON.stringify(answer));
  return token;
}

/** The orders of the account whose token is given, through the API. */
export async function ordersOf(shop: ShopUnderTest, token: string) {
  const answer = await postGraphql<{
    orders: { edges: { node: { id: string; status: string } }[] };
  }>(shop.graphqlUrl, '{ orders(first: 50) { edges { node { id status } } } }', {}, token);
  assert.ok(answer.data, JSON.stringify(answer));
  return answer.data.orders.edges.map((edge) => edge.node);
}
