import type { ReservationState, StockChangeCause } from './model.js';

/**
 * A reservation's life, and the only place it is written down. Reserve creates a reservation
 * PENDING and takes its holds; every later move is a row of RESERVATION_TRANSITIONS, made by one
 * guarded write of the reservation document. The stock follows the move (SETTLEMENT): until it
 * has, the reservation is not `settled`, and a crash in between is finished by the next call or
 * the sweeper. What each call does in each state is COMMAND_ANSWERS. Pure: no I/O, so the tables
 * are tested on their own.
 */

interface ReservationTransitionRule {
  from: readonly ReservationState[];
  to: ReservationState;
  /** When the move is taken: the guard its caller checks before asking for it. */
  when: string;
}

/** Every move a reservation can make. */
export const RESERVATION_TRANSITIONS = {
  Confirmed: {
    from: ['PENDING'],
    to: 'RESERVED',
    when:
      'every line is held, seen by a release, a commit or the sweeper (Reserve answers RESERVED ' +
      'without writing it: one write fewer per reservation)',
  },
  Rejected: {
    from: ['PENDING'],
    to: 'REJECTED',
    when:
      'a line lacked stock (the shortage is recorded), or the reservation stayed PENDING past ' +
      'pendingTimeout with lines not held (abandoned by a crash: no shortage)',
  },
  Restarted: {
    from: ['REJECTED'],
    to: 'PENDING',
    when: 'Reserve again with the same lines, after a roll-back of an abandoned reservation',
  },
  Released: {
    from: ['RESERVED'],
    to: 'RELEASED',
    when: 'the caller released it',
  },
  Committed: {
    from: ['PENDING', 'RESERVED'],
    to: 'COMMITTED',
    when: 'the caller committed it before it expired, with every line held',
  },
  Expired: {
    from: ['RESERVED'],
    to: 'EXPIRED',
    when: 'expiresAt passed with neither a commit nor a release (the sweeper, or a late commit)',
  },
  Returned: {
    from: ['COMMITTED'],
    to: 'RETURNED',
    when: 'the caller gave the sold stock back (an order cancelled after it was paid)',
  },
} as const satisfies Record<string, ReservationTransitionRule>;

export type ReservationTrigger = keyof typeof RESERVATION_TRANSITIONS;

/** What the stock does once a reservation reaches a state, and the cause its changes name. */
export type Settlement =
  | { stock: 'holds being taken' | 'holds stay' }
  | {
      stock: 'holds to available' | 'holds to sold' | 'sold to available';
      cause: StockChangeCause;
    };

export const SETTLEMENT = {
  PENDING: { stock: 'holds being taken' },
  RESERVED: { stock: 'holds stay' },
  RELEASED: { stock: 'holds to available', cause: 'release' },
  EXPIRED: { stock: 'holds to available', cause: 'expire' },
  REJECTED: { stock: 'holds to available', cause: 'rollback' },
  COMMITTED: { stock: 'holds to sold', cause: 'commit' },
  RETURNED: { stock: 'sold to available', cause: 'return' },
} as const satisfies Record<ReservationState, Settlement>;

/** A move into `state` leaves the stock as it should be: nothing to finish after it. */
export function settledOnArrival(state: ReservationState): boolean {
  return SETTLEMENT[state].stock === 'holds stay';
}

/** The states no call moves on from, except COMMITTED's return. */
export const FINAL_STATES = [
  'RELEASED',
  'EXPIRED',
  'REJECTED',
  'COMMITTED',
  'RETURNED',
] as const satisfies readonly ReservationState[];

export function isFinal(state: ReservationState): boolean {
  return (FINAL_STATES as readonly ReservationState[]).includes(state);
}

/** The calls that act on an existing reservation. */
export type ReservationCommand = 'release' | 'commit' | 'returnStock';

/**
 * What a call does in a state:
 * - `answer`: it is already there; its stock change is finished if a crash left it, and the
 *   reservation is the answer (a repeated call changes nothing).
 * - `move`: take the transition, settle, answer. If another call moved it first, decide again.
 * - `decide-pending`: PENDING. `commit` first tries its move (every line held, not expired);
 *   otherwise the reservation is confirmed or rolled back, and the call decides again. While
 *   a Reserve is still taking its holds, the answer is IN_PROGRESS (retry), never a refusal.
 * - `refuse`: INVALID_STATE, naming the state and why.
 */
export type CommandAnswer =
  | { kind: 'answer' }
  | { kind: 'move'; by: ReservationTrigger }
  | { kind: 'decide-pending'; by?: ReservationTrigger }
  | { kind: 'refuse'; why: string };

const notReleasable = { kind: 'refuse', why: 'it can no longer be released' } as const;
const notCommittable = { kind: 'refuse', why: 'it cannot be committed' } as const;
const notReturnable = { kind: 'refuse', why: 'only committed stock can be returned' } as const;

export const COMMAND_ANSWERS = {
  release: {
    PENDING: { kind: 'decide-pending' },
    RESERVED: { kind: 'move', by: 'Released' },
    RELEASED: { kind: 'answer' },
    EXPIRED: { kind: 'answer' },
    REJECTED: { kind: 'refuse', why: 'it holds no stock' },
    COMMITTED: notReleasable,
    RETURNED: notReleasable,
  },
  commit: {
    PENDING: { kind: 'decide-pending', by: 'Committed' },
    // Past expiresAt the move is Expired instead, and the commit is then refused.
    RESERVED: { kind: 'move', by: 'Committed' },
    COMMITTED: { kind: 'answer' },
    RETURNED: { kind: 'answer' },
    RELEASED: notCommittable,
    EXPIRED: notCommittable,
    REJECTED: notCommittable,
  },
  returnStock: {
    // Sold first, returned second: a COMMITTED reservation is settled before it moves.
    COMMITTED: { kind: 'move', by: 'Returned' },
    RETURNED: { kind: 'answer' },
    PENDING: notReturnable,
    RESERVED: notReturnable,
    RELEASED: notReturnable,
    EXPIRED: notReturnable,
    REJECTED: notReturnable,
  },
} as const satisfies Record<ReservationCommand, Record<ReservationState, CommandAnswer>>;

export function answerTo(command: ReservationCommand, state: ReservationState): CommandAnswer {
  return COMMAND_ANSWERS[command][state];
}

/** The states a transition may be taken from, for the guarded write. */
export function fromStates(trigger: ReservationTrigger): readonly ReservationState[] {
  return RESERVATION_TRANSITIONS[trigger].from;
}

export function targetOf(trigger: ReservationTrigger): ReservationState {
  return RESERVATION_TRANSITIONS[trigger].to;
}
