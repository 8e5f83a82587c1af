import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from 'mongodb';
import type { CollectionIndexes } from '../../shared/mongo/mongo-client.js';

interface CountDoc {
  /** Route and client key: one counter per client and route. */
  _id: string;
  count: number;
  /** When this counter's window began: at the first request after the last window ended. */
  windowStart: Date;
  /** TTL: the counter is deleted when its window is over. */
  expiresAt: Date;
}

const REQUEST_COUNTS = 'request_counts';

export const REQUEST_COUNT_INDEXES: CollectionIndexes[] = [
  {
    collection: REQUEST_COUNTS,
    indexes: [{ key: { expiresAt: 1 }, name: 'gone_after_window', expireAfterSeconds: 0 }],
  },
];

/**
 * A store for @fastify/rate-limit that keeps its counters in MongoDB, so every container of
 * the function counts the same requests: a window per client and route, one upsert per
 * request. (The library's own stores are memory, per container, and Redis.)
 */
export function requestCountStore(
  db: Db,
  clock: () => number = Date.now,
): FastifyRateLimitStoreCtor {
  const counts = db.collection<CountDoc>(REQUEST_COUNTS);
  return class MongoRequestCounts implements FastifyRateLimitStore {
    constructor(
      _options: unknown,
      private readonly prefix = '',
    ) {}

    incr(
      key: string,
      callback: Parameters<FastifyRateLimitStore['incr']>[1],
      timeWindow: number,
    ): void {
      const now = clock();
      // One atomic update: a window starts at the first request after the last one ended (as
      // the library's own stores do), so a burst is never split by a clock boundary.
      const fresh = {
        $or: [
          { $eq: [{ $type: '$windowStart' }, 'missing'] },
          { $lte: ['$windowStart', new Date(now - timeWindow)] },
        ],
      };
      counts
        .findOneAndUpdate(
          { _id: `${this.prefix}${key}` },
          [
            {
              $set: {
                count: { $cond: [fresh, 1, { $add: ['$count', 1] }] },
                windowStart: { $cond: [fresh, new Date(now), '$windowStart'] },
                expiresAt: { $cond: [fresh, new Date(now + timeWindow), '$expiresAt'] },
              },
            },
          ],
          { upsert: true, returnDocument: 'after' },
        )
        .then(
          (doc) =>
            callback(null, {
              current: doc?.count ?? 1,
              ttl: (doc?.windowStart.getTime() ?? now) + timeWindow - now,
            }),
          (err: Error) => callback(err),
        );
    }

    /** The counters of one route (the library hands the route as `routeInfo`). */
    child(options: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const route = (options as { routeInfo?: { method?: unknown; url?: string } }).routeInfo;
      return new MongoRequestCounts(options, `${String(route?.method)} ${route?.url}|`);
    }
  };
}
