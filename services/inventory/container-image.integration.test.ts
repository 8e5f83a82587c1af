import assert from 'node:assert/strict';
import { type ChildProcess, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../../localstack/infra/paths.js';
import { createInventoryClient } from '../../shared/grpc/inventory-client.js';
import { readRuntimeStage } from '../../test-support/dockerfile.js';
import { eventually, freePort } from '../../test-support/eventually.js';
import { integrationConfig, uniqueName } from '../../test-support/integration-env.js';
import { spawnWatched } from '../../test-support/watched-process.js';

const DOCKERFILE = join(REPO_ROOT, 'services', 'inventory', 'Dockerfile');

/**
 * The inventory image's entry point, run as a process: the build stage's bundle laid out as
 * the runtime stage copies it, started with the image's CMD and environment, probed with its
 * HEALTHCHECK, and stopped with its STOPSIGNAL. (No container engine here; the layout and
 * the commands come from the Dockerfile itself.)
 */
describe('the inventory container entry point', () => {
  const stage = readRuntimeStage(readFileSync(DOCKERFILE, 'utf8'));
  let app: string;
  let child: ChildProcess | undefined;
  let address: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    const build = spawnSync('npm', ['run', '--silent', 'build:inventory'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, build.stderr);
    app = mkdtempSync(join(tmpdir(), 'orderly-inventory-image-'));
    for (const [from, to] of stage.copiesFromBuild) {
      // `COPY a dir/` puts a inside dir.
      const target = join(app, to, to.endsWith('/') ? basename(from) : '');
      mkdirSync(dirname(target), { recursive: true });
      // node_modules is linked rather than copied (the image holds the pruned production set).
      if (from === `${stage.workdir}/node_modules`)
        symlinkSync(join(REPO_ROOT, 'node_modules'), target);
      else
        cpSync(join(REPO_ROOT, from.replace(`${stage.workdir}/`, '')), target, {
          recursive: true,
        });
    }
    const { kafka, mongo } = integrationConfig();
    address = `127.0.0.1:${await freePort()}`;
    // Paths inside the image's WORKDIR point into the laid-out folder instead.
    const imageEnv = Object.fromEntries(
      Object.entries(stage.env).map(([key, value]) => [
        key,
        value.startsWith(`${stage.workdir}/`)
          ? join(app, value.slice(stage.workdir.length))
          : value,
      ]),
    );
    env = {
      PATH: process.env.PATH,
      ...imageEnv,
      // Loopback only on this machine; the image binds 0.0.0.0.
      INVENTORY_GRPC_ADDR: address,
      INVENTORY_HEALTH_ADDR: address,
      MONGODB_URI: mongo.uri,
      MONGODB_DB: uniqueName('it_inventory_image'),
      KAFKA_BROKERS: kafka.brokers.join(','),
      KAFKA_TOPIC_PREFIX: `${uniqueName('it')}.`,
      LOG_LEVEL: 'error',
    };
  });

  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (app) rmSync(app, { recursive: true, force: true });
  });

  const probe = () => {
    const [command, ...args] = stage.healthcheck;
    return spawnSync(command as string, args, { cwd: app, env, encoding: 'utf8' });
  };

  it('starts from its CMD, reports healthy, serves gRPC and stops cleanly on its STOPSIGNAL', async () => {
    assert.deepEqual(stage.cmd.slice(0, 1), ['node']);
    assert.equal(stage.env.NODE_ENV, 'production');
    const [command, ...args] = stage.cmd;
    const started = spawnWatched(command as string, args, { cwd: app, env });
    child = started.child;
    await eventually(
      () => {
        if (started.child.exitCode !== null)
          throw new Error(`exited ${started.child.exitCode}: ${started.stderr()}`);
        return probe().status === 0;
      },
      30_000,
      'the HEALTHCHECK to pass',
      () => started.child.exitCode !== null,
    );
    assert.equal(probe().stdout.trim(), 'SERVING');

    const client = createInventoryClient({ address });
    try {
      await client.restock('IMAGE-SKU', 7);
      const [level] = await client.getStock(['IMAGE-SKU']);
      assert.equal(level?.available, 7);
    } finally {
      client.close();
    }

    started.child.kill(stage.stopSignal as NodeJS.Signals);
    assert.equal(await started.exitWithin(20_000), '0', started.stderr());
    assert.notEqual(probe().status, 0, 'the probe fails once the service is gone');
  });
});
