import type { Collection, Db } from 'mongodb';
import type { CollectionIndexes } from '../../shared/mongo/mongo-client.js';

/**
 * Seconds a key must wait after its `failures`-th wrong password: none for the first `free`
 * ones, then 1, 2, 4, 8 … seconds, never more than `maxSeconds`. A guesser's rate falls
 * exponentially; someone who mistyped a few times never waits.
 */
export function delayAfter(failures: number, free: number, maxSeconds: number): number {
  if (failures < free) return 0;
  return Math.min(2 ** Math.min(failures - free, 30), maxSeconds);
}

export interface ThrottleLimits {
  /** Wrong passwords free of delay per key. */
  free: number;
  /** The longest delay, and how long after its last failure a key is forgotten (s). */
  maxSeconds: number;
}

interface FailureDoc {
  _id: string;
  failures: number;
  lastFailureAt: Date;
  /** TTL: the key is forgotten this long after its last failure. */
  expiresAt: Date;
}

const LOGIN_FAILURES = 'login_failures';

export const LOGIN_FAILURE_INDEXES: CollectionIndexes[] = [
  {
    collection: LOGIN_FAILURES,
    indexes: [{ key: { expiresAt: 1 }, name: 'forget_after', expireAfterSeconds: 0 }],
  },
];

/**
 * Wrong-password counts per key, in the database every instance of the function shares, so a
 * guesser meets the same delays whichever container answers. Keys are an account with a client
 * address (the owner, elsewhere, is never slowed by someone guessing their password) and an
 * address alone (one address trying many accounts).
 */
export class LoginThrottle {
  private readonly failures: Collection<FailureDoc>;

  constructor(
    db: Db,
    private readonly limits: Record<string, ThrottleLimits>,
    private readonly clock: () => number = Date.now,
  ) {
    this.failures = db.collection<FailureDoc>(LOGIN_FAILURES);
  }

  /** Seconds until every one of `keys` may try again (0: now). Keys are `kind:value`. */
  async waitFor(keys: string[]): Promise<number> {
    const docs = await this.failures.find({ _id: { $in: keys } }).toArray();
    const now = this.clock();
    return Math.max(
      0,
      ...docs.map((doc) => {
        const limits = this.limitsOf(doc._id);
        const delay = delayAfter(doc.failures, limits.free, limits.maxSeconds);
        return Math.ceil((doc.lastFailureAt.getTime() + delay * 1000 - now) / 1000);
      }),
    );
  }

  async fail(keys: string[]): Promise<void> {
    const now = new Date(this.clock());
    await Promise.all(
      keys.map((key) =>
        this.failures.updateOne(
          { _id: key },
          {
            $inc: { failures: 1 },
            $set: {
              lastFailureAt: now,
              expiresAt: new Date(now.getTime() + this.limitsOf(key).maxSeconds * 1000),
            },
          },
          { upsert: true },
        ),
      ),
    );
  }

  /** A right password clears its own key (not the address's). */
  async clear(key: string): Promise<void> {
    await this.failures.deleteOne({ _id: key });
  }

  private limitsOf(key: string): ThrottleLimits {
    const limits = this.limits[key.slice(0, key.indexOf(':'))];
    if (!limits) throw new Error(`no throttle for ${key}`);
    return limits;
  }
}
