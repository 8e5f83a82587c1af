import { createHash, randomBytes } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { CollectionIndexes } from '../../shared/mongo/mongo-client.js';

/** A reset link's token lives this long. */
export const RESET_TTL_MS = 30 * 60 * 1000;

interface ResetDoc {
  /** SHA-256 of the token: the token itself is only ever in the mail. */
  _id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

const PASSWORD_RESETS = 'password_resets';

export const PASSWORD_RESET_INDEXES: CollectionIndexes[] = [
  {
    collection: PASSWORD_RESETS,
    indexes: [
      // Kept a day after they expire (a used or expired link is answered as such), then gone.
      { key: { expiresAt: 1 }, name: 'gone_after_a_day', expireAfterSeconds: 86_400 },
      { key: { userId: 1, createdAt: -1 }, name: 'user_newest_first' },
    ],
  },
];

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Password-reset tokens: 32 random bytes, stored as their hash, single use, 30 minutes. A
 * token is spent by one conditional update, so two uses racing each other cannot both succeed.
 */
export class PasswordResets {
  private readonly resets: Collection<ResetDoc>;

  constructor(
    db: Db,
    private readonly clock: () => number = Date.now,
  ) {
    this.resets = db.collection<ResetDoc>(PASSWORD_RESETS);
  }

  /** A new token for the account; `ref` names the request without giving the token away. */
  async create(userId: string): Promise<{ token: string; ref: string }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock();
    const id = digest(token);
    await this.resets.insertOne({
      _id: id,
      userId,
      createdAt: new Date(now),
      expiresAt: new Date(now + RESET_TTL_MS),
      usedAt: null,
    });
    return { token, ref: id.slice(0, 8) };
  }

  /** Tokens made for the account in the last `ms`: a mailbox is not flooded. */
  async madeSince(userId: string, ms: number): Promise<number> {
    return this.resets.countDocuments({
      userId,
      createdAt: { $gt: new Date(this.clock() - ms) },
    });
  }

  /** Spends a token: its account, or null when it is unknown, used or expired. */
  async spend(token: string): Promise<string | null> {
    const now = new Date(this.clock());
    const spent = await this.resets.findOneAndUpdate(
      { _id: digest(token), usedAt: null, expiresAt: { $gt: now } },
      { $set: { usedAt: now } },
    );
    return spent?.userId ?? null;
  }
}
