import type {
  HoldOutcome,
  ReservationRecord,
  ReservationState,
  StockLevel,
  StockStore,
} from '../services/inventory/domain/model.js';
import type { StockLine } from '../services/inventory/domain/validation.js';

interface Stock {
  available: number;
  reserved: number;
  sold: number;
  version: number;
  holds: Set<string>;
  returned: Set<string>;
}

/**
 * A StockStore in memory with the same per-document atomicity as MongoStockStore, for unit
 * tests of the inventory's rules. `beforeHold` lets a test pause or interleave between holds.
 */
export class InMemoryStockStore implements StockStore {
  readonly stock = new Map<string, Stock>();
  readonly reservations = new Map<string, ReservationRecord>();
  beforeHold: (reservationId: string, line: StockLine) => Promise<void> = async () => undefined;

  constructor(private readonly now: () => Date) {}

  private row(sku: string): Stock {
    let row = this.stock.get(sku);
    if (!row) {
      row = {
        available: 0,
        reserved: 0,
        sold: 0,
        version: 0,
        holds: new Set(),
        returned: new Set(),
      };
      this.stock.set(sku, row);
    }
    return row;
  }

  /** The level after a change: every change counts one version. */
  private changed(sku: string): StockLevel {
    this.row(sku).version += 1;
    return this.level(sku);
  }

  private level(sku: string): StockLevel {
    const { available = 0, reserved = 0, sold = 0, version = 0 } = this.stock.get(sku) ?? {};
    return { sku, available, reserved, sold, version };
  }

  async init(lines: readonly StockLine[]): Promise<string[]> {
    const created = lines.filter((line) => !this.stock.has(line.sku));
    for (const line of created) {
      this.row(line.sku).available = line.quantity;
      this.changed(line.sku);
    }
    return created.map((line) => line.sku);
  }

  async listHolds(afterSku: string, limit: number): Promise<{ sku: string; holdIds: string[] }[]> {
    return [...this.stock.entries()]
      .filter(([sku, row]) => sku > afterSku && row.holds.size > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .slice(0, limit)
      .map(([sku, row]) => ({ sku, holdIds: [...row.holds] }));
  }

  async levels(skus: readonly string[]): Promise<StockLevel[]> {
    return skus.map((sku) => this.level(sku));
  }

  async hold(reservationId: string, line: StockLine): Promise<HoldOutcome> {
    await this.beforeHold(reservationId, line);
    const row = this.row(line.sku);
    if (row.holds.has(reservationId)) return { kind: 'already-held' };
    if (row.available < line.quantity) return { kind: 'short' };
    row.available -= line.quantity;
    row.reserved += line.quantity;
    row.holds.add(reservationId);
    return { kind: 'held', level: this.changed(line.sku) };
  }

  async countHeld(reservationId: string, skus: readonly string[]): Promise<number> {
    return skus.filter((sku) => this.row(sku).holds.has(reservationId)).length;
  }

  async releaseHold(reservationId: string, line: StockLine): Promise<StockLevel | null> {
    const row = this.row(line.sku);
    if (!row.holds.delete(reservationId)) return null;
    row.available += line.quantity;
    row.reserved -= line.quantity;
    return this.changed(line.sku);
  }

  async commitHold(reservationId: string, line: StockLine): Promise<StockLevel | null> {
    const row = this.row(line.sku);
    if (!row.holds.delete(reservationId)) return null;
    row.reserved -= line.quantity;
    row.sold += line.quantity;
    return this.changed(line.sku);
  }

  async returnSold(reservationId: string, line: StockLine): Promise<StockLevel | null> {
    const row = this.row(line.sku);
    if (row.returned.has(reservationId)) return null;
    row.returned.add(reservationId);
    row.sold -= line.quantity;
    row.available += line.quantity;
    return this.changed(line.sku);
  }

  async adjust(sku: string, delta: number): Promise<{ level: StockLevel; changed: boolean }> {
    const row = this.row(sku);
    const change = Math.max(delta, -row.available);
    row.available += change;
    return { level: change !== 0 ? this.changed(sku) : this.level(sku), changed: change !== 0 };
  }

  async createReservation(record: ReservationRecord): Promise<boolean> {
    if (this.reservations.has(record.id)) return false;
    this.reservations.set(record.id, { ...record });
    return true;
  }

  async findReservation(id: string): Promise<ReservationRecord | null> {
    const record = this.reservations.get(id);
    return record ? { ...record } : null;
  }

  async transition(
    id: string,
    from: readonly ReservationState[],
    to: ReservationState,
    changes: Partial<Pick<ReservationRecord, 'settled' | 'shortage'>> = {},
  ): Promise<boolean> {
    const record = this.reservations.get(id);
    if (!record || !from.includes(record.state)) return false;
    Object.assign(record, changes, { state: to, updatedAt: this.now() });
    return true;
  }

  async markSettled(id: string, state: ReservationState): Promise<void> {
    const record = this.reservations.get(id);
    if (record?.state === state) Object.assign(record, { settled: true, updatedAt: this.now() });
  }

  async findDue(now: Date, pendingBefore: Date, limit: number): Promise<ReservationRecord[]> {
    return [...this.reservations.values()]
      .filter(
        (r) =>
          (r.state === 'RESERVED' && r.expiresAt < now) ||
          (r.state === 'PENDING' && (r.updatedAt < pendingBefore || r.expiresAt < now)) ||
          (r.state !== 'PENDING' &&
            r.state !== 'RESERVED' &&
            !r.settled &&
            r.updatedAt < pendingBefore),
      )
      .slice(0, limit)
      .map((r) => ({ ...r }));
  }
}
