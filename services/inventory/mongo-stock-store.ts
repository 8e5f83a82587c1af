import { type Collection, type Db, MongoBulkWriteError } from 'mongodb';
import { GroupCall, type Outcome } from '../../shared/async/group-commit.js';
import { GroupedFinds } from '../../shared/mongo/grouped-finds.js';
import {
  GroupedGuardedUpdates,
  GroupedInserts,
  GroupedUpdates,
} from '../../shared/mongo/grouped-updates.js';
import { type CollectionIndexes, isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';
import type {
  HoldOutcome,
  ReservationRecord,
  ReservationState,
  StockLevel,
  StockStore,
} from './domain/model.js';
import { FINAL_STATES } from './domain/reservation-lifecycle.js';
import type { StockLine } from './domain/validation.js';
import { GroupedStockWrites, type StockWriteResult } from './grouped-stock-writes.js';

interface StockDoc {
  _id: string;
  available: number;
  reserved: number;
  sold: number;
  /** Counts this document's changes ($inc on every write): the version of each level. */
  version?: number;
  /** Ids of the reservations holding some of this SKU: makes each hold idempotent. */
  holds: string[];
  /** Ids of the committed reservations whose sold stock was given back (rare: cancels after payment). */
  returned?: string[];
}

interface HeldCount {
  reservationId: string;
  skus: readonly string[];
}

interface ReservationDoc extends Omit<ReservationRecord, 'id'> {
  _id: string;
}

const STOCK = 'inventory_stock';
const RESERVATIONS = 'inventory_reservations';
/** Levels never need the holds list, which grows with a SKU's open reservations. */
const WITHOUT_HOLDS = { holds: 0, returned: 0 } as const;

export const INVENTORY_INDEXES: CollectionIndexes[] = [
  {
    collection: RESERVATIONS,
    indexes: [
      { key: { state: 1, expiresAt: 1 }, name: 'state_expiresAt' },
      { key: { settled: 1, updatedAt: 1 }, name: 'settled_updatedAt' },
    ],
  },
];

function levelOf(doc: StockDoc | null, sku: string): StockLevel {
  return {
    sku,
    available: doc?.available ?? 0,
    reserved: doc?.reserved ?? 0,
    sold: doc?.sold ?? 0,
    version: doc?.version ?? 0,
  };
}

function recordOf(doc: ReservationDoc): ReservationRecord {
  // lastWriteIds: the grouped moves' tokens (GroupedGuardedUpdates), not the reservation's.
  const {
    _id,
    lastWriteIds: _tokens,
    ...rest
  } = doc as ReservationDoc & { lastWriteIds?: unknown };
  return { id: _id, ...rest };
}

/** StockStore on MongoDB: single-document conditional updates only, no transactions. */
export class MongoStockStore implements StockStore {
  private readonly stock: Collection<StockDoc>;
  private readonly reservations: Collection<ReservationDoc>;
  /** New reservations made at the same moment go out as one insertMany. */
  private readonly newReservations: GroupedInserts<ReservationDoc>;
  /** "Settled" marks need no answer: grouped into one bulkWrite. */
  private readonly settledMarks: GroupedUpdates<ReservationDoc>;
  /** Moves made at the same moment (commits under load) go out as one bulkWrite. */
  private readonly moves: GroupedGuardedUpdates<ReservationDoc>;
  /** Reservations read at the same moment (commits under load) go out as one find. */
  private readonly reservationReads: GroupedFinds<ReservationDoc>;
  /** Holds, commits and releases made at the same moment go out as one command. */
  private readonly writes: GroupedStockWrites<StockDoc>;
  /** Holds counted at the same moment (commits under load) go out as one find. */
  private readonly heldCounts = new GroupCall<HeldCount, number>((asks) =>
    this.countHeldMany(asks),
  );

  constructor(db: Db) {
    this.stock = db.collection<StockDoc>(STOCK);
    this.reservations = db.collection<ReservationDoc>(RESERVATIONS);
    this.newReservations = new GroupedInserts(this.reservations);
    this.settledMarks = new GroupedUpdates(this.reservations);
    this.moves = new GroupedGuardedUpdates(this.reservations);
    this.reservationReads = new GroupedFinds(this.reservations);
    this.writes = new GroupedStockWrites(this.stock, WITHOUT_HOLDS);
  }

  async levels(skus: readonly string[]): Promise<StockLevel[]> {
    const docs = await this.stock
      .find({ _id: { $in: [...new Set(skus)] } }, { projection: WITHOUT_HOLDS })
      .toArray();
    const byId = new Map(docs.map((doc) => [doc._id, doc]));
    return skus.map((sku) => levelOf(byId.get(sku) ?? null, sku));
  }

  async hold(reservationId: string, line: StockLine): Promise<HoldOutcome> {
    const result = await this.writes.write(
      { _id: line.sku, available: { $gte: line.quantity }, holds: { $ne: reservationId } },
      {
        $inc: { available: -line.quantity, reserved: line.quantity, version: 1 },
        $push: { holds: reservationId },
      },
    );
    if (result.applied === 'unknown') {
      // Grouped: the document after the batch says whether this reservation holds the SKU now
      // (taken by this write or by an earlier call of the same reservation: both are held).
      return result.doc?.holds.includes(reservationId)
        ? { kind: 'held', level: levelOf(result.doc, line.sku) }
        : { kind: 'short' };
    }
    if (result.applied) return { kind: 'held', level: levelOf(result.doc, line.sku) };
    const already = await this.stock.countDocuments({ _id: line.sku, holds: reservationId });
    return already > 0 ? { kind: 'already-held' } : { kind: 'short' };
  }

  countHeld(reservationId: string, skus: readonly string[]): Promise<number> {
    return this.heldCounts.submit({ reservationId, skus });
  }

  /** Many reservations' holds counted in one find: the SKUs asked about that hold any of them. */
  private async countHeldMany(asks: readonly HeldCount[]): Promise<Outcome<number>[]> {
    const docs = await this.stock
      .find(
        {
          _id: { $in: [...new Set(asks.flatMap((ask) => ask.skus))] },
          holds: { $in: [...new Set(asks.map((ask) => ask.reservationId))] },
        },
        { projection: { holds: 1 } },
      )
      .toArray();
    return asks.map((ask) => ({
      ok: true,
      value: docs.filter(
        (doc) => ask.skus.includes(doc._id) && doc.holds.includes(ask.reservationId),
      ).length,
    }));
  }

  /**
   * Not grouped: a release must say whether it found the hold (a caller that ends its own holds
   * decides on it), which a grouped write cannot. Releases are the rare path (cancels, shortages
   * of multi-line orders, expiry).
   */
  async releaseHold(reservationId: string, line: StockLine): Promise<StockLevel | null> {
    const doc = await this.stock.findOneAndUpdate(
      { _id: line.sku, holds: reservationId },
      {
        $inc: { available: line.quantity, reserved: -line.quantity, version: 1 },
        $pull: { holds: reservationId },
      },
      { returnDocument: 'after', projection: WITHOUT_HOLDS },
    );
    return doc ? levelOf(doc, line.sku) : null;
  }

  commitHold(reservationId: string, line: StockLine): Promise<StockLevel | null> {
    return this.levelAfter(
      line.sku,
      this.writes.write(
        { _id: line.sku, holds: reservationId },
        {
          $inc: { reserved: -line.quantity, sold: line.quantity, version: 1 },
          $pull: { holds: reservationId },
        },
      ),
    );
  }

  returnSold(reservationId: string, line: StockLine): Promise<StockLevel | null> {
    return this.levelAfter(
      line.sku,
      this.writes.write(
        { _id: line.sku, returned: { $ne: reservationId } },
        {
          $inc: { sold: -line.quantity, available: line.quantity, version: 1 },
          $push: { returned: reservationId },
        },
      ),
    );
  }

  /**
   * The level a stock write left: null when its guard did not hold. A grouped write's outcome is
   * not its own to know, so it answers the level after the batch (a stock-change event more, for
   * the latest level, is harmless).
   */
  private async levelAfter(
    sku: string,
    written: Promise<StockWriteResult<StockDoc>>,
  ): Promise<StockLevel | null> {
    const result = await written;
    if (result.applied === false || !result.doc) return null;
    return levelOf(result.doc, sku);
  }

  async init(lines: readonly StockLine[]): Promise<string[]> {
    if (lines.length === 0) return [];
    try {
      const result = await this.stock.bulkWrite(
        lines.map((line) => ({
          updateOne: {
            filter: { _id: line.sku },
            update: {
              $setOnInsert: {
                available: line.quantity,
                reserved: 0,
                sold: 0,
                holds: [],
                version: 1,
              },
            },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      return Object.values(result.upsertedIds).map((id) => String(id));
    } catch (err) {
      // A concurrent init of the same SKU won the insert: it has stock now, which is the point.
      if (!(err instanceof MongoBulkWriteError) || !isDuplicateKeyError(err)) throw err;
      return Object.values(err.result.upsertedIds).map((id) => String(id));
    }
  }

  async adjust(sku: string, delta: number): Promise<{ level: StockLevel; changed: boolean }> {
    if (delta > 0) {
      const doc = await this.stock.findOneAndUpdate(
        { _id: sku },
        {
          $inc: { available: delta, version: 1 },
          $setOnInsert: { reserved: 0, sold: 0, holds: [] },
        },
        { upsert: true, returnDocument: 'after', projection: WITHOUT_HOLDS },
      );
      return { level: levelOf(doc, sku), changed: true };
    }
    // Removal never takes available below zero: compare-and-set on the value read, retried
    // when a concurrent change got there first.
    for (let attempt = 0; attempt < 50; attempt++) {
      const current = await this.stock.findOne({ _id: sku }, { projection: WITHOUT_HOLDS });
      const remove = Math.min(-delta, current?.available ?? 0);
      if (!current || remove === 0) return { level: levelOf(current, sku), changed: false };
      const doc = await this.stock.findOneAndUpdate(
        { _id: sku, available: current.available },
        { $inc: { available: -remove, version: 1 } },
        { returnDocument: 'after', projection: WITHOUT_HOLDS },
      );
      if (doc) return { level: levelOf(doc, sku), changed: true };
    }
    throw new Error(`stock of ${sku} changed too often to remove from it`);
  }

  async createReservation(record: ReservationRecord): Promise<boolean> {
    const { id, ...rest } = record;
    try {
      await this.newReservations.insertOne({ _id: id, ...rest });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  async findReservation(id: string): Promise<ReservationRecord | null> {
    const doc = await this.reservationReads.findById(id);
    return doc ? recordOf(doc) : null;
  }

  async transition(
    id: string,
    from: readonly ReservationState[],
    to: ReservationState,
    changes: Partial<Pick<ReservationRecord, 'settled' | 'shortage'>> = {},
  ): Promise<boolean> {
    return this.moves.updateOne(
      { _id: id, state: { $in: [...from] } },
      { $set: { state: to, updatedAt: new Date(), ...changes } },
    );
  }

  markSettled(id: string, state: ReservationState): Promise<void> {
    return this.settledMarks.updateOne(
      { _id: id, state },
      { $set: { settled: true, updatedAt: new Date() } },
    );
  }

  async listHolds(afterSku: string, limit: number): Promise<{ sku: string; holdIds: string[] }[]> {
    const docs = await this.stock
      .find({ _id: { $gt: afterSku }, 'holds.0': { $exists: true } }, { projection: { holds: 1 } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((doc) => ({ sku: doc._id, holdIds: doc.holds }));
  }

  async findDue(now: Date, pendingBefore: Date, limit: number): Promise<ReservationRecord[]> {
    const docs = await this.reservations
      .find({
        $or: [
          { state: 'RESERVED', expiresAt: { $lt: now } },
          { state: 'PENDING', updatedAt: { $lt: pendingBefore } },
          { state: 'PENDING', expiresAt: { $lt: now } },
          // A final state whose stock change a crash interrupted (a return's included).
          { state: { $in: [...FINAL_STATES] }, settled: false, updatedAt: { $lt: pendingBefore } },
        ],
      })
      .sort({ updatedAt: 1 })
      .limit(limit)
      .toArray();
    return docs.map(recordOf);
  }
}
