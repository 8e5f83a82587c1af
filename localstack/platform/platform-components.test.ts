import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventTopics } from '../../shared/events/topics.js';
import { describeComponents, type PlatformFacts } from './platform-components.js';

const facts: PlatformFacts = {
  gateway: {
    url: 'http://127.0.0.1:4000/graphql',
    storefrontUrl: 'http://127.0.0.1:4000/',
    graphiqlUrl: undefined,
  },
  offline: undefined,
  kafkaFunctions: ['order-saga', 'payments'],
  consumerGroups: 3,
  inventoryAddress: '127.0.0.1:50051',
  externalInventory: false,
  servers: [
    { name: 'kafka', origin: 'reused', server: 'Apache Kafka', url: '127.0.0.1:9092' },
    { name: 'mongo', origin: 'external', server: 'external', url: 'mongodb://db:27017' },
  ],
  topics: new EventTopics('dev.'),
  admin: { email: 'a@b.c', password: 'pw-123456', fromEnv: false, passwordFromEnv: false },
  seed: { created: ['A'], existing: ['B', 'C'] },
  media: { bucket: 'orderly-media', publicBaseUrl: 'http://127.0.0.1:4566/orderly-media' },
};

const where = (rows: ReturnType<typeof describeComponents>, component: string) =>
  rows.find((row) => row.component === component);

describe('describeComponents', () => {
  it('describes the embedded mode: functions in process, no Invoke API, prefixed topics', () => {
    const rows = describeComponents(facts);
    assert.equal(where(rows, 'GraphiQL'), undefined);
    assert.equal(where(rows, 'Lambda Invoke API'), undefined);
    assert.match(
      where(rows, 'Kafka functions')?.how ?? '',
      /^this process, .*\(3 consumer groups\)/,
    );
    assert.equal(
      where(rows, 'topics')?.where,
      'dev.orders, dev.inventory, dev.payments, dev.catalog',
    );
    assert.match(where(rows, 'media bucket')?.how ?? '', /^S3 bucket orderly-media/);
    assert.equal(where(rows, 'MongoDB')?.how, 'external (external)');
    assert.equal(where(rows, 'admin login')?.where, 'a@b.c / pw-123456');
    assert.equal(where(rows, 'demo catalog')?.how, '1 created, 2 already there');
  });

  it('describes the offline mode and hides a password that came from the environment', () => {
    const rows = describeComponents({
      ...facts,
      offline: {
        httpUrl: 'http://127.0.0.1:3000',
        lambdaUrl: 'http://127.0.0.1:3002',
        functionName: (key) => `orderly-local-${key}`,
      },
      externalInventory: true,
      admin: { ...facts.admin, fromEnv: true, passwordFromEnv: true },
    });
    assert.equal(where(rows, 'HTTP functions')?.where, 'http://127.0.0.1:3000');
    assert.equal(
      where(rows, 'Lambda Invoke API')?.how,
      'serverless offline (functions named orderly-local-<name>)',
    );
    assert.match(where(rows, 'Kafka functions')?.how ?? '', /^serverless offline, /);
    assert.equal(where(rows, 'inventory gRPC')?.how, 'external (INVENTORY_ADDR)');
    assert.equal(where(rows, 'admin login')?.where, 'a@b.c / (ADMIN_PASSWORD)');
  });

  it('warns under the database when it is the emulator, and only then', () => {
    assert.equal(where(describeComponents(facts), '  WARNING'), undefined);
    const rows = describeComponents({
      ...facts,
      servers: [
        {
          name: 'mongo',
          origin: 'started',
          server:
            'mongo-java-server 1.47.0 (H2 storage); buildInfo: MongoDB-compatible server 5.0.0',
          url: 'mongodb://127.0.0.1:27017',
          warning: 'mongo-java-server is an emulator',
        },
      ],
    });
    const database = rows.findIndex((row) => row.component === 'MongoDB');
    assert.equal(rows[database]?.how, 'mongo-java-server 1.47.0 (H2 storage) (started)');
    assert.deepEqual(rows[database + 1], {
      component: '  WARNING',
      where: 'not durable',
      how: 'mongo-java-server is an emulator',
    });
  });
});
