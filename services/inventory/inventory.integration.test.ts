import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import {
  type ClientDuplexStream,
  credentials,
  type GrpcObject,
  loadPackageDefinition,
  type ServiceClientConstructor,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { MongoClient } from 'mongodb';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { loadConfig } from '../../shared/config/config.js';
import { AppError, ErrorCode } from '../../shared/errors/catalogue.js';
import {
  createInventoryClient,
  type InventoryClient,
  type StockLevel,
} from '../../shared/grpc/inventory-client.js';
import { createKafka } from '../../shared/kafka/kafka-client.js';
import { eventually } from '../../test-support/eventually.js';
import { testLogger, uniqueName } from '../../test-support/integration-env.js';
import { refusal } from '../../test-support/refusal.js';
import { readInventoryConfig } from './config.js';
import { checkHealth } from './health-check.js';
import { type RunningInventory, startInventory } from './inventory-app.js';
import type { FileDescriptor } from './reflection-descriptors.js';

function grpcStatusOf(err: AppError): number | undefined {
  return (err.cause as { code?: number } | undefined)?.code;
}

interface ReflectionReply {
  list_services_response?: { service: { name: string }[] };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_message: string };
}

/** A grpc.reflection.v1 client, as grpcurl uses it: one question per stream. */
function reflectionClient(address: string) {
  const protoFile = createRequire(import.meta.url).resolve(
    '@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto',
  );
  const reflection = loadPackageDefinition(loadSync(protoFile, { keepCase: true })) as GrpcObject;
  const v1 = ((reflection.grpc as GrpcObject).reflection as GrpcObject).v1 as GrpcObject;
  const Client = v1.ServerReflection as ServiceClientConstructor;
  const stub = new Client(address, credentials.createInsecure()) as unknown as {
    ServerReflectionInfo(): unknown;
    close(): void;
  };
  return {
    async ask(request: Record<string, string>): Promise<ReflectionReply> {
      const call = stub.ServerReflectionInfo() as ClientDuplexStream<
        Record<string, string>,
        ReflectionReply
      >;
      const [reply] = await Promise.all([once(call, 'data'), call.write(request)]);
      call.end();
      return reply[0] as ReflectionReply;
    },
    close: () => stub.close(),
  };
}

describe('inventory gRPC service (real server over a socket, real MongoDB and Kafka)', () => {
  const config = loadConfig(readInventoryConfig, {
    ...process.env,
    MONGODB_DB: uniqueName('it_inventory'),
    INVENTORY_GRPC_ADDR: '127.0.0.1:0',
    INVENTORY_STOCK_TOPIC: uniqueName('it.inventory'),
    INVENTORY_STOCK_TOPIC_PARTITIONS: '3',
    INVENTORY_SWEEP_INTERVAL_MS: '200',
    INVENTORY_SHUTDOWN_DRAIN_MS: '0',
  });
  let inventory: RunningInventory;
  let client: InventoryClient;
  let address: string;

  before(async () => {
    inventory = await startInventory(config, testLogger());
    address = `127.0.0.1:${inventory.port}`;
    client = createInventoryClient({ address, deadlineMs: 5_000 });
  });

  after(async () => {
    client.close();
    await inventory.stop();
    const mongo = new MongoClient(config.mongo.uri);
    await mongo.db(config.mongo.dbName).dropDatabase();
    await mongo.close();
    const admin = createKafka(config.kafka, { logger: testLogger() }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [config.stockTopic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('reports SERVING on the standard health service', async () => {
    assert.equal(await checkHealth(address), 'SERVING');
    assert.equal(await checkHealth(address, 'orderly.inventory.v1.InventoryService'), 'SERVING');
  });

  it('lists its services through server reflection', async () => {
    const reflection = reflectionClient(address);
    const reply = await reflection.ask({ list_services: '*' });
    reflection.close();
    const names = reply.list_services_response?.service.map((service) => service.name);
    assert.ok(names?.includes('orderly.inventory.v1.InventoryService'), `services: ${names}`);
  });

  it('describes the health service through reflection, as grpcurl needs to call it', async () => {
    const reflection = reflectionClient(address);
    const listed = await reflection.ask({ list_services: '*' });
    const names = listed.list_services_response?.service.map((service) => service.name);
    assert.ok(names?.includes('grpc.health.v1.Health'), `services: ${names}`);
    const described = await reflection.ask({ file_containing_symbol: 'grpc.health.v1.Health' });
    reflection.close();
    assert.equal(described.error_response, undefined);
    const files = described.file_descriptor_response?.file_descriptor_proto ?? [];
    assert.ok(files.some((file) => Buffer.from(file).toString('latin1').includes('Check')));
    // Map fields as protoc describes them, or grpcurl refuses the file: the entry message is
    // `<Field>Entry`, marked map_entry, and the field names it in full.
    const health = files
      .map(
        (file) =>
          descriptor.FileDescriptorProto.decode(Buffer.from(file)) as unknown as FileDescriptor,
      )
      .find((file) => file.package === 'grpc.health.v1');
    const list = health?.messageType?.find((message) => message.name === 'HealthListResponse');
    const statuses = list?.field?.find((field) => field.name === 'statuses');
    const entries = (list?.nestedType ?? []).filter((type) => type.options?.mapEntry);
    assert.deepEqual(
      entries.map((type) => type.name),
      ['StatusesEntry'],
    );
    assert.equal(statuses?.typeName, '.grpc.health.v1.HealthListResponse.StatusesEntry');
  });

  it('reads unknown SKUs as zero, in request order', async () => {
    await client.restock('GS-B', 4);
    const levels = await client.getStock(['GS-UNKNOWN', 'GS-B']);
    assert.deepEqual(
      levels.map((l) => [l.sku, l.available, l.reserved]),
      [
        ['GS-UNKNOWN', 0, 0],
        ['GS-B', 4, 0],
      ],
    );
  });

  it('never oversells: 200 concurrent reservations of 1 for a stock of 10', async () => {
    const sku = 'HOT-1';
    await client.restock(sku, 10);
    const seen: StockLevel[] = [];
    const watch = await client.watchStock([sku]);
    watch.on('data', (level: StockLevel) => seen.push(level));
    watch.on('error', () => undefined); // cancelled at the end
    await new Promise((resolve) => setTimeout(resolve, 100));

    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => client.reserve(`hot-${i}`, [{ sku, quantity: 1 }])),
    );
    const granted = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter(
      (r) =>
        r.status === 'rejected' &&
        r.reason instanceof AppError &&
        r.reason.code === ErrorCode.OUT_OF_STOCK,
    ).length;
    assert.equal(granted, 10);
    assert.equal(refused, 190);
    const [level] = await client.getStock([sku]);
    assert.equal(level?.available, 0);
    assert.equal(level?.reserved, 10);

    await eventually(
      () => seen.filter((l) => l.reserved === 10).length > 0,
      5_000,
      'the last change',
    );
    watch.cancel();
    assert.ok(seen.length >= 10, `the watcher saw ${seen.length} changes`);
    for (const change of seen) {
      assert.ok(change.available >= 0 && change.available <= 10, `available ${change.available}`);
      assert.equal(change.available + change.reserved, 10);
    }
  });

  it('sums a SKU repeated on two lines and reserves nothing when the sum exceeds stock', async () => {
    await client.restock('SUM-1', 5);
    await client.restock('SUM-2', 5);
    const err = await refusal(
      client.reserve('sum-too-much', [
        { sku: 'SUM-2', quantity: 1 },
        { sku: 'SUM-1', quantity: 3 },
        { sku: 'SUM-1', quantity: 3 },
      ]),
    );
    assert.equal(err.code, ErrorCode.OUT_OF_STOCK);
    assert.equal(grpcStatusOf(err), status.FAILED_PRECONDITION);
    assert.deepEqual(err.details?.skus, ['SUM-1']);
    assert.match(err.message, /SUM-1/);
    const levels = await client.getStock(['SUM-1', 'SUM-2']);
    assert.deepEqual(
      levels.map((l) => [l.available, l.reserved]),
      [
        [5, 0],
        [5, 0],
      ],
      'nothing stays reserved',
    );

    const ok = await client.reserve('sum-fits', [
      { sku: 'SUM-1', quantity: 2 },
      { sku: 'SUM-1', quantity: 3 },
    ]);
    assert.deepEqual(ok.lines, [{ sku: 'SUM-1', quantity: 5 }]);
    assert.equal(ok.state, 'RESERVED');
  });

  it('names every SKU that lacks stock', async () => {
    await client.restock('MULTI-OK', 10);
    const err = await refusal(
      client.reserve('multi-short', [
        { sku: 'MULTI-OK', quantity: 1 },
        { sku: 'MULTI-NONE-A', quantity: 1 },
        { sku: 'MULTI-NONE-B', quantity: 1 },
      ]),
    );
    assert.deepEqual(err.details?.skus, ['MULTI-NONE-A', 'MULTI-NONE-B']);
    const [level] = await client.getStock(['MULTI-OK']);
    assert.equal(level?.available, 10);
  });

  it('is idempotent on the reservation id; release returns stock once; commit after release is refused', async () => {
    await client.restock('IDEM-1', 10);
    const lines = [{ sku: 'IDEM-1', quantity: 3 }];
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => client.reserve('idem-1', lines)),
    );
    assert.equal(new Set(replies.map((r) => r.expiresAtMs)).size, 1, 'one reservation');
    let [level] = await client.getStock(['IDEM-1']);
    assert.deepEqual([level?.available, level?.reserved], [7, 3]);

    const other = await refusal(client.reserve('idem-1', [{ sku: 'IDEM-1', quantity: 4 }]));
    assert.equal(other.code, ErrorCode.CONFLICT);
    assert.equal(grpcStatusOf(other), status.ALREADY_EXISTS);

    assert.equal((await client.release('idem-1')).state, 'RELEASED');
    assert.equal((await client.release('idem-1')).state, 'RELEASED');
    [level] = await client.getStock(['IDEM-1']);
    assert.deepEqual([level?.available, level?.reserved], [10, 0]);

    const late = await refusal(client.commit('idem-1'));
    assert.equal(late.code, ErrorCode.INVALID_STATE);
    assert.equal(grpcStatusOf(late), status.FAILED_PRECONDITION);
  });

  it('commits: stock becomes sold; commit is idempotent; release after commit is refused', async () => {
    await client.restock('SOLD-1', 5);
    await client.reserve('sold-1', [{ sku: 'SOLD-1', quantity: 2 }]);
    assert.equal((await client.commit('sold-1')).state, 'COMMITTED');
    assert.equal((await client.commit('sold-1')).state, 'COMMITTED');
    const [level] = await client.getStock(['SOLD-1']);
    assert.deepEqual([level?.available, level?.reserved, level?.sold], [3, 0, 2]);
    const err = await refusal(client.release('sold-1'));
    assert.equal(err.code, ErrorCode.INVALID_STATE);
    assert.equal((await refusal(client.release('no-such-reservation'))).code, ErrorCode.NOT_FOUND);
  });

  it('returns the sold stock of a committed reservation once (a cancel after payment)', async () => {
    await client.restock('RETURN-1', 4);
    await client.reserve('return-1', [{ sku: 'RETURN-1', quantity: 3 }]);
    await client.commit('return-1');
    const returns = await Promise.all([1, 2, 3].map(() => client.returnStock('return-1')));
    assert.ok(returns.every((reservation) => reservation.state === 'RETURNED'));
    const [level] = await client.getStock(['RETURN-1']);
    assert.deepEqual(
      { available: level?.available, reserved: level?.reserved, sold: level?.sold },
      { available: 4, reserved: 0, sold: 0 },
    );
    await client.reserve('return-2', [{ sku: 'RETURN-1', quantity: 1 }]);
    assert.equal((await refusal(client.returnStock('return-2'))).code, ErrorCode.INVALID_STATE);
  });

  it('releases an expired reservation through the sweeper, and the watcher sees both changes', async () => {
    await client.restock('TTL-1', 3);
    const seen: StockLevel[] = [];
    const watch = await client.watchStock(['TTL-1']);
    watch.on('data', (level: StockLevel) => seen.push(level));
    watch.on('error', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const reservation = await client.reserve('ttl-1', [{ sku: 'TTL-1', quantity: 2 }], 1);
    assert.ok(reservation.expiresAtMs > Date.now());
    await eventually(
      async () => (await client.getStock(['TTL-1']))[0]?.available === 3,
      5_000,
      'the sweeper to release the reservation',
    );
    watch.cancel();
    assert.deepEqual(
      seen.map((l) => [l.available, l.reserved]),
      [
        [1, 2],
        [3, 0],
      ],
    );
    assert.equal((await client.release('ttl-1')).state, 'EXPIRED');
    assert.equal((await refusal(client.commit('ttl-1'))).code, ErrorCode.INVALID_STATE);
  });

  describe('holds (the caller keeps the record)', () => {
    const levelOf = async (sku: string) => {
      const [level] = await client.getStock([sku]);
      return { available: level?.available, reserved: level?.reserved, sold: level?.sold };
    };

    it('holds every line in one call, once per hold id, and commits them once', async () => {
      await client.initStock([
        { sku: 'HOLD-A', quantity: 5 },
        { sku: 'HOLD-B', quantity: 5 },
      ]);
      const lines = [
        { sku: 'HOLD-B', quantity: 1 },
        { sku: 'HOLD-A', quantity: 2 },
        { sku: 'HOLD-B', quantity: 1 },
      ];
      const held = await Promise.all([1, 2, 3].map(() => client.hold('order-h1', lines)));
      for (const answer of held) {
        assert.deepEqual(answer.lines, [
          { sku: 'HOLD-A', quantity: 2 },
          { sku: 'HOLD-B', quantity: 2 },
        ]);
      }
      assert.deepEqual(await levelOf('HOLD-A'), { available: 3, reserved: 2, sold: 0 });
      assert.deepEqual(await levelOf('HOLD-B'), { available: 3, reserved: 2, sold: 0 });

      await Promise.all([1, 2].map(() => client.commitHeld('order-h1', held[0]?.lines ?? [])));
      assert.deepEqual(await levelOf('HOLD-A'), { available: 3, reserved: 0, sold: 2 });
      assert.deepEqual(await levelOf('HOLD-B'), { available: 3, reserved: 0, sold: 2 });
      // Committed: nothing held is left to release.
      assert.deepEqual(await client.releaseHeld('order-h1', lines), []);
      assert.deepEqual(await levelOf('HOLD-A'), { available: 3, reserved: 0, sold: 2 });

      const returns = await Promise.all([1, 2, 3].map(() => client.returnSold('order-h1', lines)));
      assert.equal(returns.length, 3);
      assert.deepEqual(await levelOf('HOLD-A'), { available: 5, reserved: 0, sold: 0 });
      assert.deepEqual(await levelOf('HOLD-B'), { available: 5, reserved: 0, sold: 0 });
    });

    it('names the SKUs short and those it holds, which stay held for the caller to release', async () => {
      await client.initStock([
        { sku: 'HOLD-C', quantity: 4 },
        { sku: 'HOLD-D', quantity: 1 },
        { sku: 'HOLD-E', quantity: 0 },
      ]);
      const lines = [
        { sku: 'HOLD-C', quantity: 3 },
        { sku: 'HOLD-D', quantity: 2 },
        { sku: 'HOLD-E', quantity: 1 },
      ];
      const err = await refusal(client.hold('order-h2', lines));
      assert.equal(err.code, ErrorCode.OUT_OF_STOCK);
      assert.equal(grpcStatusOf(err), status.FAILED_PRECONDITION);
      assert.deepEqual(err.details?.skus, ['HOLD-D', 'HOLD-E']);
      assert.deepEqual(err.details?.held, ['HOLD-C']);
      assert.deepEqual(await levelOf('HOLD-C'), { available: 1, reserved: 3, sold: 0 });
      // A second call of the same id (a duplicate step) counts on the hold the first one took.
      const again = await refusal(client.hold('order-h2', lines));
      assert.deepEqual(again.details?.held, ['HOLD-C']);
      assert.deepEqual(await levelOf('HOLD-C'), { available: 1, reserved: 3, sold: 0 });
      assert.deepEqual(await client.releaseHeld('order-h2', lines), [
        { sku: 'HOLD-C', quantity: 3 },
      ]);
      assert.deepEqual(await levelOf('HOLD-C'), { available: 4, reserved: 0, sold: 0 });
      assert.deepEqual(await levelOf('HOLD-D'), { available: 1, reserved: 0, sold: 0 });
    });

    it('releases what it holds, once, and says what it released', async () => {
      await client.initStock([{ sku: 'HOLD-F', quantity: 2 }]);
      await client.hold('order-h3', [{ sku: 'HOLD-F', quantity: 2 }]);
      const releases = await Promise.all(
        [1, 2, 3].map(() => client.releaseHeld('order-h3', [{ sku: 'HOLD-F', quantity: 2 }])),
      );
      assert.deepEqual(
        releases.filter((released) => released.length > 0),
        [[{ sku: 'HOLD-F', quantity: 2 }]],
      );
      assert.deepEqual(await levelOf('HOLD-F'), { available: 2, reserved: 0, sold: 0 });
      // Released, not sold: a commit now finds nothing held.
      await client.commitHeld('order-h3', [{ sku: 'HOLD-F', quantity: 2 }]);
      assert.deepEqual(await levelOf('HOLD-F'), { available: 2, reserved: 0, sold: 0 });
    });

    it('never holds more than there is, whatever the number of callers', async () => {
      await client.initStock([{ sku: 'HOLD-HOT', quantity: 10 }]);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 60 }, (_, i) =>
          client.hold(`order-hot-${i}`, [{ sku: 'HOLD-HOT', quantity: 1 }]),
        ),
      );
      const held = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
      const refused = outcomes.filter(
        (outcome) =>
          outcome.status === 'rejected' &&
          (outcome.reason as AppError).code === ErrorCode.OUT_OF_STOCK,
      ).length;
      assert.deepEqual([held, refused], [10, 50]);
      assert.deepEqual(await levelOf('HOLD-HOT'), { available: 0, reserved: 10, sold: 0 });
    });

    it('lists the SKUs that have holds, page by page, with the ids holding each', async () => {
      await client.initStock([
        { sku: 'LIST-A', quantity: 5 },
        { sku: 'LIST-B', quantity: 5 },
        { sku: 'LIST-C', quantity: 5 },
      ]);
      await client.hold('list-1', [
        { sku: 'LIST-A', quantity: 1 },
        { sku: 'LIST-C', quantity: 1 },
      ]);
      await client.hold('list-2', [{ sku: 'LIST-C', quantity: 2 }]);
      const listed: { sku: string; holdIds: string[] }[] = [];
      for (let after = 'LIST-'; ; ) {
        const page = await client.listHolds(after, 1);
        listed.push(...page.filter((entry) => entry.sku.startsWith('LIST-')));
        if (page.length < 1 || !page[0]?.sku.startsWith('LIST-')) break;
        after = page[0].sku;
      }
      assert.deepEqual(listed, [
        { sku: 'LIST-A', holdIds: ['list-1'] },
        { sku: 'LIST-C', holdIds: ['list-1', 'list-2'] },
      ]);
      const bad = await refusal(client.listHolds('', 501));
      assert.equal(grpcStatusOf(bad), status.INVALID_ARGUMENT);
    });

    it('refuses a hold without an id or lines with INVALID_ARGUMENT', async () => {
      const noId = await refusal(client.hold('', [{ sku: 'HOLD-A', quantity: 1 }]));
      assert.equal(grpcStatusOf(noId), status.INVALID_ARGUMENT);
      assert.equal(noId.details?.field, 'hold_id');
      const noLines = await refusal(client.releaseHeld('order-x', []));
      assert.equal(grpcStatusOf(noLines), status.INVALID_ARGUMENT);
    });
  });

  it('restocks up, and down to no less than zero available', async () => {
    await client.restock('RS-1', 5);
    await client.reserve('rs-1', [{ sku: 'RS-1', quantity: 2 }]);
    const down = await client.restock('RS-1', -100);
    assert.deepEqual([down.available, down.reserved], [0, 2]);
  });

  it('refuses bad input with INVALID_ARGUMENT and a message', async () => {
    const cases: [string, Promise<unknown>][] = [
      ['empty sku', client.reserve('bad-1', [{ sku: '', quantity: 1 }])],
      ['over-long sku', client.reserve('bad-2', [{ sku: 'S'.repeat(65), quantity: 1 }])],
      ['zero quantity', client.reserve('bad-3', [{ sku: 'OK', quantity: 0 }])],
      ['absurd quantity', client.reserve('bad-4', [{ sku: 'OK', quantity: 1_000_000 }])],
      [
        'too many lines',
        client.reserve(
          'bad-5',
          Array.from({ length: 51 }, (_, i) => ({ sku: `L${i}`, quantity: 1 })),
        ),
      ],
      ['missing reservation id', client.reserve('', [{ sku: 'OK', quantity: 1 }])],
      ['no lines', client.reserve('bad-6', [])],
      ['operator-like sku', client.getStock(['$ne'])],
      ['zero restock', client.restock('OK', 0)],
      ['release without id', client.release('')],
    ];
    for (const [what, promise] of cases) {
      const err = await refusal(promise);
      assert.equal(err.code, ErrorCode.BAD_USER_INPUT, what);
      assert.equal(grpcStatusOf(err), status.INVALID_ARGUMENT, what);
      assert.ok(err.message.length > 10, `${what}: "${err.message}"`);
    }
  });

  it('refuses a WatchStock without valid SKUs with INVALID_ARGUMENT', {
    timeout: 5_000,
  }, async () => {
    const stream = await client.watchStock([]);
    const [err] = (await once(stream, 'error')) as [{ code: number; details: string }];
    assert.equal(err.code, status.INVALID_ARGUMENT);
    assert.match(err.details, /skus/);
  });

  it('publishes StockChanged events keyed by SKU to Kafka', async () => {
    await client.restock('KAFKA-1', 7);
    await client.reserve('kafka-1', [{ sku: 'KAFKA-1', quantity: 2 }]);
    const kafka = createKafka(config.kafka, { logger: testLogger() });
    const consumer = kafka.consumer({ groupId: uniqueName('it-stock') });
    const events: { key: string; type: string; available: number; cause: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: config.stockTopic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value?.toString() ?? '{}');
        if (event.subject === 'KAFKA-1') {
          events.push({
            key: message.key?.toString() ?? '',
            type: event.type,
            available: event.data.available,
            cause: event.data.cause,
          });
        }
      },
    });
    await eventually(() => events.length >= 2, 20_000, 'two StockChanged events');
    await consumer.disconnect();
    assert.deepEqual(events, [
      { key: 'KAFKA-1', type: 'StockChanged', available: 7, cause: 'restock' },
      { key: 'KAFKA-1', type: 'StockChanged', available: 5, cause: 'reserve' },
    ]);
  });
});
