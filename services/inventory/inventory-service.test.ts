import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { ErrorCode } from '../../shared/errors/catalogue.js';
import { createLogger } from '../../shared/logger/logger.js';
import { InMemoryStockStore } from '../../test-support/in-memory-stock-store.js';
import { refusal } from '../../test-support/refusal.js';
import { InventoryService } from './inventory-service.js';

const PENDING_TIMEOUT_MS = 30_000;

describe('InventoryService rules (in-memory store)', () => {
  let now: Date;
  let store: InMemoryStockStore;
  let service: InventoryService;

  beforeEach(async () => {
    now = new Date('2026-11-23T12:00:00Z');
    store = new InMemoryStockStore(() => now);
    service = new InventoryService(store, () => undefined, {
      logger: createLogger({ name: 'test', level: 'silent' }),
      defaultTtlSeconds: 900,
      pendingTimeoutMs: PENDING_TIMEOUT_MS,
      clock: () => now,
    });
    await service.restock('A', 5);
    await service.restock('B', 5);
  });

  it('answers RESERVED at once and confirms the stored reservation lazily', async () => {
    const reserved = await service.reserve({
      reservationId: 'r1',
      lines: [{ sku: 'A', quantity: 2 }],
    });
    assert.equal(reserved.state, 'RESERVED');
    assert.equal(
      store.reservations.get('r1')?.state,
      'PENDING',
      'not confirmed yet: one write saved',
    );
    now = new Date(now.getTime() + PENDING_TIMEOUT_MS + 1);
    assert.deepEqual(await service.sweep(), { expired: 0, abandoned: 0, settled: 0 });
    assert.equal(store.reservations.get('r1')?.state, 'RESERVED', 'the sweeper confirmed it');
  });

  it('answers "retry later" to a release of a reservation whose holds are still being taken', async () => {
    let resume: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => {
      resume = resolve;
    });
    store.beforeHold = async (_id, line) => {
      if (line.sku === 'B') await paused;
    };
    const reserving = service.reserve({
      reservationId: 'r2',
      lines: [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ],
    });
    await new Promise((resolve) => setImmediate(resolve));
    const early = await refusal(service.release('r2'));
    // Not INVALID_STATE: that is final, and would make the saga treat the holds as gone.
    assert.equal(early.code, ErrorCode.IN_PROGRESS);
    assert.match(early.message, /still being made/);

    resume();
    assert.equal((await reserving).state, 'RESERVED');
    assert.equal((await service.release('r2')).state, 'RELEASED');
    const levels = await service.getStock(['A', 'B']);
    assert.deepEqual(
      levels.map((l) => [l.available, l.reserved]),
      [
        [5, 0],
        [5, 0],
      ],
    );
  });

  it('rolls back a reservation abandoned mid-way, and a retry starts it again', async () => {
    store.beforeHold = async (_id, line) => {
      if (line.sku === 'B') throw new Error('process died');
    };
    await assert.rejects(
      service.reserve({
        reservationId: 'r3',
        lines: [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 2 },
        ],
      }),
      /process died/,
    );
    assert.equal((await service.getStock(['A']))[0]?.reserved, 2, 'the first hold was taken');

    now = new Date(now.getTime() + PENDING_TIMEOUT_MS + 1);
    assert.equal((await service.sweep()).abandoned, 1);
    assert.equal(store.reservations.get('r3')?.state, 'REJECTED');
    assert.equal((await service.getStock(['A']))[0]?.reserved, 0, 'the hold went back');

    store.beforeHold = async () => undefined;
    const retried = await service.reserve({
      reservationId: 'r3',
      lines: [
        { sku: 'B', quantity: 2 },
        { sku: 'A', quantity: 2 },
      ],
    });
    assert.equal(retried.state, 'RESERVED');
    const levels = await service.getStock(['A', 'B']);
    assert.deepEqual(
      levels.map((l) => l.reserved),
      [2, 2],
    );
  });

  it('returns the holds of a call so slow that the sweeper rolled it back meanwhile', async () => {
    store.beforeHold = async (id, line) => {
      if (line.sku !== 'B') return;
      // While this call sits between its holds, time passes and the sweeper runs.
      now = new Date(now.getTime() + PENDING_TIMEOUT_MS + 1);
      await service.sweep();
      assert.equal(store.reservations.get(id)?.state, 'REJECTED');
    };
    const err = await refusal(
      service.reserve({
        reservationId: 'r4',
        lines: [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 1 },
        ],
      }),
    );
    assert.equal(err.code, ErrorCode.UNAVAILABLE, 'the caller is told to retry');
    const levels = await service.getStock(['A', 'B']);
    assert.deepEqual(
      levels.map((l) => [l.available, l.reserved]),
      [
        [5, 0],
        [5, 0],
      ],
      'no hold is left behind',
    );
  });

  it('expires a reservation that was never confirmed once its time-to-live passes', async () => {
    await service.reserve({
      reservationId: 'r5',
      lines: [{ sku: 'A', quantity: 3 }],
      ttlSeconds: 10,
    });
    now = new Date(now.getTime() + 11_000);
    assert.equal((await service.sweep()).expired, 1);
    assert.equal(store.reservations.get('r5')?.state, 'EXPIRED');
    assert.equal((await service.getStock(['A']))[0]?.available, 5);
    assert.equal((await refusal(service.commit('r5'))).code, ErrorCode.INVALID_STATE);
  });

  it('refuses to commit after the time-to-live even before the sweeper ran', async () => {
    await service.reserve({
      reservationId: 'r6',
      lines: [{ sku: 'A', quantity: 1 }],
      ttlSeconds: 5,
    });
    now = new Date(now.getTime() + 6_000);
    const err = await refusal(service.commit('r6'));
    assert.equal(err.code, ErrorCode.INVALID_STATE);
    assert.equal((await service.getStock(['A']))[0]?.available, 5);
  });

  it('returns committed stock once, and finishes a return interrupted half-way', async () => {
    const lines = [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 3 },
    ];
    await service.reserve({ reservationId: 'r7', lines });
    await service.commit('r7');
    assert.equal((await refusal(service.returnStock('nope'))).code, ErrorCode.NOT_FOUND);
    await service.reserve({ reservationId: 'r8', lines: [{ sku: 'A', quantity: 1 }] });
    assert.equal((await refusal(service.returnStock('r8'))).code, ErrorCode.INVALID_STATE);

    // A crash after the state moved and one SKU was returned:
    await store.transition('r7', ['COMMITTED'], 'RETURNED', { settled: false });
    await store.returnSold('r7', { sku: 'A', quantity: 2 });
    const returned = await service.returnStock('r7');
    assert.equal(returned.state, 'RETURNED');
    assert.equal((await service.returnStock('r7')).state, 'RETURNED');
    const levels = await service.getStock(['A', 'B']);
    assert.deepEqual(
      levels.map(({ available, reserved, sold }) => ({ available, reserved, sold })),
      [
        { available: 4, reserved: 1, sold: 0 },
        { available: 5, reserved: 0, sold: 0 },
      ],
    );
    assert.equal((await refusal(service.release('r7'))).code, ErrorCode.INVALID_STATE);
    assert.equal((await service.commit('r7')).state, 'RETURNED');
  });
});
