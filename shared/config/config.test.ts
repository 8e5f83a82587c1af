import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, readKafkaConfig, readMongoConfig, readRuntimeConfig } from './config.js';
import { ConfigError, EnvReader } from './env-reader.js';

/** A developer's machine: a deployed stage would want every address set. */
const LOCAL = { NODE_ENV: 'development' };

const readPlatform = (env: EnvReader) => {
  const runtime = readRuntimeConfig(env);
  return {
    runtime,
    mongo: readMongoConfig(env, runtime),
    kafka: readKafkaConfig(env, runtime, 'test-client'),
  };
};

describe('loadConfig', () => {
  it('uses localhost defaults outside production', () => {
    const config = loadConfig(readPlatform, LOCAL);
    assert.equal(config.runtime.nodeEnv, 'development');
    assert.equal(config.mongo.uri, 'mongodb://127.0.0.1:27017');
    assert.equal(config.mongo.dbName, 'orderly');
    assert.deepEqual(config.kafka.brokers, ['127.0.0.1:9092']);
    assert.equal(config.kafka.clientId, 'test-client');
  });

  it('reads and trims values from the environment', () => {
    const config = loadConfig(readPlatform, {
      ...LOCAL,
      NODE_ENV: 'test',
      MONGODB_URI: ' mongodb://db.internal:27018 ',
      KAFKA_BROKERS: 'b1:9092, b2:9092,,',
    });
    assert.equal(config.mongo.uri, 'mongodb://db.internal:27018');
    assert.deepEqual(config.kafka.brokers, ['b1:9092', 'b2:9092']);
  });

  it('fails in production naming every missing variable', () => {
    assert.throws(
      () => loadConfig(readPlatform, { NODE_ENV: 'production', MONGODB_URI: '  ' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.code, 'CONFIG_INVALID');
        assert.deepEqual(err.problems, [
          'MONGODB_URI is required but not set',
          'KAFKA_BROKERS is required but not set',
        ]);
        assert.match(err.message, /MONGODB_URI/);
        return true;
      },
    );
  });

  it('reads SASL/SCRAM credentials and TLS for a managed Kafka cluster', () => {
    const config = loadConfig(readPlatform, {
      ...LOCAL,
      KAFKA_TLS: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'orderly',
      KAFKA_SASL_PASSWORD: 'secret',
    });
    assert.equal(config.kafka.tls, true);
    assert.deepEqual(config.kafka.sasl, {
      mechanism: 'scram-sha-512',
      username: 'orderly',
      password: 'secret',
    });
    assert.equal(loadConfig(readPlatform, LOCAL).kafka.sasl, undefined);
  });

  it('refuses an unknown SASL mechanism and SASL without its credentials', () => {
    assert.throws(
      () => loadConfig(readPlatform, { ...LOCAL, KAFKA_SASL_MECHANISM: 'plain', KAFKA_TLS: 'yes' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.deepEqual(err.problems, [
          'KAFKA_SASL_MECHANISM must be one of scram-sha-256, scram-sha-512',
          'KAFKA_SASL_USERNAME is required but not set',
          'KAFKA_SASL_PASSWORD is required but not set',
          'KAFKA_TLS must be true or false',
        ]);
        return true;
      },
    );
  });

  it('rejects a value outside its allowed set with the variable name', () => {
    assert.throws(
      () => loadConfig(readPlatform, { ...LOCAL, LOG_LEVEL: 'loud' }),
      /LOG_LEVEL must be one of/,
    );
  });

  it('returns a frozen object', () => {
    const config = loadConfig(readPlatform, LOCAL);
    assert.ok(Object.isFrozen(config));
  });
});

describe('EnvReader.int', () => {
  it('parses integers within range and reports others', () => {
    const env = new EnvReader({ OK: '42', LOW: '0', TEXT: '4x' });
    assert.equal(env.int('OK', undefined, { min: 1 }), 42);
    assert.equal(env.int('ABSENT', 7), 7);
    env.int('LOW', 5, { min: 1, max: 10 });
    env.int('TEXT', 5);
    env.int('REQUIRED', undefined);
    assert.throws(
      () => env.assertValid(),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.length === 3 &&
        err.problems[0] === 'LOW must be an integer between 1 and 10, got "0"' &&
        /TEXT/.test(err.problems[1] ?? '') &&
        err.problems[2] === 'REQUIRED is required but not set',
    );
  });
});
