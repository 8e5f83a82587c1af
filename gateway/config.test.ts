import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../shared/config/config.js';
import { readGatewayConfig } from './config.js';

/** A developer's machine: a deployed stage would want every address set. */
const LOCAL = { NODE_ENV: 'development' };

describe('gateway configuration', () => {
  it('reads the trusted proxies, none by default', () => {
    assert.deepEqual(loadConfig(readGatewayConfig, LOCAL).settings.trustedProxies, []);
    const config = loadConfig(readGatewayConfig, {
      ...LOCAL,
      GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.7,fd00::/8',
    });
    assert.deepEqual(config.settings.trustedProxies, ['10.0.0.0/8', '192.168.1.7', 'fd00::/8']);
  });

  it('names every proxy entry that is not an address or a range', () => {
    assert.throws(
      () =>
        loadConfig(readGatewayConfig, {
          ...LOCAL,
          GATEWAY_TRUSTED_PROXIES: 'lb.internal,10.0.0.0/40',
        }),
      (err: Error) => /"lb\.internal"/.test(err.message) && /"10\.0\.0\.0\/40"/.test(err.message),
    );
  });

  it('serves a storefront only when STOREFRONT_DIR names one', () => {
    assert.equal(loadConfig(readGatewayConfig, LOCAL).storefrontRoot, undefined);
    const config = loadConfig(readGatewayConfig, { ...LOCAL, STOREFRONT_DIR: '/srv/orderly/dist' });
    assert.equal(config.storefrontRoot, '/srv/orderly/dist');
  });
});

describe('metrics access', () => {
  it('is open on a developer machine, closed on a deployed stage, and asks for its token when set', () => {
    assert.equal(loadConfig(readGatewayConfig, LOCAL).settings.openMetrics, true);
    const deployed = loadConfig(readGatewayConfig, {
      JWT_SECRET: 's'.repeat(40),
      INVENTORY_ADDR: 'inventory:50051',
      LAMBDA_ENDPOINT: 'http://lambda',
    });
    assert.equal(deployed.settings.openMetrics, false);
    const withToken = loadConfig(readGatewayConfig, { ...LOCAL, METRICS_TOKEN: 't'.repeat(24) });
    assert.deepEqual(
      [withToken.settings.openMetrics, withToken.settings.metricsToken],
      [false, 't'.repeat(24)],
    );
    assert.throws(
      () => loadConfig(readGatewayConfig, { ...LOCAL, METRICS_TOKEN: 'short' }),
      /METRICS_TOKEN must be at least 24 characters/,
    );
  });
});

describe('the viewer address behind CloudFront', () => {
  it('needs its header and the origin secret together', () => {
    const config = loadConfig(readGatewayConfig, {
      ...LOCAL,
      GATEWAY_VIEWER_ADDRESS_HEADER: 'X-Orderly-Viewer-Address',
      GATEWAY_ORIGIN_SECRET: 'o'.repeat(32),
    });
    assert.deepEqual(config.settings.viewerAddress, {
      header: 'x-orderly-viewer-address',
      secretHeader: 'x-orderly-origin',
      secret: 'o'.repeat(32),
    });
    assert.throws(
      () => loadConfig(readGatewayConfig, { ...LOCAL, GATEWAY_VIEWER_ADDRESS_HEADER: 'x-v' }),
      /must be set together/,
    );
  });
});
