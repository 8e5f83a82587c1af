import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReservationState } from './model.js';
import {
  answerTo,
  COMMAND_ANSWERS,
  FINAL_STATES,
  isFinal,
  RESERVATION_TRANSITIONS,
  type ReservationCommand,
  type ReservationTrigger,
  SETTLEMENT,
  settledOnArrival,
} from './reservation-lifecycle.js';

const COMMANDS = Object.keys(COMMAND_ANSWERS) as ReservationCommand[];
const STATES = Object.keys(SETTLEMENT) as ReservationState[];
const TRIGGERS = Object.keys(RESERVATION_TRANSITIONS) as ReservationTrigger[];

/** Every move a call takes, with the state it takes it in. */
function movesTaken(): {
  command: ReservationCommand;
  state: ReservationState;
  by: ReservationTrigger;
}[] {
  return COMMANDS.flatMap((command) =>
    STATES.flatMap((state) => {
      const answer = answerTo(command, state);
      const by = answer.kind === 'move' || answer.kind === 'decide-pending' ? answer.by : undefined;
      return by ? [{ command, state, by }] : [];
    }),
  );
}

describe('reservation lifecycle tables', () => {
  it('lets every call take only moves the transition table allows from the state it is in', () => {
    for (const { command, state, by } of movesTaken()) {
      const rule = RESERVATION_TRANSITIONS[by];
      assert.ok(
        (rule.from as readonly ReservationState[]).includes(state),
        `${command} in ${state} takes ${by}, which starts from ${rule.from.join('/')}`,
      );
    }
  });

  it('answers a repeated call with the state the first one reached, not a refusal', () => {
    const taken = movesTaken();
    assert.ok(taken.length >= 3, 'release, commit and returnStock each take a move');
    for (const { command, by } of taken) {
      const reached = RESERVATION_TRANSITIONS[by].to;
      assert.equal(
        answerTo(command, reached).kind,
        'answer',
        `${command} again after ${by} (${reached}) must answer, not move or refuse`,
      );
    }
  });

  it('never lets a sold reservation be released, nor a released or expired one be sold', () => {
    for (const state of ['COMMITTED', 'RETURNED'] as const) {
      assert.equal(answerTo('release', state).kind, 'refuse', `release in ${state}`);
    }
    for (const state of ['RELEASED', 'EXPIRED', 'REJECTED'] as const) {
      assert.equal(answerTo('commit', state).kind, 'refuse', `commit in ${state}`);
      assert.equal(answerTo('returnStock', state).kind, 'refuse', `returnStock in ${state}`);
    }
  });

  it('leaves final states only to give sold stock back, or to retry an abandoned Reserve', () => {
    const leaving = TRIGGERS.filter((trigger) =>
      RESERVATION_TRANSITIONS[trigger].from.some((state) => isFinal(state)),
    );
    assert.deepEqual(leaving.sort(), ['Restarted', 'Returned']);
    assert.deepEqual(RESERVATION_TRANSITIONS.Returned.from, ['COMMITTED']);
    assert.deepEqual(RESERVATION_TRANSITIONS.Restarted.from, ['REJECTED']);
  });

  it('moves stock on arrival in every final state, and in no other', () => {
    for (const state of STATES) {
      const moves = SETTLEMENT[state].stock !== 'holds stay';
      const expected = (FINAL_STATES as readonly string[]).includes(state) || state === 'PENDING';
      assert.equal(moves, expected, `${state}: ${SETTLEMENT[state].stock}`);
      assert.equal(settledOnArrival(state), !expected, state);
    }
  });

  it('reaches every state by some move, and names a cause for every stock change', () => {
    const reached = new Set<ReservationState>(['PENDING']);
    for (const trigger of TRIGGERS) reached.add(RESERVATION_TRANSITIONS[trigger].to);
    assert.deepEqual([...reached].sort(), [...STATES].sort());
    for (const state of STATES) {
      const settlement = SETTLEMENT[state];
      if ('cause' in settlement) assert.ok(settlement.cause.length > 0, state);
    }
  });
});
