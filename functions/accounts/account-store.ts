import { type Collection, type Db, ObjectId } from 'mongodb';
import type { Role } from '../../shared/auth/auth.js';
import { AppError, conflict, ErrorCode } from '../../shared/errors/catalogue.js';
import { type CollectionIndexes, isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';
import type { User } from './account-schemas.js';

interface AccountDoc {
  _id: ObjectId;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: Date;
}

const ACCOUNTS = 'accounts';

export const ACCOUNT_INDEXES: CollectionIndexes[] = [
  { collection: ACCOUNTS, indexes: [{ key: { email: 1 }, name: 'email_unique', unique: true }] },
];

/** Emails are compared trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toUser(doc: AccountDoc): User {
  return { id: doc._id.toHexString(), email: doc.email, name: doc.name, role: doc.role };
}

export class AccountStore {
  private readonly accounts: Collection<AccountDoc>;

  constructor(db: Db) {
    this.accounts = db.collection<AccountDoc>(ACCOUNTS);
  }

  async create(account: {
    email: string;
    name: string;
    role: Role;
    passwordHash: string;
  }): Promise<User> {
    const doc: AccountDoc = { _id: new ObjectId(), ...account, createdAt: new Date() };
    try {
      await this.accounts.insertOne(doc);
    } catch (err) {
      if (isDuplicateKeyError(err))
        throw conflict('An account with this email exists', { field: 'email' });
      throw err;
    }
    return toUser(doc);
  }

  async findByEmail(email: string): Promise<(User & { passwordHash: string }) | null> {
    const doc = await this.accounts.findOne({ email });
    return doc ? { ...toUser(doc), passwordHash: doc.passwordHash } : null;
  }

  async findById(id: string): Promise<User | null> {
    if (!/^[0-9a-f]{24}$/.test(id)) return null;
    const doc = await this.accounts.findOne({ _id: new ObjectId(id) });
    return doc ? toUser(doc) : null;
  }

  /**
   * Replaces a password hash by one of the same password at today's cost; guarded on the old
   * hash, so a password changed meanwhile is never overwritten.
   */
  async upgradePasswordHash(id: string, oldHash: string, newHash: string): Promise<void> {
    await this.accounts.updateOne(
      { _id: new ObjectId(id), passwordHash: oldHash },
      { $set: { passwordHash: newHash } },
    );
  }

  /**
   * Creates an admin account for an email no account holds. An existing account is never
   * promoted here: whoever registered the address first (perhaps not its owner) would become
   * admin with a password of their own. The answer says which case it was.
   */
  async createAdmin(
    email: string,
    name: string,
    passwordHash: string,
  ): Promise<'CREATED' | 'ADMIN_EXISTS' | 'TAKEN_BY_CUSTOMER'> {
    try {
      await this.create({ email, name, role: 'ADMIN', passwordHash });
      return 'CREATED';
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== ErrorCode.CONFLICT) throw err;
      const existing = await this.accounts.findOne({ email }, { projection: { role: 1 } });
      return existing?.role === 'ADMIN' ? 'ADMIN_EXISTS' : 'TAKEN_BY_CUSTOMER';
    }
  }
}

/** An account's address and name, for a mail to its owner; null when there is no such account. */
export async function readAccountContact(
  db: Db,
  userId: string,
): Promise<{ email: string; name: string } | null> {
  if (!/^[0-9a-f]{24}$/.test(userId)) return null;
  const doc = await db
    .collection<AccountDoc>(ACCOUNTS)
    .findOne({ _id: new ObjectId(userId) }, { projection: { email: 1, name: 1 } });
  return doc ? { email: doc.email, name: doc.name } : null;
}
