import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstInvocations, LAMBDA_ENTRY_POINTS } from '../test-support/lambda-entry-points.js';

/**
 * Importing an entry point reads no environment: with production settings and none of the
 * required variables, every module loads, and each handler's first invocation fails with the
 * configuration problems listed, by variable name.
 */
describe('Lambda entry points', () => {
  it('are the thirteen functions serverless.yml deploys', () => {
    assert.equal(LAMBDA_ENTRY_POINTS.length, 13);
  });

  it('load without configuration and report it on the first invocation', () => {
    for (const { file, outcome } of firstInvocations({ NODE_ENV: 'production' })) {
      assert.match(outcome, /^Invalid configuration:\n {2}- [A-Z_]+ is required but not set/, file);
    }
  });
});
