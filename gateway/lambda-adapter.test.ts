import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createLambdaHandler } from '../shared/http/lambda-handler.js';
import { testLogger } from '../test-support/integration-env.js';
import { buildGateway } from './app.js';
import type { FunctionRequest } from './invokers/function-invoker.js';
import { gatewaySettings } from './settings.js';

const event = JSON.parse(
  readFileSync(new URL('./fixtures/api-gateway-v2-graphql.json', import.meta.url), 'utf8'),
);

describe('the gateway as a Lambda function (API Gateway HTTP API event)', () => {
  it('answers a GraphQL POST with the functions and inventory it is given', async () => {
    const requests: FunctionRequest[] = [];
    const handler = createLambdaHandler(() =>
      buildGateway({
        logger: testLogger(),
        invoker: {
          invoke: async (_fn, request) => {
            requests.push(request);
            return {
              statusCode: 200,
              body: {
                edges: [{ cursor: 'c1', node: { sku: 'LAMP', id: 'p1' } }],
                pageInfo: { hasNextPage: false, endCursor: 'c1' },
              },
            };
          },
        },
        stock: {
          getStock: async (skus) =>
            skus.map((sku) => ({ sku, available: 4, reserved: 1, sold: 0, version: 1 })),
        },
        settings: gatewaySettings({ rateLimitPerMinute: 100 }),
      }),
    );
    try {
      const response = await handler(event, {} as never);
      assert.equal(response.statusCode, 200);
      assert.deepEqual(JSON.parse(response.body), {
        data: { products: { edges: [{ node: { sku: 'LAMP', stock: { available: 4 } } }] } },
      });
      assert.equal(response.headers?.['x-request-id'], 'req-graphql-1');
      assert.deepEqual(JSON.parse(JSON.stringify(requests)), [
        { method: 'GET', path: '/products', query: { first: 2 }, requestId: 'req-graphql-1' },
      ]);
    } finally {
      await handler.close();
    }
  });
});
