import type { Collection, Filter, UpdateFilter } from 'mongodb';
import { GroupCall, type Outcome } from '../../shared/async/group-commit.js';
import { refusalsByIndex } from '../../shared/mongo/grouped-updates.js';

/** A SKU's stock document (mongo-stock-store.ts owns its shape): all a grouped write needs is its id. */
type StockWriteDoc = { _id: string };

export interface StockWrite<TDoc extends StockWriteDoc> {
  filter: Filter<TDoc> & { _id: string };
  update: UpdateFilter<TDoc>;
}

/**
 * What became of one guarded stock write. Alone, it went out as a `findOneAndUpdate`, which says
 * whether its guard held (`applied`) and gives the document after it. In a batch, one
 * `bulkWrite` made every write and one read gave each SKU's document after the batch: `applied`
 * is then "unknown", and the caller reads the document (its holds) for its outcome.
 */
export interface StockWriteResult<TDoc extends StockWriteDoc> {
  applied: boolean | 'unknown';
  doc: TDoc | null;
}

/**
 * Stock writes grouped into one command: the holds, commits and releases asked for while one
 * is in flight go out together as one unordered `bulkWrite`, where each applies in turn on its
 * SKU's document. A hot SKU's writes so queue inside one command instead of conflicting with
 * each other (a flash sale's hundreds of holds on one document), and under load every SKU's
 * writes cost a fraction of a command each. One `find` after the batch gives each document as
 * it ended: its level for the stock-change feed, and its holds for the caller's outcome.
 */
export class GroupedStockWrites<TDoc extends StockWriteDoc> {
  private readonly group: GroupCall<StockWrite<TDoc>, StockWriteResult<TDoc>>;

  constructor(
    private readonly stock: Collection<TDoc>,
    /** What a lone write returns of its document (its level; the holds list is not needed). */
    private readonly loneProjection: Record<string, 0>,
  ) {
    this.group = new GroupCall((writes) => this.flush(writes));
  }

  write(filter: StockWrite<TDoc>['filter'], update: UpdateFilter<TDoc>) {
    return this.group.submit({ filter, update });
  }

  private async flush(writes: StockWrite<TDoc>[]): Promise<Outcome<StockWriteResult<TDoc>>[]> {
    if (writes.length === 1) {
      const [write] = writes as [StockWrite<TDoc>];
      const doc = (await this.stock.findOneAndUpdate(write.filter, write.update, {
        returnDocument: 'after',
        projection: this.loneProjection,
      })) as TDoc | null;
      return [{ ok: true, value: { applied: doc !== null, doc } }];
    }
    let refused = new Map<number, Error>();
    try {
      await this.stock.bulkWrite(
        writes.map(({ filter, update }) => ({ updateOne: { filter, update } })) as never,
        { ordered: false },
      );
    } catch (err) {
      refused = refusalsByIndex(err);
    }
    const skus = [...new Set(writes.map((write) => write.filter._id))];
    const docs = (await this.stock
      .find({ _id: { $in: skus } } as Filter<TDoc>, { projection: { returned: 0 } })
      .toArray()) as TDoc[];
    const byId = new Map(docs.map((doc) => [doc._id, doc]));
    return writes.map((write, i) => {
      const refusal = refused.get(i);
      if (refusal) return { ok: false, error: refusal };
      return { ok: true, value: { applied: 'unknown', doc: byId.get(write.filter._id) ?? null } };
    });
  }
}
