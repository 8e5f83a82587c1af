import { type Collection, type Db, ObjectId } from 'mongodb';
import type { AccessChecks, AuthUser, Role } from '../../shared/auth/auth.js';
import { AppError, conflict, ErrorCode } from '../../shared/errors/catalogue.js';
import { type CollectionIndexes, isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';
import type { User } from './account-schemas.js';
import { API_KEY_INDEXES, ApiKeys } from './api-keys.js';
import { LOGIN_FAILURE_INDEXES } from './login-throttle.js';
import { PASSWORD_RESET_INDEXES } from './password-resets.js';
import { REQUEST_COUNT_INDEXES } from './request-counts.js';

/** A person's role; INTEGRATION is a program's (an API key), never an account's. */
type AccountRole = Exclude<Role, 'INTEGRATION'>;

interface AccountDoc {
  _id: ObjectId;
  email: string;
  name: string;
  role: AccountRole;
  passwordHash: string;
  /**
   * Set, to the account's own id, on an account registered with an address another account
   * already held (a later sign-up). The address belongs to the account without it: the one that
   * a login tries first, that gets the address's reset mails and that can become admin.
   * Absent on the owner (a unique index counts a missing field as null).
   */
  laterSignup?: ObjectId | null;
  /** Raised by a password change or reset: every token made before stops working. */
  sessionVersion?: number;
  /** Tokens logged out before they expire (each dropped once it would have expired anyway). */
  revokedTokens?: { jti: string; exp: Date }[];
  createdAt: Date;
}

const ACCOUNTS = 'accounts';

/** The indexes of every collection the accounts module owns. */
export const ACCOUNT_INDEXES: CollectionIndexes[] = [
  {
    collection: ACCOUNTS,
    // One account per address without `laterSignup` (missing is null to a unique index): the
    // address's owner. Each later sign-up is unique by its own id.
    indexes: [{ key: { email: 1, laterSignup: 1 }, name: 'one_owner_per_email', unique: true }],
    retired: ['email_unique'],
  },
  ...LOGIN_FAILURE_INDEXES,
  ...PASSWORD_RESET_INDEXES,
  ...API_KEY_INDEXES,
  ...REQUEST_COUNT_INDEXES,
];

/** Emails are compared trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The account that owns an address: not a later sign-up. */
const ownerOf = (email: string) => ({ email, laterSignup: null });

/** How many later sign-ups of one address a login tries, newest first, after its owner. */
const LATER_SIGNUPS_TRIED = 3;

type Credentials = User & { passwordHash: string; sessionVersion: number };

function toCredentials(doc: AccountDoc): Credentials {
  return {
    ...toUser(doc),
    passwordHash: doc.passwordHash,
    sessionVersion: doc.sessionVersion ?? 0,
  };
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
    role: AccountRole;
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

  /**
   * A customer's sign-up. When another account holds the address already, the new account is
   * made all the same, as a later sign-up: the answer is the same as for a free address, so
   * registration never tells whether an address has an account. The address's owner is named
   * in that case, to be mailed; their account, password and sessions are untouched.
   */
  async register(account: {
    email: string;
    name: string;
    passwordHash: string;
  }): Promise<{ user: User; owner: User | null }> {
    try {
      return { user: await this.create({ ...account, role: 'CUSTOMER' }), owner: null };
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== ErrorCode.CONFLICT) throw err;
    }
    const _id = new ObjectId();
    const doc: AccountDoc = {
      _id,
      ...account,
      role: 'CUSTOMER',
      laterSignup: _id,
      createdAt: new Date(),
    };
    await this.accounts.insertOne(doc);
    const owner = await this.accounts.findOne(ownerOf(account.email));
    return { user: toUser(doc), owner: owner ? toUser(owner) : null };
  }

  /** The account that owns the address (never a later sign-up): the one reset mails go to. */
  async findByEmail(email: string): Promise<Credentials | null> {
    const doc = await this.accounts.findOne(ownerOf(email));
    return doc ? toCredentials(doc) : null;
  }

  /**
   * The newest later sign-ups of an address, tried in this order by a login whose password was
   * not the owner's (the owner's is tried first, so the owner's login costs one hash check
   * however many later sign-ups there are).
   */
  async laterSignupsOf(email: string): Promise<Credentials[]> {
    const docs = await this.accounts
      .find({ email, laterSignup: { $ne: null } })
      .sort({ _id: -1 })
      .limit(LATER_SIGNUPS_TRIED)
      .toArray();
    return docs.map(toCredentials);
  }

  /** The hash to check a current password against, and the version its tokens carry. */
  async credentialsOf(
    id: string,
  ): Promise<{ user: User; passwordHash: string; sessionVersion: number } | null> {
    if (!/^[0-9a-f]{24}$/.test(id)) return null;
    const doc = await this.accounts.findOne({ _id: new ObjectId(id) });
    return doc
      ? {
          user: toUser(doc),
          passwordHash: doc.passwordHash,
          sessionVersion: doc.sessionVersion ?? 0,
        }
      : null;
  }

  /** A token's session holds: its account exists, no password change since, not logged out. */
  async isSessionLive(user: AuthUser): Promise<boolean> {
    // Every token this function makes has an id; one without was made before sessions were
    // kept (by the same secret) and lives out its lifetime, JWT_TTL_SECONDS at most.
    if (user.jti === undefined) return true;
    if (!/^[0-9a-f]{24}$/.test(user.sub)) return false;
    const doc = await this.accounts.findOne(
      { _id: new ObjectId(user.sub) },
      { projection: { sessionVersion: 1, revokedTokens: 1 } },
    );
    if (!doc || (doc.sessionVersion ?? 0) !== (user.sv ?? 0)) return false;
    return !(user.jti && doc.revokedTokens?.some((token) => token.jti === user.jti));
  }

  /**
   * Logs one token out: its id is kept until the token would have expired; the expired ones
   * are dropped in the same update, so the list stays as short as the tokens still alive.
   */
  async revokeToken(userId: string, jti: string, exp: Date): Promise<void> {
    const now = new Date();
    await this.accounts.updateOne({ _id: new ObjectId(userId) }, [
      {
        $set: {
          revokedTokens: {
            $concatArrays: [
              {
                $filter: {
                  input: { $ifNull: ['$revokedTokens', []] },
                  cond: { $gt: ['$$this.exp', now] },
                },
              },
              [{ jti, exp }],
            ],
          },
        },
      },
    ]);
  }

  /** Every session of the account ends (its tokens carry the old version). */
  async endSessions(userId: string): Promise<void> {
    await this.accounts.updateOne(
      { _id: new ObjectId(userId) },
      { $set: { revokedTokens: [] }, $inc: { sessionVersion: 1 } },
    );
  }

  /** A new password; every session of the account ends (tokens carry the old version). */
  async replacePassword(userId: string, passwordHash: string): Promise<void> {
    await this.accounts.updateOne(
      { _id: new ObjectId(userId) },
      { $set: { passwordHash, revokedTokens: [] }, $inc: { sessionVersion: 1 } },
    );
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
      const existing = await this.accounts.findOne(ownerOf(email), { projection: { role: 1 } });
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

/**
 * What every function that takes credentials asks (shared/auth): is this token's session still
 * live, and who is this API key.
 */
export function accountAccess(db: Db): AccessChecks {
  const store = new AccountStore(db);
  const keys = new ApiKeys(db);
  return {
    sessionIsLive: (user) => store.isSessionLive(user),
    apiKeyUser: (key) => keys.userOf(key),
  };
}
