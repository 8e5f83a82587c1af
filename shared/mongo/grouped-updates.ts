import {
  type Collection,
  type Document,
  type Filter,
  MongoBulkWriteError,
  ObjectId,
  type OptionalUnlessRequiredId,
  type UpdateFilter,
} from 'mongodb';
import { GroupCall, GroupCommit, type Outcome } from '../async/group-commit.js';

interface Update<TDoc extends Document> {
  filter: Filter<TDoc>;
  update: UpdateFilter<TDoc>;
}

/**
 * Single-document updates whose callers need no answer but "done" (a cart emptied after its
 * checkout, a mail recorded as sent), grouped: the updates made while one is in flight go out
 * together as one unordered `bulkWrite`, one command instead of one each (`npm run bench --
 * grouped`: a fifth of the server's CPU per write). Each update must be safe to repeat: a
 * failed command fails every caller of its batch, and each caller retries its own.
 */
export class GroupedUpdates<TDoc extends Document> {
  private readonly group: GroupCommit<Update<TDoc>>;

  constructor(collection: Collection<TDoc>) {
    this.group = new GroupCommit((updates) =>
      collection
        .bulkWrite(
          updates.map(({ filter, update }) => ({ updateOne: { filter, update } })),
          { ordered: false },
        )
        .then(() => undefined),
    );
  }

  updateOne(filter: Filter<TDoc>, update: UpdateFilter<TDoc>): Promise<void> {
    return this.group.submit({ filter, update });
  }
}

/** A grouped insert refused by a unique index: `isDuplicateKeyError` knows it as E11000. */
export class DuplicateKeyError extends Error {
  readonly code = 11000;
}

/**
 * Inserts grouped into one unordered `insertMany` (`npm run bench -- grouped`: a tenth of the
 * server's CPU per document). Each caller learns its own outcome: a document refused by a unique
 * index rejects its caller with DuplicateKeyError and takes nothing from the others.
 */
export class GroupedInserts<TDoc extends Document> {
  private readonly group: GroupCall<OptionalUnlessRequiredId<TDoc>, void>;

  constructor(collection: Collection<TDoc>) {
    this.group = new GroupCall<OptionalUnlessRequiredId<TDoc>, void>(async (docs) => {
      try {
        await collection.insertMany(docs, { ordered: false });
        return docs.map(() => ({ ok: true, value: undefined }));
      } catch (err) {
        const refused = refusalsByIndex(err);
        return docs.map((_, i) => {
          const refusal = refused.get(i);
          return refusal ? { ok: false, error: refusal } : { ok: true, value: undefined };
        });
      }
    });
  }

  insertOne(doc: OptionalUnlessRequiredId<TDoc>): Promise<void> {
    return this.group.submit(doc);
  }
}

interface GuardedUpdate<TDoc extends Document> {
  id: unknown;
  filter: Filter<TDoc>;
  update: UpdateFilter<TDoc>;
}

let writeCounter = 0;
const WRITER = new ObjectId().toHexString();
/** Where each grouped update leaves its token: the last few, so a later write does not hide it. */
const WRITE_TOKENS = 'lastWriteIds';
const KEPT_TOKENS = 8;

/**
 * Guarded single-document updates (a status move that applies only from the status it was
 * planned from) grouped into one unordered `bulkWrite`, each caller told whether its own guard
 * held. Every update also appends a token of its own to `lastWriteIds` (the last 8 are kept):
 * when the batch matched fewer documents than it had updates, one read of the tokens says which
 * applied. Updates of the same document go out in separate rounds. Only after 8 more writes of
 * the same document between the batch and that read would an applied update be answered "did
 * not apply"; its caller then reloads and learns what happened, as when another writer got
 * there first.
 */
export class GroupedGuardedUpdates<TDoc extends Document & { _id: unknown }> {
  private readonly group: GroupCall<GuardedUpdate<TDoc>, boolean>;

  constructor(private readonly collection: Collection<TDoc>) {
    this.group = new GroupCall(async (updates) => {
      const outcomes: Outcome<boolean>[] = new Array(updates.length);
      for (const round of roundsOfDistinctIds(updates)) {
        const answered = await this.flushRound(round.map((i) => updates[i] as GuardedUpdate<TDoc>));
        round.forEach((index, j) => {
          outcomes[index] = answered[j] as Outcome<boolean>;
        });
      }
      return outcomes;
    });
  }

  /** Applies `update` to the document `filter` names (it must name its `_id`) if the filter holds. */
  updateOne(filter: Filter<TDoc> & { _id: unknown }, update: UpdateFilter<TDoc>): Promise<boolean> {
    return this.group.submit({ id: filter._id, filter, update });
  }

  private async flushRound(updates: GuardedUpdate<TDoc>[]): Promise<Outcome<boolean>[]> {
    const tokens = updates.map(() => `${WRITER}:${++writeCounter}`);
    const ops = updates.map(({ filter, update }, i) => ({
      updateOne: {
        filter,
        update: {
          ...update,
          $push: {
            ...(update.$push as Document | undefined),
            [WRITE_TOKENS]: { $each: [tokens[i]], $slice: -KEPT_TOKENS },
          },
        } as unknown as UpdateFilter<TDoc>,
      },
    }));
    let refused = new Map<number, Error>();
    try {
      const result = await this.collection.bulkWrite(ops as never, { ordered: false });
      if (result.matchedCount === updates.length) return updates.map(() => yes);
      if (result.matchedCount === 0) return updates.map(() => no);
    } catch (err) {
      refused = refusalsByIndex(err);
    }
    // Some guards did not hold (or some updates were refused): ask which applied.
    const docs = await this.collection
      .find({ _id: { $in: updates.map((update) => update.id) } } as Filter<TDoc>, {
        projection: { [WRITE_TOKENS]: 1 },
      })
      .toArray();
    const applied = new Set(
      docs.flatMap((doc) => (doc as { [WRITE_TOKENS]?: string[] })[WRITE_TOKENS] ?? []),
    );
    return updates.map((_, i) => {
      const refusal = refused.get(i);
      if (refusal) return { ok: false, error: refusal };
      return applied.has(tokens[i] as string) ? yes : no;
    });
  }
}

const yes: Outcome<boolean> = { ok: true, value: true };
const no: Outcome<boolean> = { ok: true, value: false };

/** Indexes of `updates` in rounds, each round naming a document at most once, in order. */
function roundsOfDistinctIds(updates: readonly { id: unknown }[]): number[][] {
  const rounds: { ids: Set<string>; indexes: number[] }[] = [];
  updates.forEach((update, index) => {
    const key = String(update.id);
    let round = rounds.find((candidate) => !candidate.ids.has(key));
    if (!round) {
      round = { ids: new Set(), indexes: [] };
      rounds.push(round);
    }
    round.ids.add(key);
    round.indexes.push(index);
  });
  return rounds.map((round) => round.indexes);
}

/**
 * Each refused operation's error, by its index in the batch; E11000 as DuplicateKeyError. Only
 * for an answer the server gave per operation: any other failure (the network, a timeout, a
 * write concern not met, which the driver also wraps as MongoBulkWriteError with no write
 * errors) is thrown again, failing the whole batch, because which operations applied is then
 * not known. Each caller retries its own, and every grouped write is safe to repeat.
 */
export function refusalsByIndex(err: unknown): Map<number, Error> {
  if (!(err instanceof MongoBulkWriteError)) throw err;
  const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
  if (writeErrors.length === 0 || err.result?.getWriteConcernError?.()) throw err;
  const refused = new Map<number, Error>();
  for (const writeError of writeErrors) {
    refused.set(
      writeError.index,
      writeError.code === 11000
        ? new DuplicateKeyError(writeError.errmsg ?? 'duplicate key')
        : Object.assign(new Error(writeError.errmsg ?? 'write refused'), { code: writeError.code }),
    );
  }
  return refused;
}
