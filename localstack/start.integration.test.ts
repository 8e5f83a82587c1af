import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, freePort } from '../test-support/eventually.js';
import { IsolatedInfraCache } from '../test-support/isolated-infra-cache.js';
import { spawnWatched } from '../test-support/watched-process.js';
import { REPO_ROOT } from './infra/paths.js';
import { postGraphql } from './platform/graphql-client.js';

/** Processes still running whose command line mentions `text`, or whose group is `pgid`. */
function survivors(text: string, pgid: number): string[] {
  return execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => {
      const [, group] = line.split(/\s+/);
      return line.includes(text) || Number(group) === pgid;
    });
}

/** True while `pid` exists and is not a zombie. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * `npm start` in a fresh copy of the repository, as a user runs it: it provisions its own
 * Kafka and database (from the install cache), starts the platform, answers GraphQL, and
 * leaves no process behind after Ctrl-C (SIGINT to its process group) or a SIGTERM to npm.
 * The copy holds the files a clone would (tracked and not ignored); node_modules is linked
 * and the server downloads are reused from this checkout's cache, to keep the test short.
 */
describe('npm start from a fresh clone', () => {
  let workDir: string;
  let clone: string;
  let cache: IsolatedInfraCache;
  let cacheDir: string;
  const children: ChildProcess[] = [];

  before(() => {
    workDir = mkdtempSync(join(tmpdir(), 'orderly-start-'));
    clone = join(workDir, 'orderly');
    cache = new IsolatedInfraCache('orderly-start-cache-');
    cacheDir = cache.dir;
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((file) => file && existsSync(join(REPO_ROOT, file)));
    for (const file of files) {
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      cpSync(join(REPO_ROOT, file), join(clone, file));
    }
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules'));
  });

  after(() => {
    for (const child of children) {
      if (child.pid && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    cache.remove();
    rmSync(workDir, { recursive: true, force: true });
  });

  /** Runs `npm start` until it is ready, checks it, stops it with `stop`, checks nothing is left. */
  async function startQueryStop(stop: (npm: ChildProcess) => void): Promise<void> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ORDERLY_CACHE_DIR: cacheDir,
      PORT: `${port}`,
      INVENTORY_GRPC_ADDR: `127.0.0.1:${await freePort()}`,
      // node_modules is this checkout's, installed by this run's own bootstrap: an install
      // from the copy would go through the link.
      ORDERLY_SKIP_BOOTSTRAP: '1',
    };
    // No configured servers: npm start provisions its own.
    delete env.KAFKA_BROKERS;
    delete env.MONGODB_URI;
    delete env.AWS_ENDPOINT_URL;
    delete env.NODE_ENV;
    const npm = spawnWatched('npm', ['start'], { cwd: clone, env, detached: true });
    children.push(npm.child);
    const ready = await Promise.race([
      eventually(() => npm.stdout().includes('Press Ctrl-C to stop'), 150_000, 'ready').then(
        () => true,
        () => false,
      ),
      npm.exited.then(() => false),
    ]);
    assert.ok(ready, `npm start did not come up:\n${npm.stdout()}\n${npm.stderr().slice(-4_000)}`);

    // It started its own servers and says where everything runs.
    assert.match(npm.stdout(), /GraphQL gateway\s+http:\/\/127\.0\.0\.1:\d+\/graphql/);
    assert.match(npm.stdout(), /Kafka\s+127\.0\.0\.1:\d+\s+Apache Kafka .*\(started\)/);
    const database =
      process.env.ORDERLY_MONGO_SERVER === 'mongo-java-server'
        ? 'mongo-java-server .*'
        : 'mongod \\d+\\.\\d+\\.\\d+, primary of replica set orderly';
    assert.match(
      npm.stdout(),
      new RegExp(`MongoDB\\s+mongodb://127\\.0\\.0\\.1:\\d+\\S*\\s+${database} \\(started\\)`),
    );
    assert.match(
      npm.stdout(),
      /LocalStack\s+http:\/\/127\.0\.0\.1:\d+\s+LocalStack 4\.13\.1 community: s3.*\(started\)/,
    );
    const daemons = (['kafka', 'mongo', 'localstack'] as const).map(
      (name) => cache.record(name)?.daemon.pid,
    );
    assert.ok(
      daemons.every((pid) => typeof pid === 'number'),
      'the servers are recorded as started',
    );

    const answer = await postGraphql<{ products: { edges: { node: { sku: string } }[] } }>(
      `http://127.0.0.1:${port}/graphql`,
      '{ products(first: 3) { edges { node { sku } } } }',
    );
    assert.equal(answer.data?.products.edges.length, 3, JSON.stringify(answer));

    stop(npm.child);
    const exit = await npm.exitWithin(60_000);
    // npm ends by the signal it forwarded, once start.ts has stopped.
    assert.match(exit, /^(0|SIGINT|SIGTERM)$/, npm.stderr().slice(-4_000));
    assert.match(npm.stderr(), /\[start\] stopped/);
    // An exited daemon may linger a moment as a zombie until its new parent reaps it.
    await eventually(
      () => daemons.every((pid) => !isRunning(pid as number)),
      10_000,
      `the servers npm start started (pids ${daemons.join(', ')}) to exit`,
    );
    assert.deepEqual(survivors(workDir, npm.child.pid as number), []);
    assert.deepEqual(survivors(cacheDir, npm.child.pid as number), []);
  }

  it('brings the platform up, answers a query, and stops everything on Ctrl-C', async () => {
    // Ctrl-C in a terminal signals the whole foreground process group.
    await startQueryStop((npm) => process.kill(-(npm.pid as number), 'SIGINT'));
  });

  it('stops everything when a process manager sends SIGTERM to npm alone', async () => {
    await startQueryStop((npm) => npm.kill('SIGTERM'));
  });
});
