import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AWS_DEFAULT_ERROR_HANDLING,
  eventSourceMappingLogicalId,
  parseEventSourceMappings,
  readEventSourceMappings,
  SERVERLESS_YML,
} from './event-source-mappings.js';

describe('event source mappings from serverless.yml', () => {
  it('finds every Kafka-triggered function of the project with its topics', () => {
    const mappings = readEventSourceMappings(SERVERLESS_YML);
    assert.deepEqual(mappings.map((m) => `${m.functionName}<-${m.topic}`).sort(), [
      'catalog-events<-catalog',
      'catalog-events<-inventory',
      'media<-catalog',
      'notifications<-orders',
      'order-saga<-orders',
    ]);
    assert.equal(new Set(mappings.map((m) => m.consumerGroupId)).size, mappings.length);
    assert.ok(mappings.every((m) => m.eventSource === 'SelfManagedKafka' && m.enabled));
  });

  it('reads batch size, window, starting position and group, with AWS defaults', () => {
    const [msk, kafka] = parseEventSourceMappings(`
service: shop
functions:
  audit:
    handler: functions/audit/lambda.handler
    events:
      - msk: { arn: 'arn:aws:kafka:x', topic: audit, batchSize: 10, maximumBatchingWindow: 2, startingPosition: LATEST }
      - kafka: { topic: orders, enabled: false }
      - httpApi: { method: GET, path: /audit }
`);
    assert.deepEqual(msk, {
      functionName: 'audit',
      handler: 'functions/audit/lambda.handler',
      eventSource: 'aws:kafka',
      topic: 'audit',
      batchSize: 10,
      batchingWindowMs: 2000,
      startingPosition: 'LATEST',
      consumerGroupId: 'shop-audit-audit',
      enabled: true,
      onError: AWS_DEFAULT_ERROR_HANDLING,
    });
    assert.equal(kafka?.batchSize, 100);
    assert.equal(kafka?.batchingWindowMs, 500);
    assert.equal(kafka?.startingPosition, 'TRIM_HORIZON');
    assert.equal(kafka?.enabled, false);
  });

  it('reads the error-handling controls from the mapping resource, as CloudFormation would apply them', () => {
    assert.equal(
      eventSourceMappingLogicalId('order-saga', 'orders'),
      'OrderDashsagaEventSourceMappingKafkaOrders',
    );
    const yaml = (destination: string) => `
functions:
  order-saga:
    handler: f.handler
    events:
      - kafka: { topic: orders }
      - kafka: { topic: payments }
resources:
  - extensions:
      OrderDashsagaEventSourceMappingKafkaOrders:
        Properties:
          MaximumRetryAttempts: 20
          MaximumRecordAgeInSeconds: 600
          BisectBatchOnFunctionError: true
          DestinationConfig: { OnFailure: { Destination: '${destination}' } }
  - extensions:
      OrderDashsagaEventSourceMappingKafkaPayments:
        Properties:
          DestinationConfig: { OnFailure: { Destination: 'kafka://payments.dlq' } }
`;
    const [orders, payments] = parseEventSourceMappings(yaml('kafka://orders.dlq'));
    assert.deepEqual(orders?.onError, {
      maxRetryAttempts: 20,
      maxRecordAgeSeconds: 600,
      bisectOnError: true,
      onFailureTopic: 'orders.dlq',
    });
    // A destination with infinite retries: AWS retries ten times.
    assert.equal(payments?.onError.maxRetryAttempts, 10);
    assert.throws(() => parseEventSourceMappings(yaml('kafka://elsewhere')), /orders\.dlq/);
    assert.throws(() => parseEventSourceMappings(yaml('arn:aws:sqs:x')), /kafka:\/\//);
  });

  it('bounds every mapping of the project: split on error, finite retries, the dead-letter twin', () => {
    for (const mapping of readEventSourceMappings(SERVERLESS_YML)) {
      assert.equal(mapping.onError.bisectOnError, true, mapping.functionName);
      assert.ok(mapping.onError.maxRetryAttempts >= 0, mapping.functionName);
      assert.equal(mapping.onError.onFailureTopic, `${mapping.topic}.dlq`);
    }
  });

  it('refuses a topic it cannot resolve, naming the function', () => {
    assert.throws(
      () =>
        parseEventSourceMappings(`
functions:
  f:
    handler: f.handler
    events:
      - kafka: { topic: '\${param:topic}' }
`),
      /functions\.f kafka\.topic must be a literal/,
    );
  });
});
