import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newEvent } from '../../shared/events/envelope.js';
import { OrderStatus } from '../../shared/events/event-schemas.js';
import {
  ANNOUNCED_BY,
  INITIAL_STATUS,
  isLaterStatus,
  movesDirectly,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  type OrderFacts,
  type OrderTrigger,
  planTransition,
  statusAnnouncedBy,
} from './order-lifecycle.js';

const TRIGGERS = Object.keys(ORDER_TRANSITIONS) as OrderTrigger[];

const order = (status: OrderFacts['status']): OrderFacts => ({
  id: '65a000000000000000000001',
  userId: 'u1',
  status,
  totalCents: 1200,
  currency: 'EUR',
});

const cause = { id: 'cause-1', correlationId: '65a000000000000000000001' };

/** The step events a caller supplies for a trigger (those the order cannot build itself). */
function stepEvents(trigger: OrderTrigger) {
  const ref = { orderId: order('PENDING').id, userId: 'u1', reservationId: order('PENDING').id };
  const options = { source: 'test', subject: ref.orderId, causedBy: cause };
  if (trigger === 'StockRejected') {
    return [newEvent('StockRejected', { ...ref, shortage: ['A'], message: 'short' }, options)];
  }
  return [];
}

describe('the order lifecycle table', () => {
  it('starts an order where OrderPlaced announces it, and moves it on from there', () => {
    assert.equal(ANNOUNCED_BY[INITIAL_STATUS], 'OrderPlaced');
    const leaving = TRIGGERS.filter((trigger) =>
      (ORDER_TRANSITIONS[trigger].from as readonly string[]).includes(INITIAL_STATUS),
    );
    assert.ok(leaving.length > 0);
  });

  it('ranks every status the events and the API know', () => {
    const known = OrderStatus.anyOf.map((literal) => literal.const);
    assert.deepEqual([...ORDER_STATUSES].sort(), [...known].sort());
  });

  it('only ever moves an order forward, and never out of CANCELLED', () => {
    for (const trigger of TRIGGERS) {
      const rule = ORDER_TRANSITIONS[trigger];
      for (const from of rule.from) {
        assert.ok(isLaterStatus(rule.to, from), `${trigger}: ${from} → ${rule.to}`);
        assert.notEqual(from, 'CANCELLED');
      }
    }
  });

  it('announces every status it moves to with that status event, and cancels with a reason', () => {
    for (const trigger of TRIGGERS) {
      const rule: { to: string; emits: readonly string[]; reason?: string } =
        ORDER_TRANSITIONS[trigger];
      const announcer = ANNOUNCED_BY[rule.to as keyof typeof ANNOUNCED_BY];
      // RESERVED alone is not announced: the saga's step moves on from it (see ANNOUNCED_BY).
      if (announcer === null) assert.deepEqual(rule.emits, [], trigger);
      else assert.equal(rule.emits.at(-1), announcer, trigger);
      assert.equal(rule.to === 'CANCELLED', rule.reason !== undefined, trigger);
    }
  });

  it('names, in the OrderConfirmed, when the unannounced RESERVED was reached', () => {
    const reservedAt = new Date('2026-01-02T03:04:05.678Z');
    const plan = planTransition({ ...order('RESERVED'), reservedAt }, 'PaymentAuthorized', {
      appliedId: 'paid-1',
      source: 'saga',
    });
    const confirmed = plan?.emit[0];
    assert.equal(confirmed?.type, 'OrderConfirmed');
    assert.equal(
      (confirmed?.data as { reservedAt?: string } | undefined)?.reservedAt,
      '2026-01-02T03:04:05.678Z',
    );
  });

  it('plans each allowed move with exactly the events the table lists, and refuses the rest', () => {
    for (const trigger of TRIGGERS) {
      const rule = ORDER_TRANSITIONS[trigger];
      for (const status of ORDER_STATUSES) {
        const plan = planTransition(order(status), trigger, {
          appliedId: cause.id,
          causedBy: cause,
          source: 'test',
          stepEvents: stepEvents(trigger),
        });
        if (!(rule.from as readonly string[]).includes(status)) {
          assert.equal(plan, null, `${trigger} from ${status}`);
          continue;
        }
        assert.ok(plan, `${trigger} from ${status}`);
        assert.equal(plan.from, status);
        assert.equal(plan.to, rule.to);
        assert.deepEqual(
          plan.emit.map((event) => event.type),
          [...rule.emits],
        );
        assert.equal(plan.appliedId, cause.id);
      }
    }
  });

  it('builds the cancel event from the order, naming the status it left and the reason', () => {
    const plan = planTransition(order('CONFIRMED'), 'CustomerCancelled', {
      appliedId: 'x',
      source: 'orders',
    });
    const cancelled = plan?.emit[0];
    assert.equal(cancelled?.type, 'OrderCancelled');
    assert.deepEqual(cancelled?.data, {
      orderId: order('PENDING').id,
      userId: 'u1',
      reason: 'CANCELLED_BY_CUSTOMER',
      previousStatus: 'CONFIRMED',
    });
  });

  it('derives the ids of the events it emits from the cause, so a repeat emits the same ids', () => {
    const plan = () =>
      planTransition(order('RESERVED'), 'PaymentAuthorized', {
        appliedId: cause.id,
        causedBy: cause,
        source: 'saga',
      });
    assert.equal(plan()?.emit[0]?.id, plan()?.emit[0]?.id);
    assert.equal(plan()?.emit[0]?.causationId, cause.id);
  });

  it('refuses a step that emits other events than the table lists', () => {
    assert.throws(
      () =>
        planTransition(order('PENDING'), 'StockRejected', {
          appliedId: 'x',
          source: 'saga',
        }),
      /StockRejected emits StockRejected, OrderCancelled, not OrderCancelled/,
    );
  });

  it('names the status each order event announces, and none for the others', () => {
    assert.equal(statusAnnouncedBy('OrderPlaced'), 'PENDING');
    assert.equal(statusAnnouncedBy('StockReserved'), null, 'RESERVED is not announced');
    assert.equal(statusAnnouncedBy('OrderConfirmed'), 'CONFIRMED');
    assert.equal(statusAnnouncedBy('OrderCancelled'), 'CANCELLED');
    assert.equal(statusAnnouncedBy('PaymentAuthorized'), null);
    assert.equal(isLaterStatus('RESERVED', 'RESERVED'), false);
    assert.equal(isLaterStatus('PENDING', 'CONFIRMED'), false);
  });

  it("dates each move by the event that announces it, so the live feed knows the history's time", () => {
    const [rejected] = stepEvents('StockRejected');
    assert.ok(rejected);
    const plan = planTransition(order('PENDING'), 'StockRejected', {
      appliedId: 'placed-1',
      source: 'saga',
      stepEvents: [{ ...rejected, time: '2026-01-02T03:04:05.678Z' }],
    });
    // The step's own event comes first; the OrderCancelled the order builds announces the move.
    assert.equal(plan?.at.toISOString(), plan?.emit[1]?.time);
    const confirmed = planTransition(order('RESERVED'), 'PaymentAuthorized', {
      appliedId: 'paid-1',
      source: 'saga',
    });
    assert.equal(confirmed?.emit[0]?.time, confirmed?.at.toISOString());
  });

  it('knows which statuses one move of the table connects', () => {
    assert.equal(movesDirectly('PENDING', 'RESERVED'), true);
    assert.equal(movesDirectly('RESERVED', 'CONFIRMED'), true);
    assert.equal(movesDirectly('PENDING', 'CANCELLED'), true);
    assert.equal(movesDirectly('PENDING', 'CONFIRMED'), false);
    assert.equal(movesDirectly('CANCELLED', 'CONFIRMED'), false);
  });
});
