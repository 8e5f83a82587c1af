import {
  conflict,
  inProgress,
  invalidState,
  notFound,
  outOfStock,
  unavailable,
} from '../../shared/errors/catalogue.js';
import type { Logger } from '../../shared/logger/logger.js';
import type {
  ReservationRecord,
  StockChangeCause,
  StockChangeListener,
  StockLevel,
  StockStore,
} from './domain/model.js';
import {
  answerTo,
  fromStates,
  type ReservationCommand,
  type ReservationTrigger,
  SETTLEMENT,
  type Settlement,
  settledOnArrival,
  targetOf,
} from './domain/reservation-lifecycle.js';
import {
  normaliseLines,
  type StockLine,
  sameLines,
  validateInitLines,
  validateListLimit,
  validateReservationId,
  validateRestockQuantity,
  validateSku,
  validateSkus,
  validateTtlSeconds,
} from './domain/validation.js';

export interface InventoryServiceOptions {
  logger: Logger;
  /** Time-to-live of a reservation whose request names none. */
  defaultTtlSeconds: number;
  /** A reservation still PENDING this long after its last change was abandoned by a crash. */
  pendingTimeoutMs: number;
  /** How many reservations one sweep handles at most. */
  sweepBatchSize?: number;
  clock?: () => Date;
}

export interface ReserveInput {
  reservationId: unknown;
  lines: readonly { sku?: unknown; quantity?: unknown }[];
  ttlSeconds?: unknown;
}

/** A hold id's lines as asked (normalised), for the hold calls' answers. */
export interface HeldLines {
  holdId: string;
  lines: StockLine[];
}

export interface HoldInput {
  holdId: unknown;
  lines: readonly { sku?: unknown; quantity?: unknown }[];
}

export interface SweepResult {
  expired: number;
  abandoned: number;
  settled: number;
}

/**
 * The inventory's rules: all-or-nothing reservations that never oversell, idempotent on the
 * reservation id, with releases, commits and expiry. The moves and what each call does in each
 * state are the tables of domain/reservation-lifecycle.ts; this class applies them. Storage is a
 * port; each step is one atomic single-document change, so a crash between steps leaves a state
 * the sweeper can finish (roll forward) or undo (roll back).
 */
export class InventoryService {
  private readonly logger: Logger;
  private readonly clock: () => Date;

  constructor(
    private readonly store: StockStore,
    private readonly onChange: StockChangeListener,
    private readonly options: InventoryServiceOptions,
  ) {
    this.logger = options.logger.child({ component: 'inventory-service' });
    this.clock = options.clock ?? (() => new Date());
  }

  getStock(skus: readonly unknown[]): Promise<StockLevel[]> {
    return this.store.levels(validateSkus(skus));
  }

  async restock(sku: unknown, quantity: unknown): Promise<StockLevel> {
    const validSku = validateSku(sku);
    const delta = validateRestockQuantity(quantity);
    const { level, changed } = await this.store.adjust(validSku, delta);
    if (changed) this.changed(level, 'restock');
    return level;
  }

  /**
   * First stock for SKUs that have none; the others keep theirs. Safe to repeat: only the
   * first call creates, and only what it created is announced.
   */
  async initStock(lines: readonly { sku?: unknown; quantity?: unknown }[]): Promise<StockLevel[]> {
    const valid = validateInitLines(lines);
    const created = new Set(await this.store.init(valid));
    const levels = await this.store.levels(valid.map((line) => line.sku));
    for (const level of levels) if (created.has(level.sku)) this.changed(level, 'init');
    return levels;
  }

  async reserve(input: ReserveInput): Promise<ReservationRecord> {
    const id = validateReservationId(input.reservationId);
    const lines = normaliseLines(input.lines);
    const ttlSeconds = validateTtlSeconds(input.ttlSeconds, this.options.defaultTtlSeconds);
    const now = this.clock();
    const record: ReservationRecord = {
      id,
      lines,
      state: 'PENDING',
      settled: false,
      shortage: [],
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
      createdAt: now,
      updatedAt: now,
    };
    if (await this.store.createReservation(record)) return this.takeHolds(record);

    const existing = await this.load(id);
    if (!sameLines(existing.lines, lines)) {
      throw conflict(`reservation ${id} already exists with other lines`, { reservationId: id });
    }
    if (existing.state === 'REJECTED' && existing.shortage.length === 0 && existing.settled) {
      // Abandoned by a crash and rolled back by the sweeper: the caller's retry starts it again.
      const restarted = await this.move(existing, 'Restarted');
      if (restarted) return this.takeHolds(restarted);
      return this.reserve(input);
    }
    if (existing.state === 'REJECTED') throw shortageError(existing);
    // PENDING: an earlier call is still taking holds, or died doing so; holds are
    // idempotent, so carrying on is safe either way.
    return existing.state === 'PENDING' ? this.takeHolds(existing) : existing;
  }

  /**
   * Holds every line for `holdId`: the holds of a caller that keeps its own record of them (the
   * order). Each SKU is one guarded write, taken side by side (grouped with the other writes of
   * the moment). On a shortage the answer names the SKUs short and those now held, which stay
   * held: the caller ends them. Rolling them back here would undo holds a concurrent call of the
   * same id found in place and counted on (a caller's duplicate step); the caller's own record
   * decides which of its calls wins, and releases for the loser. No reservation document.
   */
  async hold(input: HoldInput): Promise<HeldLines> {
    const holdId = validateReservationId(input.holdId, 'hold_id');
    const lines = normaliseLines(input.lines);
    const outcomes = await Promise.all(lines.map((line) => this.store.hold(holdId, line)));
    const shortage: string[] = [];
    outcomes.forEach((outcome, i) => {
      if (outcome.kind === 'held') this.changed(outcome.level, 'reserve');
      else if (outcome.kind === 'short') shortage.push((lines[i] as StockLine).sku);
    });
    if (shortage.length === 0) return { holdId, lines };
    const held = lines.map((line) => line.sku).filter((sku) => !shortage.includes(sku));
    throw outOfStock(`insufficient stock for ${shortage.join(', ')}`, {
      holdId,
      skus: shortage,
      held,
    });
  }

  /** Returns `holdId`'s held units of the lines to available; answers the lines it released. */
  async releaseHeld(input: HoldInput): Promise<{ holdId: string; released: StockLine[] }> {
    const holdId = validateReservationId(input.holdId, 'hold_id');
    const released = await this.releaseLines(holdId, normaliseLines(input.lines), 'release');
    return { holdId, released };
  }

  /** Makes `holdId`'s held units of the lines sold; a line not held is left as it is. */
  commitHeld(input: HoldInput): Promise<HeldLines> {
    return this.eachLine(input, (holdId, line) => this.store.commitHold(holdId, line), 'commit');
  }

  /** Gives committed lines' sold units back to available, once per (holdId, SKU). */
  returnSold(input: HoldInput): Promise<HeldLines> {
    return this.eachLine(input, (holdId, line) => this.store.returnSold(holdId, line), 'return');
  }

  /** One store write per line, side by side; each level it changed is announced. */
  private async eachLine(
    input: HoldInput,
    write: (holdId: string, line: StockLine) => Promise<StockLevel | null>,
    cause: StockChangeCause,
  ): Promise<HeldLines> {
    const holdId = validateReservationId(input.holdId, 'hold_id');
    const lines = normaliseLines(input.lines);
    const levels = await Promise.all(lines.map((line) => write(holdId, line)));
    for (const level of levels) if (level) this.changed(level, cause);
    return { holdId, lines };
  }

  /** A page of the SKUs that have holds, with the ids holding each (see ListHolds). */
  listHolds(afterSku: unknown, limit: unknown): Promise<{ sku: string; holdIds: string[] }[]> {
    const after =
      afterSku === undefined || afterSku === '' ? '' : validateSku(afterSku, 'after_sku');
    return this.store.listHolds(after, validateListLimit(limit));
  }

  /** Releases whichever of the lines `holdId` holds; the lines released. */
  private async releaseLines(
    holdId: string,
    lines: readonly StockLine[],
    cause: StockChangeCause,
  ): Promise<StockLine[]> {
    const levels = await Promise.all(lines.map((line) => this.store.releaseHold(holdId, line)));
    const released: StockLine[] = [];
    levels.forEach((level, i) => {
      if (!level) return;
      this.changed(level, cause);
      released.push(lines[i] as StockLine);
    });
    return released;
  }

  /** Returns the held stock; refused once committed. See COMMAND_ANSWERS.release. */
  release(reservationId: unknown): Promise<ReservationRecord> {
    return this.act('release', validateReservationId(reservationId));
  }

  /** Makes the held stock sold; refused once released or expired. See COMMAND_ANSWERS.commit. */
  commit(reservationId: unknown): Promise<ReservationRecord> {
    return this.act('commit', validateReservationId(reservationId));
  }

  /**
   * Gives the sold stock of a committed reservation back to available: an order cancelled
   * after it was paid. The state moves first (COMMITTED to RETURNED), then each SKU, once per
   * SKU; an interrupted return is finished by the next call or by the sweeper.
   */
  returnStock(reservationId: unknown): Promise<ReservationRecord> {
    return this.act('returnStock', validateReservationId(reservationId));
  }

  /**
   * Does what COMMAND_ANSWERS says `command` does in the reservation's state, until it answers:
   * when another call moved the reservation first, the new state decides again.
   */
  private async act(command: ReservationCommand, id: string): Promise<ReservationRecord> {
    for (;;) {
      const record = await this.load(id);
      const answer = answerTo(command, record.state);
      switch (answer.kind) {
        case 'answer':
          return record.settled ? record : this.settle(record);
        case 'refuse':
          throw invalidState(`reservation ${id} is ${record.state.toLowerCase()}; ${answer.why}`, {
            reservationId: id,
            state: record.state,
          });
        case 'decide-pending': {
          // The usual commit: Reserve leaves its record PENDING once every hold is taken (one
          // write fewer on the way in). With every hold there, it moves in one write.
          const moved = answer.by ? await this.moveIfHeld(record, answer.by) : null;
          if (moved) return this.settle(moved);
          if ((await this.confirmPending(record)).state === 'PENDING') throw stillBeingMade(id);
          continue;
        }
        case 'move': {
          if (answer.by === 'Committed' && this.isExpired(record)) {
            await this.expire(record);
            continue;
          }
          // Sold first, returned second: never return what the commit has not moved yet.
          if (answer.by === 'Returned' && !record.settled) await this.settle(record);
          const moved = await this.move(record, answer.by);
          if (moved) return this.settle(moved);
        }
      }
    }
  }

  /**
   * One guarded write of RESERVATION_TRANSITIONS[trigger] of the reservation as last read; the
   * reservation after it, or null when another call moved it first.
   */
  private async move(
    record: ReservationRecord,
    trigger: ReservationTrigger,
    changes: { shortage?: string[] } = {},
  ): Promise<ReservationRecord | null> {
    const to = targetOf(trigger);
    const applied = { settled: settledOnArrival(to), ...changes };
    const moved = await this.store.transition(record.id, fromStates(trigger), to, applied);
    return moved ? { ...record, ...applied, state: to, updatedAt: this.clock() } : null;
  }

  /**
   * Releases expired reservations, rolls back reservations abandoned while PENDING, and
   * finishes final states whose stock changes were interrupted. Run at start and periodically.
   */
  async sweep(): Promise<SweepResult> {
    const now = this.clock();
    const pendingBefore = new Date(now.getTime() - this.options.pendingTimeoutMs);
    const due = await this.store.findDue(now, pendingBefore, this.options.sweepBatchSize ?? 200);
    const result: SweepResult = { expired: 0, abandoned: 0, settled: 0 };
    for (const record of due) {
      if (record.state === 'RESERVED') {
        if (await this.expireIfDue(record)) result.expired++;
      } else if (record.state === 'PENDING') {
        const decided = await this.confirmPending(record);
        if (decided.state === 'REJECTED') result.abandoned++;
        if (decided.state === 'RESERVED' && (await this.expireIfDue(decided))) result.expired++;
      } else if (!record.settled) {
        await this.settle(record);
        result.settled++;
      }
    }
    if (result.expired + result.abandoned + result.settled > 0)
      this.logger.info(result, 'sweep done');
    return result;
  }

  /**
   * Holds every line, or none: on a shortage the holds taken are returned. On success the
   * stored reservation stays PENDING (see ReservationState) and is returned as RESERVED.
   */
  private async takeHolds(record: ReservationRecord): Promise<ReservationRecord> {
    const started = this.clock().getTime();
    const shortage: string[] = [];
    for (const line of record.lines) {
      if (shortage.length > 0) {
        // Already failing: only find out which other SKUs lack stock, to name them all.
        const [level] = await this.store.levels([line.sku]);
        if ((level?.available ?? 0) < line.quantity) shortage.push(line.sku);
        continue;
      }
      const outcome = await this.store.hold(record.id, line);
      if (outcome.kind === 'held') this.changed(outcome.level, 'reserve');
      else if (outcome.kind === 'short') shortage.push(line.sku);
    }

    if (shortage.length === 0) {
      // The sweeper rolls back a PENDING reservation only once it is pendingTimeout old; a call
      // this slow re-reads the state, so holds taken after such a roll-back are returned.
      const slow = this.clock().getTime() - started > this.options.pendingTimeoutMs / 2;
      const current = slow ? await this.load(record.id) : record;
      if (current.state === 'PENDING' || current.state === 'RESERVED') {
        return { ...current, state: 'RESERVED' };
      }
      return this.undoHolds(current);
    }
    const rejected = await this.move(record, 'Rejected', { shortage });
    return this.undoHolds(rejected ?? (await this.load(record.id)));
  }

  /** Returns whatever this reservation holds after it ended without being reserved. */
  private async undoHolds(current: ReservationRecord): Promise<ReservationRecord> {
    await this.returnHolds(current, 'rollback');
    await this.store.markSettled(current.id, current.state);
    if (current.state === 'REJECTED') {
      // No shortage recorded: the sweeper took it for abandoned while this call still ran.
      // UNAVAILABLE makes the caller retry, and the retry starts the reservation again.
      throw current.shortage.length > 0
        ? shortageError(current)
        : unavailable(`reservation ${current.id} was interrupted; retry`);
    }
    return current;
  }

  /**
   * Decides a PENDING reservation: confirmed (RESERVED) when all its holds are in place,
   * rolled back when it was abandoned (no change for pendingTimeout), otherwise left PENDING
   * because a call is still taking its holds.
   */
  private async confirmPending(record: ReservationRecord): Promise<ReservationRecord> {
    const skus = record.lines.map((line) => line.sku);
    if ((await this.store.countHeld(record.id, skus)) === skus.length) {
      return (await this.move(record, 'Confirmed')) ?? this.load(record.id);
    }
    const abandonedBefore = this.clock().getTime() - this.options.pendingTimeoutMs;
    if (record.updatedAt.getTime() >= abandonedBefore) return record;
    const rejected = await this.move(record, 'Rejected');
    if (!rejected) return this.load(record.id);
    this.logger.warn({ reservationId: record.id }, 'rolled back a reservation abandoned mid-way');
    return this.settle(rejected);
  }

  /**
   * A PENDING reservation's move straight to `trigger`'s state, taken when it holds all its
   * stock and has not expired; null when it does not, or when another call moved it first.
   */
  private async moveIfHeld(
    record: ReservationRecord,
    trigger: ReservationTrigger,
  ): Promise<ReservationRecord | null> {
    if (this.isExpired(record)) return null;
    const skus = record.lines.map((line) => line.sku);
    if ((await this.store.countHeld(record.id, skus)) !== skus.length) return null;
    return this.move(record, trigger);
  }

  private isExpired(record: ReservationRecord): boolean {
    return record.expiresAt.getTime() <= this.clock().getTime();
  }

  private expireIfDue(record: ReservationRecord): Promise<boolean> {
    if (!this.isExpired(record)) return Promise.resolve(false);
    return this.expire(record);
  }

  private async expire(record: ReservationRecord): Promise<boolean> {
    const expired = await this.move(record, 'Expired');
    if (!expired) return false;
    await this.settle(expired);
    this.logger.info(
      { reservationId: record.id, lines: record.lines },
      'reservation expired; stock released',
    );
    return true;
  }

  /**
   * Brings the stock in line with the reservation's state, as SETTLEMENT says: holds returned,
   * sold for a commit, or sold stock given back. Each line's change is idempotent per
   * (reservation, SKU), so a settle finished twice changes the stock once.
   */
  private async settle(record: ReservationRecord): Promise<ReservationRecord> {
    const settlement: Settlement = SETTLEMENT[record.state];
    if (settlement.stock === 'holds to sold') {
      for (const line of record.lines) {
        const level = await this.store.commitHold(record.id, line);
        if (level) this.changed(level, settlement.cause);
      }
    } else if (settlement.stock === 'sold to available') {
      for (const line of record.lines) {
        const level = await this.store.returnSold(record.id, line);
        if (level) this.changed(level, settlement.cause);
      }
    } else if (settlement.stock === 'holds to available') {
      await this.returnHolds(record, settlement.cause);
    }
    // The answer does not wait for the mark: the stock is already right, and a mark lost to a
    // crash only has the sweeper settle again, which changes nothing (see above).
    this.store.markSettled(record.id, record.state).catch((err: unknown) => {
      this.logger.warn(
        { err, reservationId: record.id },
        'settled mark not stored; the sweeper will',
      );
    });
    return { ...record, settled: true };
  }

  private async returnHolds(record: ReservationRecord, cause: StockChangeCause): Promise<void> {
    for (const line of record.lines) {
      const level = await this.store.releaseHold(record.id, line);
      if (level) this.changed(level, cause);
    }
  }

  private async load(id: string): Promise<ReservationRecord> {
    const record = await this.store.findReservation(id);
    if (!record) throw notFound(`reservation ${id} does not exist`, { reservationId: id });
    return record;
  }

  private changed(level: StockLevel, cause: StockChangeCause): void {
    try {
      this.onChange(level, cause);
    } catch (err) {
      this.logger.error({ err, sku: level.sku }, 'a stock change listener failed');
    }
  }
}

function stillBeingMade(id: string) {
  return inProgress(`reservation ${id} is still being made; retry`, { reservationId: id });
}

function shortageError(record: ReservationRecord) {
  return outOfStock(`insufficient stock for ${record.shortage.join(', ')}`, {
    reservationId: record.id,
    skus: record.shortage,
  });
}
