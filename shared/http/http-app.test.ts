import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { MongoClient } from 'mongodb';
import { conflict } from '../errors/catalogue.js';
import { createLogger } from '../logger/logger.js';
import { createHttpApp } from './http-app.js';
import { createLambdaHandler } from './lambda-handler.js';

/** A pino destination that keeps every line, to check what the app logs. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, logger: createLogger({ name: 'test', level: 'info', destination: stream }) };
}

function exampleApp(logger = createLogger({ name: 'test', level: 'silent' })) {
  const app = createHttpApp({ component: 'test', logger, bodyLimit: 1024 });
  app.post(
    '/echo',
    {
      schema: {
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 20 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({ hello: request.body.name }),
  );
  app.get('/boom', async () => {
    throw new Error('connection to mongodb://admin:hunter2@db failed');
  });
  app.get('/taken', async () => {
    throw conflict('That slug is taken', { field: 'slug' });
  });
  return app;
}

describe('createHttpApp', () => {
  it('serves a valid request and echoes or assigns a request id', async () => {
    const app = exampleApp();
    const given = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'x-request-id': 'abc-123' },
      payload: { name: 'Ada' },
    });
    assert.equal(given.statusCode, 200);
    assert.deepEqual(given.json(), { hello: 'Ada' });
    assert.equal(given.headers['x-request-id'], 'abc-123');
    const assigned = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'Ada' } });
    assert.match(String(assigned.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('refuses invalid bodies with BAD_USER_INPUT naming the field', async () => {
    const app = exampleApp();
    const cases: [unknown, string][] = [
      [{}, 'body.name'],
      [{ name: 42 }, 'body.name'],
      [{ name: 'x'.repeat(21) }, 'body.name'],
      [{ name: { $ne: '' } }, 'body.name'],
    ];
    for (const [payload, field] of cases) {
      const response = await app.inject({
        method: 'POST',
        url: '/echo',
        payload: payload as object,
      });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      const { error } = response.json();
      assert.equal(error.code, 'BAD_USER_INPUT');
      assert.equal(error.details.field, field);
      assert.match(error.message, new RegExp(`^${field.replace('.', '\\.')} `));
    }
  });

  it('refuses malformed JSON and oversized bodies with stable codes', async () => {
    const app = exampleApp();
    const malformed = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().error.code, 'BAD_USER_INPUT');
    const large = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: { name: 'x'.repeat(2000) },
    });
    assert.equal(large.statusCode, 413);
    assert.equal(large.json().error.code, 'PAYLOAD_TOO_LARGE');
  });

  it('answers unknown errors with a bare 500 and logs the cause with the request id', async () => {
    const { lines, logger } = capture();
    const app = exampleApp(logger);
    const response = await app.inject({
      method: 'GET',
      url: '/boom',
      headers: { 'x-request-id': 'req-9' },
    });
    assert.equal(response.statusCode, 500);
    assert.deepEqual(response.json(), { error: { code: 'INTERNAL', message: 'Internal error' } });
    assert.doesNotMatch(response.body, /hunter2|mongodb/);
    const failed = lines.find((line) => line.msg === 'request failed');
    assert.equal(failed?.requestId, 'req-9');
    assert.ok(
      lines.every((line) => line.requestId === 'req-9'),
      'every line of the request has its id',
    );
  });

  it('answers with 503 UNAVAILABLE while the database cannot be reached', async () => {
    const logger = createLogger({ name: 'test', level: 'silent' });
    // A real client whose server is not there: nothing listens on port 1.
    const mongo = new MongoClient('mongodb://127.0.0.1:1/?directConnection=true', {
      serverSelectionTimeoutMS: 200,
    });
    const app = createHttpApp({ component: 'test', logger, bodyLimit: 1024 });
    app.get('/count', async () => ({ n: await mongo.db('x').collection('t').countDocuments() }));
    try {
      const response = await app.inject({ method: 'GET', url: '/count' });
      assert.equal(response.statusCode, 503);
      assert.equal(response.json().error.code, 'UNAVAILABLE');
      assert.doesNotMatch(response.body, /127\.0\.0\.1|ECONNREFUSED/);
    } finally {
      await app.close();
      await mongo.close();
    }
  });

  it('maps catalogue errors and unknown routes', async () => {
    const app = exampleApp();
    const taken = await app.inject({ method: 'GET', url: '/taken' });
    assert.equal(taken.statusCode, 409);
    assert.deepEqual(taken.json(), {
      error: { code: 'CONFLICT', message: 'That slug is taken', details: { field: 'slug' } },
    });
    const missing = await app.inject({ method: 'GET', url: '/nowhere' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'NOT_FOUND');
  });
});

describe('createLambdaHandler', () => {
  it('serves an API Gateway HTTP API (v2) event and reuses the app', async () => {
    let builds = 0;
    const handler = createLambdaHandler(() => {
      builds++;
      return exampleApp();
    });
    const event = JSON.parse(
      readFileSync(new URL('./fixtures/api-gateway-v2-post.json', import.meta.url), 'utf8'),
    );
    const context = { awsRequestId: 'lambda-req-1' } as never;
    const first = await handler(event, context);
    assert.equal(first.statusCode, 200);
    assert.deepEqual(JSON.parse(first.body), { hello: 'Ada' });
    assert.match(first.headers['content-type'] ?? '', /^application\/json/);
    assert.equal(first.headers['x-request-id'], 'req-from-client-1');
    const empty = '{"name":""}';
    const second = await handler(
      {
        ...event,
        headers: { ...event.headers, 'content-length': String(empty.length) },
        body: Buffer.from(empty).toString('base64'),
      },
      context,
    );
    assert.equal(second.statusCode, 400);
    assert.equal(JSON.parse(second.body).error.details.field, 'body.name');
    assert.equal(builds, 1);
  });

  it('builds again on the next invocation when the first start failed', async () => {
    let attempts = 0;
    const handler = createLambdaHandler(() => {
      attempts++;
      if (attempts === 1) throw new Error('database unreachable');
      return exampleApp();
    });
    const event = JSON.parse(
      readFileSync(new URL('./fixtures/api-gateway-v2-post.json', import.meta.url), 'utf8'),
    );
    await assert.rejects(handler(event, {} as never), /database unreachable/);
    assert.equal((await handler(event, {} as never)).statusCode, 200);
    assert.equal(attempts, 2);
  });

  it('serves once the clients connecting meanwhile are connected, and starts over if not', async () => {
    let attempts = 0;
    let closed = 0;
    const handler = createLambdaHandler(() => {
      attempts++;
      const app = exampleApp();
      app.addHook('onClose', async () => {
        closed++;
      });
      const connected =
        attempts === 1
          ? new Promise((_, reject) => setTimeout(() => reject(new Error('no server')), 20))
          : Promise.resolve();
      return { app, connected };
    });
    const event = JSON.parse(
      readFileSync(new URL('./fixtures/api-gateway-v2-post.json', import.meta.url), 'utf8'),
    );
    await assert.rejects(handler(event, {} as never), /no server/);
    assert.equal(closed, 1, 'the app of the failed start was closed');
    assert.equal((await handler(event, {} as never)).statusCode, 200);
    assert.equal(attempts, 2);
  });
});
