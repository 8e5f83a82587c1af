import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../shared/logger/logger.js';
import { infraUp } from './infra.js';

describe('infraUp with external servers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orderly-infra-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts nothing and passes the given settings through', async () => {
    const logger = createLogger({ name: 'test', level: 'silent' });
    const settingsFile = join(dir, 'connection.env');
    const result = await infraUp(logger, {
      env: {
        KAFKA_BROKERS: 'kafka.example.internal:9092',
        MONGODB_URI: 'mongodb://db.example.internal:27017',
        AWS_ENDPOINT_URL: 'http://localstack.example.internal:4566',
      },
      settingsFile,
    });
    assert.deepEqual(result.started, []);
    assert.deepEqual(result.settings, {
      KAFKA_BROKERS: 'kafka.example.internal:9092',
      MONGODB_URI: 'mongodb://db.example.internal:27017',
      AWS_ENDPOINT_URL: 'http://localstack.example.internal:4566',
    });
    assert.deepEqual(
      result.services.map((service) => [service.name, service.origin]),
      [
        ['kafka', 'external'],
        ['localstack', 'external'],
        ['mongo', 'external'],
      ],
    );
    assert.equal(
      readFileSync(settingsFile, 'utf8'),
      'KAFKA_BROKERS=kafka.example.internal:9092\nMONGODB_URI=mongodb://db.example.internal:27017\nAWS_ENDPOINT_URL=http://localstack.example.internal:4566\n',
    );
  });
});
