import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { Value } from '@sinclair/typebox/value';
import { loadConfig, readMongoConfig, readRuntimeConfig } from '../../shared/config/config.js';
import { LOCAL_ADMIN } from '../../shared/config/local-defaults.js';
import { createToolLogger } from '../../shared/logger/tool-logger.js';
import { connectMongo } from '../../shared/mongo/mongo-client.js';
import { Email, Password } from './account-schemas.js';
import { ACCOUNT_INDEXES, AccountStore, normaliseEmail } from './account-store.js';
import { hashPassword } from './password.js';

const USAGE = `usage: npm run admin -- create --email <address> [--name <name>]
  The password is read from standard input (or ADMIN_PASSWORD), never from the command line:
    read -rs PW && printf '%s' "$PW" | npm run admin -- create --email you@example.com
  The database is the one MONGODB_URI and MONGODB_DB name.`;

/**
 * `npm run admin -- create`: an operator creates an admin account. The one way, besides
 * ADMIN_EMAIL on a database that has no account for it, that an admin comes to exist; an
 * address that already has an account is refused, whoever holds it.
 */
const logger = createToolLogger('admin');

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string', default: 'Administrator' } },
  });
  if (positionals[0] !== 'create' || !values.email) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig((env) => {
    const runtime = readRuntimeConfig(env);
    return { runtime, mongo: readMongoConfig(env, runtime) };
  });
  const email = normaliseEmail(values.email);
  const password =
    process.env.ADMIN_PASSWORD ?? (process.stdin.isTTY ? '' : (await text(process.stdin)).trim());
  const problems = [
    ...(Value.Check(Email, email) ? [] : ['--email is not an email address']),
    ...(Value.Check(Password, password)
      ? []
      : ['the password needs 10 to 128 characters with a letter and a digit (on standard input)']),
    ...(password === LOCAL_ADMIN.password
      ? ['the password is the published local admin password']
      : []),
  ];
  if (problems.length > 0) {
    for (const problem of problems) logger.error(problem);
    return 2;
  }
  const mongo = await connectMongo(config.mongo, { logger, indexes: ACCOUNT_INDEXES });
  try {
    const store = new AccountStore(mongo.db);
    const outcome = await store.createAdmin(email, values.name, await hashPassword(password));
    if (outcome === 'CREATED') {
      logger.info(`admin ${email} created`);
      return 0;
    }
    logger.error(
      outcome === 'ADMIN_EXISTS'
        ? `${email} is already an admin; nothing changed`
        : `${email} has a customer account, which is not made an admin (whoever registered ` +
            'it may not own the address): choose another address',
    );
    return 1;
  } finally {
    await mongo.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    logger.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
