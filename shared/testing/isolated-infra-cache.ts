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
import { INFRA_DIR } from '../../localstack/infra/paths.js';
import type { ServiceName, ServiceRecord } from '../../localstack/infra/service-record.js';

/** Installed servers (jars, binaries) that a fresh cache may share with this checkout's. */
const INSTALLS = /^(kafka|mongo-java-server|mongodb)-\d/;

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
    rmSync(this.dir, { recursive: true, force: true });
  }
}
