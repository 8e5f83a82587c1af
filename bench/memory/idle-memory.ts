import { readdirSync, readFileSync } from 'node:fs';
import { REPO_ROOT } from '../../localstack/infra/paths.js';
import { eventually, freePort } from '../../test-support/eventually.js';
import { IsolatedInfraCache } from '../../test-support/isolated-infra-cache.js';
import { spawnWatched } from '../../test-support/watched-process.js';

export interface ProcessMemory {
  name: string;
  pid: number;
  rssMb: number;
}

export interface IdleMemoryResult {
  settings: { idleSeconds: number; samples: number };
  /** Per process, at the median sample. */
  processes: ProcessMemory[];
  totalMb: number;
  /** Goal: the whole stack idle under this. */
  goalMb: number;
}

const mb = (kb: number) => Math.round(kb / 102.4) / 10;

function rssKb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The processes whose process group is `pgid`, with their command lines. */
function groupMembers(pgid: number): { pid: number; args: string }[] {
  const members: { pid: number; args: string }[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      members.push({ pid: Number(entry), args });
    } catch {
      // Gone meanwhile.
    }
  }
  return members;
}

function nameOf(args: string): string {
  if (args.includes('localstack/start.ts'))
    return 'platform (node: gateway, functions, workflow, inventory)';
  if (/\bnpm\b/.test(args)) return 'npm';
  return args.slice(0, 60);
}

/**
 * `npm start` as a user runs it on a machine with nothing running: its own Kafka, mongod and
 * LocalStack (a fresh cache, the installed servers linked), the whole platform in embedded
 * mode. Once it is ready and has been idle for `idleSeconds`, the resident memory of every
 * process of the stack (npm, the platform, Kafka's JVM, mongod, LocalStack) is sampled; the
 * median total is reported.
 */
export async function benchIdleMemory(idleSeconds = 20, samples = 5): Promise<IdleMemoryResult> {
  const cache = new IsolatedInfraCache('orderly-bench-memory-');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ORDERLY_CACHE_DIR: cache.dir,
    PORT: `${await freePort()}`,
    INVENTORY_GRPC_ADDR: `127.0.0.1:${await freePort()}`,
    ORDERLY_SKIP_BOOTSTRAP: '1',
    LOG_LEVEL: 'warn',
  };
  delete env.KAFKA_BROKERS;
  delete env.MONGODB_URI;
  delete env.AWS_ENDPOINT_URL;
  delete env.NODE_ENV;
  const npm = spawnWatched('npm', ['start'], { cwd: REPO_ROOT, env, detached: true });
  try {
    await eventually(() => npm.stdout().includes('Press Ctrl-C to stop'), 180_000, 'npm start');
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    const daemonNames = {
      kafka: 'Kafka (JVM)',
      mongo: 'mongod',
      localstack: 'LocalStack (Python)',
    };
    const daemons = (['kafka', 'mongo', 'localstack'] as const).map((name) => ({
      name: daemonNames[name],
      pid: cache.record(name)?.daemon.pid ?? 0,
    }));
    const pgid = npm.child.pid ?? 0;
    const taken: ProcessMemory[][] = [];
    for (let i = 0; i < samples; i += 1) {
      const members = groupMembers(pgid).map(({ pid, args }) => ({ name: nameOf(args), pid }));
      taken.push(
        [...members, ...daemons]
          .map(({ name, pid }) => ({ name, pid, rssMb: mb(rssKb(pid)) }))
          .filter((process) => process.rssMb > 0),
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const total = (sample: ProcessMemory[]) => sample.reduce((sum, p) => sum + p.rssMb, 0);
    const median = [...taken].sort((a, b) => total(a) - total(b))[Math.floor(samples / 2)] ?? [];
    return {
      settings: { idleSeconds, samples },
      processes: median,
      totalMb: Math.round(total(median) * 10) / 10,
      goalMb: 600,
    };
  } finally {
    if (npm.child.pid) {
      try {
        process.kill(-npm.child.pid, 'SIGINT');
      } catch {
        // Already gone.
      }
    }
    await npm.exitWithin(60_000);
    cache.remove();
  }
}
