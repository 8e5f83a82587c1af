import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mongodArgs, mongoUrl, planMongoServer } from './mongo.js';
import { unsupportedPlatform } from './mongod-install.js';

describe('choosing the local database server', () => {
  const nothing = { onPath: undefined, cached: undefined };

  it('prefers a mongod on PATH, then the cached one, then installing mongod 6.0.5', () => {
    assert.deepEqual(planMongoServer({}, { onPath: '/usr/bin/mongod', cached: '/c/mongod' }), {
      kind: 'mongod',
      binary: '/usr/bin/mongod',
      from: 'PATH',
    });
    assert.deepEqual(planMongoServer({}, { onPath: undefined, cached: '/c/mongod' }), {
      kind: 'mongod',
      binary: '/c/mongod',
      from: 'cache',
    });
    assert.deepEqual(planMongoServer({}, nothing), {
      kind: 'mongod',
      from: 'install',
      required: false,
    });
  });

  it('never picks the emulator unless asked for by name', () => {
    assert.deepEqual(planMongoServer({ ORDERLY_MONGO_SERVER: 'mongo-java-server' }, nothing), {
      kind: 'mongo-java-server',
    });
    // Asked for by name, mongod must install: no fallback to the emulator.
    assert.deepEqual(planMongoServer({ ORDERLY_MONGO_SERVER: 'mongod' }, nothing), {
      kind: 'mongod',
      from: 'install',
      required: true,
    });
  });

  it('refuses an unknown ORDERLY_MONGO_SERVER, naming the choices (FerretDB is gone)', () => {
    assert.throws(
      () => planMongoServer({ ORDERLY_MONGO_SERVER: 'ferretdb' }, nothing),
      /ORDERLY_MONGO_SERVER must be one of mongod, mongo-java-server, got "ferretdb"/,
    );
  });

  it('says why the cached build cannot run on another platform', () => {
    assert.equal(unsupportedPlatform('linux', 'x64'), undefined);
    assert.match(
      unsupportedPlatform('darwin', 'arm64') ?? '',
      /Linux x86_64 build .* darwin arm64/,
    );
    assert.match(unsupportedPlatform('linux', 'arm64') ?? '', /linux arm64/);
  });
});

describe('running mongod', () => {
  it('runs it as a one-node replica set on loopback with bounded memory and small journal files', () => {
    const args = mongodArgs('/data', '127.0.0.1', 27017).join(' ');
    assert.match(args, /--replSet orderly/);
    assert.match(args, /--bind_ip 127\.0\.0\.1 --port 27017/);
    assert.match(args, /--wiredTigerCacheSizeGB 0\.25/);
    assert.match(args, /--oplogSize 64/);
    assert.match(args, /log=\(prealloc=false,file_max=20MB\)/);
    assert.match(args, /diagnosticDataCollectionEnabled=false/);
  });

  it('names the replica set in the connection string of mongod only', () => {
    assert.equal(
      mongoUrl('mongod', '127.0.0.1', 27018),
      'mongodb://127.0.0.1:27018/?replicaSet=orderly',
    );
    assert.equal(mongoUrl('mongo-java-server', '127.0.0.1', 27018), 'mongodb://127.0.0.1:27018');
  });
});
