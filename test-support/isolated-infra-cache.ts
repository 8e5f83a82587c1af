import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INFRA_DIR, REPO_ROOT } from '../localstack/infra/paths.js';
import type { ServiceName, ServiceRecord } from '../localstack/infra/service-record.js';
import { spawnWatched } from './watched-process.js';

/** Installed servers (jars, binaries) that a fresh cache may share with this checkout's. */
const INSTALLS = /^(kafka|mongo-java-server|mongodb|localstack)-\d/;

/**
 * A fresh `ORDERLY_CACHE_DIR` for a test that runs its own servers (and may kill them) apart
 * from the suite's: its own data, logs, records and settings, with the installed servers
 * linked from this checkout's cache so nothing is downloaded again. The links are only read.
 */
export class IsolatedInfraCache {
  readonly dir: string;

  constructor(prefix = 'orderly-infra-') {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    const infra = join(this.dir, 'infra');
    mkdirSync(infra, { recursive: true });
    const installed = existsSync(INFRA_DIR) ? readdirSync(INFRA_DIR) : [];
    for (const entry of installed.filter((name) => INSTALLS.test(name))) {
      symlinkSync(join(INFRA_DIR, entry), join(infra, entry));
    }
  }

  /**
   * Runs `infra:up` in this cache, in a process of its own as an operator would, with `env`
   * (this cache's folder added); returns the settings it printed and what it logged.
   */
  async up(env: NodeJS.ProcessEnv): Promise<{ settings: Record<string, string>; log: string }> {
    const run = spawnWatched(
      process.execPath,
      ['--import', 'tsx', 'localstack/infra/cli.ts', 'up'],
      { cwd: REPO_ROOT, env: { ...env, ORDERLY_CACHE_DIR: this.dir } },
    );
    const exit = await run.exitWithin(150_000);
    if (exit !== '0') throw new Error(`infra:up failed (${exit}):\n${run.stderr()}`);
    const settings = Object.fromEntries(
      run
        .stdout()
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    return { settings, log: run.stderr() };
  }

  /** Runs `infra:down` in this cache, as an operator would; returns what it logged. */
  async down(env: NodeJS.ProcessEnv): Promise<string> {
    const run = spawnWatched(
      process.execPath,
      ['--import', 'tsx', 'localstack/infra/cli.ts', 'down'],
      { cwd: REPO_ROOT, env: { ...env, ORDERLY_CACHE_DIR: this.dir } },
    );
    const exit = await run.exitWithin(90_000);
    if (exit !== '0') throw new Error(`infra:down failed (${exit}):\n${run.stderr()}`);
    return run.stderr();
  }

  /** Runs `infra:status` in this cache with `env`; returns its exit code and what it printed. */
  async status(env: NodeJS.ProcessEnv): Promise<{ exit: string; output: string }> {
    const run = spawnWatched(
      process.execPath,
      ['--import', 'tsx', 'localstack/infra/cli.ts', 'status'],
      { cwd: REPO_ROOT, env: { ...env, ORDERLY_CACHE_DIR: this.dir } },
    );
    const exit = await run.exitWithin(60_000);
    return { exit, output: run.stdout() };
  }

  /** The record `infra:up` wrote for a server it started in this cache. */
  record(name: ServiceName): ServiceRecord | undefined {
    const file = join(this.dir, 'infra', name, 'process.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ServiceRecord) : undefined;
  }

  /** SIGKILLs a recorded server's process group, as a crash would end it. */
  kill(name: ServiceName): number | undefined {
    const pid = this.record(name)?.daemon.pid;
    if (!pid) return undefined;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    return pid;
  }

  /** Kills whatever this cache's servers still run, then deletes the cache (not the links' targets). */
  remove(): void {
    this.kill('kafka');
    this.kill('mongo');
    this.kill('localstack');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
