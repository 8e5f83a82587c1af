import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { connectMongo, type MongoConnection } from '../../shared/mongo/mongo-client.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { ACCOUNT_INDEXES, AccountStore } from './account-store.js';
import { verifyPassword } from './password.js';

/** `npm run admin -- create`, run as an operator would, against the real database. */
describe('the admin command', () => {
  const dbName = uniqueName('it_admin_cli');
  let mongo: MongoConnection;

  before(async () => {
    mongo = await connectMongo(
      { ...integrationConfig().mongo, dbName },
      { logger: testLogger(), indexes: ACCOUNT_INDEXES },
    );
  });
  after(async () => {
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  const run = (email: string, password: string) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MONGODB_URI: integrationConfig().mongo.uri,
      MONGODB_DB: dbName,
      LOG_LEVEL: 'info',
    };
    delete env.ADMIN_PASSWORD;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'functions/accounts/admin-cli.ts', 'create', '--email', email],
      { input: password, encoding: 'utf8', env, timeout: 60_000 },
    );
    return { status: child.status, output: `${child.stdout}${child.stderr}` };
  };

  it('creates an admin with the password from standard input, once', async () => {
    const created = run('Boss@Shop.example', 'boss-password-1\n');
    assert.equal(created.status, 0, created.output);
    const account = await new AccountStore(mongo.db).findByEmail('boss@shop.example');
    assert.equal(account?.role, 'ADMIN');
    assert.ok(await verifyPassword('boss-password-1', account?.passwordHash ?? ''));

    const again = run('boss@shop.example', 'other-password-2');
    assert.equal(again.status, 1);
    assert.match(again.output, /already an admin; nothing changed/);
  });

  it('refuses an address a customer holds, a weak password and the published one', async () => {
    const store = new AccountStore(mongo.db);
    await store.create({
      email: 'taken@shop.example',
      name: 'C',
      role: 'CUSTOMER',
      passwordHash: 'scrypt$x',
    });
    const taken = run('taken@shop.example', 'strong-password-3');
    assert.equal(taken.status, 1);
    assert.match(taken.output, /has a customer account, which is not made an admin/);
    assert.equal((await store.findByEmail('taken@shop.example'))?.role, 'CUSTOMER');

    const weak = run('new@shop.example', 'short');
    assert.equal(weak.status, 2);
    assert.match(weak.output, /10 to 128 characters/);
    const published = run('new@shop.example', 'orderly-admin-1');
    assert.equal(published.status, 2);
    assert.match(published.output, /published local admin password/);
    assert.equal(await store.findByEmail('new@shop.example'), null);
  });
});
