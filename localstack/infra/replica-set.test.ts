import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextReplicaSetStep } from './replica-set.js';

describe('bringing the one-node replica set to a writable primary', () => {
  const here = '127.0.0.1:27017';

  it('initiates a data directory that has no replica set config yet', () => {
    assert.deepEqual(nextReplicaSetStep({ isWritablePrimary: false }, here), { step: 'initiate' });
  });

  it('waits for the election when the config names this address', () => {
    assert.deepEqual(nextReplicaSetStep({ isWritablePrimary: false, configuredHost: here }, here), {
      step: 'wait',
    });
    assert.deepEqual(
      nextReplicaSetStep(
        { setName: 'orderly', isWritablePrimary: true, configuredHost: here },
        here,
      ),
      { step: 'ready' },
    );
  });

  it('rewrites the member address when the server came back on another port', () => {
    assert.deepEqual(
      nextReplicaSetStep(
        { isWritablePrimary: false, configuredHost: '127.0.0.1:27017' },
        '127.0.0.1:40001',
      ),
      { step: 'readdress', from: '127.0.0.1:27017' },
    );
  });
});
