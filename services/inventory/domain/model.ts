import type { StockLine } from './validation.js';

/** Stock of one SKU: free to reserve, held by reservations, and sold (committed). */
export interface StockLevel {
  sku: string;
  available: number;
  reserved: number;
  sold: number;
  /** Counts the changes of this SKU's stock: a higher version is a newer level. */
  version: number;
}

/**
 * PENDING from its creation: while its lines are being held, and afterwards until something
 * confirms it (a release, a commit or the sweeper sees every hold in place). Then RESERVED, or
 * REJECTED (some SKU lacked stock, or it was abandoned mid-way). A RESERVED reservation ends
 * RELEASED, COMMITTED or EXPIRED; a COMMITTED one may be RETURNED later. Callers see a PENDING reservation whose holds are all taken
 * as RESERVED: confirming it lazily saves a write on every Reserve.
 */
export type ReservationState =
  | 'PENDING'
  | 'RESERVED'
  | 'RELEASED'
  | 'COMMITTED'
  | 'EXPIRED'
  | 'REJECTED'
  | 'RETURNED';

export interface ReservationRecord {
  id: string;
  lines: StockLine[];
  state: ReservationState;
  /**
   * True once the stock reflects the state: every hold taken (RESERVED), or returned or
   * sold (the final states). A crash leaves it false and the sweeper completes the work.
   */
  settled: boolean;
  /** SKUs that lacked stock, for a REJECTED reservation. */
  shortage: string[];
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** What a change of stock was caused by, for the StockChanged event and the logs. */
export type StockChangeCause =
  | 'reserve'
  | 'release'
  | 'commit'
  | 'expire'
  | 'restock'
  | 'rollback'
  | 'return'
  | 'init';

/** Told of every stock change, after it is stored. */
export type StockChangeListener = (level: StockLevel, cause: StockChangeCause) => void;

/** The outcome of taking one line's hold. */
export type HoldOutcome =
  | { kind: 'held'; level: StockLevel }
  | { kind: 'already-held' }
  | { kind: 'short' };

/**
 * Storage of stock and reservations. Every method is one atomic single-document operation,
 * and every hold operation is idempotent per (reservation, SKU): the stock document records
 * which reservations hold it.
 */
export interface StockStore {
  levels(skus: readonly string[]): Promise<StockLevel[]>;
  /** Takes `line.quantity` from available into reserved, if available and not held yet. */
  hold(reservationId: string, line: StockLine): Promise<HoldOutcome>;
  /** Returns a hold to available; null when this reservation holds nothing of the SKU. */
  releaseHold(reservationId: string, line: StockLine): Promise<StockLevel | null>;
  /** How many of the given SKUs this reservation holds. */
  countHeld(reservationId: string, skus: readonly string[]): Promise<number>;
  /** Turns a hold into sold stock; null when this reservation holds nothing of the SKU. */
  commitHold(reservationId: string, line: StockLine): Promise<StockLevel | null>;
  /**
   * Moves a committed line's quantity from sold back to available, once per (reservation,
   * SKU): the stock document records the reservations returned. Null when it was returned.
   */
  returnSold(reservationId: string, line: StockLine): Promise<StockLevel | null>;
  /**
   * Creates the stock of SKUs that have none, with the given available units; SKUs that have
   * stock are left as they are. Returns the SKUs it created.
   */
  init(lines: readonly StockLine[]): Promise<string[]>;
  /** Adds to available, or removes from it down to zero; returns the new level. */
  adjust(sku: string, delta: number): Promise<{ level: StockLevel; changed: boolean }>;
  /** Stores a new reservation; false when one with this id exists already. */
  createReservation(record: ReservationRecord): Promise<boolean>;
  findReservation(id: string): Promise<ReservationRecord | null>;
  /**
   * Moves a reservation from one of `from` to `to`; false when it was in none of them. Says
   * only whether it moved (the caller has the reservation): moves made at the same moment can
   * then go out as one command.
   */
  transition(
    id: string,
    from: readonly ReservationState[],
    to: ReservationState,
    changes?: Partial<Pick<ReservationRecord, 'settled' | 'shortage'>>,
  ): Promise<boolean>;
  /**
   * Records that the stock is in line with the reservation's `state`; a reservation that has
   * moved on since keeps its mark (its new state settles the stock its own way).
   */
  markSettled(id: string, state: ReservationState): Promise<void>;
  /** SKUs with holds after `afterSku`, in SKU order, at most `limit`, with the ids holding each. */
  listHolds(afterSku: string, limit: number): Promise<{ sku: string; holdIds: string[] }[]>;
  /** Reservations the sweeper must act on, oldest first, at most `limit`. */
  findDue(now: Date, pendingBefore: Date, limit: number): Promise<ReservationRecord[]>;
}
