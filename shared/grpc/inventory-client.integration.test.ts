import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { ErrorCode, isAppError } from '../errors/catalogue.js';
import { createInventoryClient, type InventoryClient } from './inventory-client.js';
import { loadInventoryProto } from './inventory-proto.js';

/**
 * The client's retry policy against a real gRPC server whose every unary call answers
 * UNAVAILABLE (a restarting inventory): an idempotent RPC is sent again, Restock only once.
 */
describe('inventory client retries', () => {
  const calls = new Map<string, number>();
  let server: Server;
  let client: InventoryClient;

  before(async () => {
    const { proto } = loadInventoryProto();
    const definition = proto.orderly.inventory.v1.InventoryService.service;
    const unavailable =
      (method: string) =>
      (_call: ServerUnaryCall<unknown, unknown>, reply: sendUnaryData<unknown>) => {
        calls.set(method, (calls.get(method) ?? 0) + 1);
        reply({ code: status.UNAVAILABLE, details: 'restarting' });
      };
    server = new Server();
    const handlers = Object.fromEntries(
      Object.entries(definition).map(([name, method]) => [
        name,
        method.responseStream ? () => undefined : unavailable(name),
      ]),
    );
    server.addService(definition, handlers);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) =>
        err ? reject(err) : resolve(bound),
      ),
    );
    client = createInventoryClient({ address: `127.0.0.1:${port}`, deadlineMs: 10_000 });
  });

  after(async () => {
    client.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });

  const refusal = async (call: Promise<unknown>) => {
    const err = await call.then(
      () => assert.fail('expected a refusal'),
      (error: unknown) => error,
    );
    assert.ok(isAppError(err));
    return err;
  };

  it('sends a reservation again while the server is unavailable', async () => {
    const err = await refusal(client.reserve('retry-1', [{ sku: 'A', quantity: 1 }], 60));
    assert.equal(err.code, ErrorCode.UNAVAILABLE);
    assert.equal(calls.get('Reserve'), 4);
  });

  it('sends the hold calls again while the server is unavailable: each is idempotent per hold', async () => {
    const lines = [{ sku: 'A', quantity: 1 }];
    for (const [method, call] of [
      ['Hold', () => client.hold('retry-h', lines)],
      ['ReleaseHeld', () => client.releaseHeld('retry-h', lines)],
      ['CommitHeld', () => client.commitHeld('retry-h', lines)],
      ['ReturnSold', () => client.returnSold('retry-h', lines)],
    ] as const) {
      const err = await refusal(call());
      assert.equal(err.code, ErrorCode.UNAVAILABLE, method);
      assert.equal(calls.get(method), 4, method);
    }
  });

  it('sends a restock once: a repeat could add the stock twice', async () => {
    const err = await refusal(client.restock('A', 5));
    assert.equal(err.code, ErrorCode.UNAVAILABLE);
    assert.equal(calls.get('Restock'), 1);
  });
});
