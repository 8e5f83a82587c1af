import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { HttpApp } from '../shared/http/http-app.js';
import { testLogger } from '../test-support/integration-env.js';
import { buildGateway } from './app.js';
import { gatewaySettings } from './settings.js';

type Message = { id?: string; type: string; payload?: unknown };

/** A graphql-transport-ws connection that keeps every message it gets. */
async function connect(url: string) {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const received: Message[] = [];
  socket.on('message', (data) => received.push(JSON.parse(String(data))));
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  const until = async (predicate: () => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`${what}; got ${JSON.stringify(received)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await until(() => received.some((m) => m.type === 'connection_ack'), 'no ack');
  return { socket, received, until };
}

const STOCK = 'subscription { stockChanged(skus: ["LIMIT-SKU"]) { sku available } }';

/**
 * The gateway's WebSocket guards, on a real socket: subscriptions per connection, connections
 * per client, the field and alias limits queries have, and the message size.
 */
describe('live-update limits', () => {
  let app: HttpApp;
  let url: string;

  before(async () => {
    app = await buildGateway({
      logger: testLogger(),
      invoker: { invoke: async () => ({ statusCode: 500, body: null }) },
      stock: { getStock: async () => [] },
      settings: gatewaySettings({
        rateLimitPerMinute: 10_000,
        bodyLimit: 16 * 1024,
        subscriptions: { socketsPerClient: 3, subscriptionsPerSocket: 10 },
      }),
      subscriptions: true,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  });
  after(() => app.close());

  it('refuses 200 subscriptions on one socket past its cap, and takes one again after a stop', async () => {
    const { socket, received, until } = await connect(url);
    for (let i = 1; i <= 200; i++) {
      socket.send(JSON.stringify({ id: `s${i}`, type: 'subscribe', payload: { query: STOCK } }));
    }
    const errors = () => received.filter((m) => m.type === 'error');
    await until(() => errors().length === 190, 'not 190 refusals');
    const refusedIds = new Set(errors().map((m) => m.id));
    assert.ok(
      [...Array(10)].every((_, i) => !refusedIds.has(`s${i + 1}`)),
      'the first ten run',
    );
    assert.match(JSON.stringify(errors()[0]?.payload), /At most 10 subscriptions per connection/);
    // Ending one frees its place.
    socket.send(JSON.stringify({ id: 's1', type: 'complete' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.send(JSON.stringify({ id: 'again', type: 'subscribe', payload: { query: STOCK } }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(received.filter((m) => m.id === 'again' && m.type === 'error').length, 0);
    socket.close();
  });

  it('applies the alias and field limits of queries to subscriptions', async () => {
    const { socket, received, until } = await connect(url);
    const aliased = `subscription { ${Array.from({ length: 25 }, (_, i) => `a${i}: stockChanged(skus: ["X"]) { sku }`).join(' ')} }`;
    socket.send(JSON.stringify({ id: 'wide', type: 'subscribe', payload: { query: aliased } }));
    await until(() => received.some((m) => m.id === 'wide' && m.type === 'error'), 'no refusal');
    assert.match(JSON.stringify(received.find((m) => m.id === 'wide')?.payload), /aliases/);
    socket.close();
  });

  it('closes a connection that sends a message over the size limit', async () => {
    const { socket } = await connect(url);
    const closed = once(socket, 'close');
    socket.send(
      JSON.stringify({
        id: 'big',
        type: 'subscribe',
        payload: { query: STOCK, pad: 'x'.repeat(64 * 1024) },
      }),
    );
    const [code] = (await closed) as [number];
    assert.equal(code, 1009, 'message too big');
  });

  it('refuses a client a fourth connection while it holds three', async () => {
    const held = [await connect(url), await connect(url), await connect(url)];
    const fourth = new WebSocket(url, 'graphql-transport-ws');
    const [error] = (await once(fourth, 'error')) as [Error];
    assert.match(error.message, /Unexpected server response: 429/);
    for (const { socket } of held) socket.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await connect(url);
    again.socket.close();
  });
});
