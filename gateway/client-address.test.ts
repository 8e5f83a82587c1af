import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientAddressOf } from './client-address.js';

const source = { header: 'x-viewer', secretHeader: 'x-orderly-origin', secret: 's'.repeat(32) };
const request = (headers: Record<string, string>) => ({ ip: '10.0.0.1', headers });

describe('the client address behind CloudFront', () => {
  it('believes the viewer header only with the origin secret, and only when it is an address', () => {
    const through = { 'x-orderly-origin': 's'.repeat(32) };
    assert.equal(
      clientAddressOf(request({ ...through, 'x-viewer': '198.51.100.4' }), source),
      '198.51.100.4',
    );
    assert.equal(
      clientAddressOf(request({ ...through, 'x-viewer': '2001:db8::7' }), source),
      '2001:db8::7',
    );
    // Straight to the API, or with a guessed secret: the connecting address.
    assert.equal(clientAddressOf(request({ 'x-viewer': '198.51.100.4' }), source), '10.0.0.1');
    assert.equal(
      clientAddressOf(request({ 'x-orderly-origin': 'guess', 'x-viewer': '198.51.100.4' }), source),
      '10.0.0.1',
    );
    assert.equal(
      clientAddressOf(request({ ...through, 'x-viewer': 'not an address' }), source),
      '10.0.0.1',
    );
    assert.equal(
      clientAddressOf(request({ ...through, 'x-viewer': '198.51.100.4' }), undefined),
      '10.0.0.1',
    );
  });
});
