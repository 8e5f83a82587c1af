import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testLogger } from '../test-support/integration-env.js';
import { buildGateway } from './app.js';
import { gatewaySettings } from './settings.js';
import { STOREFRONT_CSP, storefrontCsp } from './storefront.js';

/** A built storefront's shape: index.html, hashed assets, a root file and a dotfile. */
function fakeBuild(): string {
  const root = mkdtempSync(join(tmpdir(), 'orderly-storefront-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>shop</title>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(root, 'favicon.svg'), '<svg/>');
  writeFileSync(join(root, '.source-hash'), 'secret-ish');
  writeFileSync(join(tmpdir(), 'outside-the-build.txt'), 'not served');
  return root;
}

describe('the gateway serving the storefront', () => {
  let root: string;
  let app: Awaited<ReturnType<typeof buildGateway>>;

  before(async () => {
    root = fakeBuild();
    app = await buildGateway({
      logger: testLogger(),
      invoker: { invoke: async () => ({ statusCode: 200, body: {} }) },
      stock: { getStock: async () => [] },
      // One API request a minute: the pages and files below must not count against it.
      settings: gatewaySettings({ rateLimitPerMinute: 1 }),
      storefrontRoot: root,
    });
  });
  after(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (url: string, accept = 'text/html') =>
    app.inject({ method: 'GET', url, headers: { accept } });

  it('answers / and every page path with index.html, uncached, under the strict CSP', async () => {
    for (const url of ['/', '/orders/abc123', '/products/classic-mug?x=1', '/admin']) {
      const page = await get(url);
      assert.equal(page.statusCode, 200, url);
      assert.match(page.body, /<title>shop<\/title>/);
      assert.equal(page.headers['content-security-policy'], STOREFRONT_CSP);
      assert.equal(page.headers['cache-control'], 'no-cache');
      assert.equal(page.headers['x-frame-options'], 'DENY');
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
      assert.equal(page.headers['referrer-policy'], 'same-origin');
      assert.match(String(page.headers['strict-transport-security']), /max-age=\d+/);
    }
    // The API's answers carry the same headers (helmet on every route).
    const api = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(api.headers['content-security-policy'], STOREFRONT_CSP);
    assert.equal(api.headers['x-frame-options'], 'DENY');
    assert.match(STOREFRONT_CSP, /script-src 'self'(;|$)/);
    // Object storage is where pictures are read from and uploads go: images and connections only.
    const withMedia = storefrontCsp(['http://127.0.0.1:4566']);
    assert.match(withMedia, /img-src 'self' data: http:\/\/127\.0\.0\.1:4566;/);
    assert.match(withMedia, /connect-src 'self' http:\/\/127\.0\.0\.1:4566;/);
    assert.match(withMedia, /script-src 'self';/);
    assert.doesNotMatch(STOREFRONT_CSP, /unsafe-inline|unsafe-eval/);
  });

  it('serves built files, hashed assets cached for a year', async () => {
    const asset = await get('/assets/index-abc123.js', '*/*');
    assert.equal(asset.statusCode, 200);
    assert.equal(asset.body, 'console.log(1)');
    assert.match(asset.headers['cache-control'] as string, /max-age=31536000, immutable/);
    assert.match(asset.headers['content-type'] as string, /javascript/);
    const icon = await get('/favicon.svg', 'image/*');
    assert.equal(icon.statusCode, 200);
    assert.equal(icon.headers['cache-control'], 'no-cache');
  });

  it('answers 404 for a missing asset, a hidden file and API typos', async () => {
    for (const url of ['/assets/missing.js', '/.source-hash', '/graphql/typo', '/health/x']) {
      const answer = await get(url);
      assert.equal(answer.statusCode, 404, url);
      assert.doesNotMatch(answer.body, /secret-ish|<title>shop/, url);
    }
    // `..` never leaves the build: the URL is normalised first, so this is just a page.
    for (const url of ['/../outside-the-build.txt', '/%2e%2e/outside-the-build.txt']) {
      assert.doesNotMatch((await get(url, '*/*')).body, /not served/, url);
    }
    // A script or fetch asking for a missing file gets the JSON error, not the page.
    const script = await get('/nope.js', '*/*');
    assert.equal(script.statusCode, 404);
    assert.equal(script.json().error.code, 'NOT_FOUND');
  });

  it('keeps the API rate limited while pages and files are not', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await get('/')).statusCode, 200);
    const query = { query: '{ stock(skus: []) { sku } }' };
    const first = await app.inject({ method: 'POST', url: '/graphql', payload: query });
    const second = await app.inject({ method: 'POST', url: '/graphql', payload: query });
    assert.notEqual(first.statusCode, 429);
    assert.equal(second.statusCode, 429);
  });
});
