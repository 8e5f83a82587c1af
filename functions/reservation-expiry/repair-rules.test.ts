import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newEvent } from '../../shared/events/envelope.js';
import { decideRepair } from './repair-rules.js';

describe('repair rules for a PENDING order', () => {
  const bounds = { stuckAfterMs: 300_000 };
  const placedAt = new Date('2026-12-01T10:00:00Z');
  const after = (minutes: number) => new Date(placedAt.getTime() + minutes * 60_000);
  const order = {
    status: 'PENDING' as const,
    outbox: [],
    outboxParked: [],
    repairRequeuedAt: null,
    createdAt: placedAt,
  };
  const event = newEvent(
    'OrderCancelled',
    { orderId: 'o', userId: 'u', reason: 'CANCELLED_BY_CUSTOMER', previousStatus: 'PENDING' },
    { source: 'test', subject: 'o' },
  );

  it('leaves a young order, and any order that is not PENDING, alone', () => {
    assert.equal(decideRepair(order, after(4), bounds).action, 'WAIT');
    assert.equal(decideRepair({ ...order, status: 'RESERVED' }, after(60), bounds).action, 'WAIT');
  });

  it('leaves events waiting for the relay to the relay', () => {
    assert.equal(decideRepair({ ...order, outbox: [event] }, after(60), bounds).action, 'WAIT');
  });

  it('sends the OrderPlaced again once, then gives it one bound before cancelling', () => {
    assert.equal(decideRepair(order, after(6), bounds).action, 'REQUEUE');
    const requeued = { ...order, repairRequeuedAt: after(6) };
    assert.equal(decideRepair(requeued, after(10), bounds).action, 'WAIT');
    assert.equal(decideRepair(requeued, after(11), bounds).action, 'CANCEL');
  });

  it('cancels at once an order whose events cannot be published', () => {
    const parked = { ...order, outboxParked: [{ event, reason: 'invalid', at: after(1) }] };
    assert.equal(decideRepair(parked, after(6), bounds).action, 'CANCEL');
  });
});
