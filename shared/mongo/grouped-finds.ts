import type { Collection, Document, Filter, FindOptions, WithId } from 'mongodb';
import { GroupCall } from '../async/group-commit.js';

/**
 * Reads of one document by its `_id`, grouped: the reads asked for while one is in flight go
 * out together as one `find` with `$in`, one command instead of one each, and each caller gets
 * its own document (or null). Under load many orders are read at the same moment (the saga's
 * step, inventory's commit, the mail), so the reads per order fall as the rate rises, as the
 * grouped writes do. Ids are compared as strings, so ObjectIds and string ids both work.
 */
export class GroupedFinds<TDoc extends Document> {
  private readonly group: GroupCall<unknown, WithId<TDoc> | null>;

  constructor(collection: Collection<TDoc>, options: FindOptions = {}) {
    this.group = new GroupCall<unknown, WithId<TDoc> | null>(async (ids) => {
      const unique = [...new Map(ids.map((id) => [String(id), id])).values()];
      const filter = (
        unique.length === 1 ? { _id: unique[0] } : { _id: { $in: unique } }
      ) as Filter<TDoc>;
      const docs = await collection.find(filter, options).toArray();
      const byId = new Map(docs.map((doc) => [String(doc._id), doc]));
      return ids.map((id) => ({ ok: true, value: byId.get(String(id)) ?? null }));
    });
  }

  findById(id: unknown): Promise<WithId<TDoc> | null> {
    return this.group.submit(id);
  }
}
