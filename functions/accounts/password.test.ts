import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const first = await hashPassword('correct horse battery 9');
    const second = await hashPassword('correct horse battery 9');
    assert.notEqual(first, second);
    assert.match(first, /^scrypt\$16384\$8\$5\$/, "OWASP's cost");
    assert.equal(await verifyPassword('correct horse battery 9', first), true);
    assert.equal(await verifyPassword('correct horse battery 8', first), false);
    assert.equal(await verifyPassword('anything', 'not-a-hash'), false);
    assert.equal(await verifyPassword('anything', DUMMY_HASH), false);
  });

  it("checks an unknown account's login against a hash of today's cost", () => {
    // A cheaper dummy would answer a missing account faster than a wrong password.
    assert.equal(needsRehash(DUMMY_HASH), false);
    const [, , , , salt, key] = DUMMY_HASH.split('$');
    assert.equal(Buffer.from(salt ?? '', 'base64').length, 16);
    assert.equal(Buffer.from(key ?? '', 'base64').length, 64);
  });

  it('asks for a rehash of a hash made at another cost only', async () => {
    assert.equal(needsRehash(await hashPassword('correct horse battery 9')), false);
    assert.equal(needsRehash('scrypt$16384$8$1$c2FsdA==$aGFzaA=='), true);
    assert.equal(needsRehash('bcrypt$x'), true);
  });
});
