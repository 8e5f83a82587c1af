import { createHash, randomBytes } from 'node:crypto';
import { type Collection, type Db, ObjectId } from 'mongodb';
import { API_KEY_PREFIX, type AuthUser } from '../../shared/auth/auth.js';
import type { Permission } from '../../shared/auth/permissions.js';
import type { CollectionIndexes } from '../../shared/mongo/mongo-client.js';

interface ApiKeyDoc {
  _id: ObjectId;
  name: string;
  permissions: Permission[];
  /** SHA-256 of the key: the key itself is shown once, at creation, and kept nowhere. */
  hash: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ApiKeyView {
  id: string;
  name: string;
  permissions: Permission[];
  createdAt: string;
  lastUsedAt: string | null;
}

const API_KEYS = 'api_keys';

export const API_KEY_INDEXES: CollectionIndexes[] = [
  { collection: API_KEYS, indexes: [{ key: { hash: 1 }, name: 'hash_unique', unique: true }] },
];

/** How often a key's last-used time is written: at most once a minute, not on every call. */
const LAST_USED_EVERY_MS = 60_000;

const digest = (key: string) => createHash('sha256').update(key).digest('hex');

function toView(doc: ApiKeyDoc): ApiKeyView {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    permissions: doc.permissions,
    createdAt: doc.createdAt.toISOString(),
    lastUsedAt: doc.lastUsedAt?.toISOString() ?? null,
  };
}

/**
 * Keys for server-to-server calls: `ok_` and 32 random bytes, stored as their hash, with the
 * permissions an admin named. A revoked key is refused from the next call on.
 */
export class ApiKeys {
  private readonly keys: Collection<ApiKeyDoc>;

  constructor(db: Db) {
    this.keys = db.collection<ApiKeyDoc>(API_KEYS);
  }

  async create(input: {
    name: string;
    permissions: Permission[];
    createdBy: string;
  }): Promise<ApiKeyView & { key: string }> {
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const doc: ApiKeyDoc = {
      _id: new ObjectId(),
      name: input.name,
      permissions: [...new Set(input.permissions)],
      hash: digest(key),
      createdBy: input.createdBy,
      createdAt: new Date(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.keys.insertOne(doc);
    return { ...toView(doc), key };
  }

  /** The keys still in force, newest first. */
  async list(): Promise<ApiKeyView[]> {
    const docs = await this.keys.find({ revokedAt: null }).sort({ createdAt: -1 }).toArray();
    return docs.map(toView);
  }

  /** Whether a key in force was revoked now (false: unknown, or revoked before). */
  async revoke(id: string): Promise<boolean> {
    if (!/^[0-9a-f]{24}$/.test(id)) return false;
    const result = await this.keys.updateOne(
      { _id: new ObjectId(id), revokedAt: null },
      { $set: { revokedAt: new Date() } },
    );
    return result.modifiedCount === 1;
  }

  /** The caller a key stands for, or null when it is unknown or revoked. */
  async userOf(key: string): Promise<AuthUser | null> {
    const doc = await this.keys.findOne({ hash: digest(key), revokedAt: null });
    if (!doc) return null;
    const now = Date.now();
    if (!doc.lastUsedAt || now - doc.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
      await this.keys.updateOne({ _id: doc._id }, { $set: { lastUsedAt: new Date(now) } });
    }
    return {
      sub: `key:${doc._id.toHexString()}`,
      email: '',
      role: 'INTEGRATION',
      permissions: doc.permissions,
    };
  }
}
