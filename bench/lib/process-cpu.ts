import { readFileSync } from 'node:fs';
import { readRecord, type ServiceName } from '../../localstack/infra/service-record.js';

/** Linux counts process CPU time in clock ticks of 10 ms (USER_HZ = 100 on every Linux port). */
const MS_PER_TICK = 10;

/** CPU time (user + system, ms) a process has used so far, from /proc; null when it is gone. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return null;
  }
}

/** The pids of the servers the project started (kafka, mongo), from their records. */
export function serverPids(names: readonly ServiceName[]): Partial<Record<ServiceName, number>> {
  const pids: Partial<Record<ServiceName, number>> = {};
  for (const name of names) {
    const pid = readRecord(name)?.daemon.pid;
    if (pid !== undefined && processCpuMs(pid) !== null) pids[name] = pid;
  }
  return pids;
}

/** This process's CPU time (user + system, ms) so far. */
function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * CPU used by this process and by each given server while `work` runs, in ms. The servers'
 * figures have a 10 ms resolution, so a case should run long enough to use seconds.
 */
export async function measureCpu<T>(
  servers: Partial<Record<ServiceName, number>>,
  work: () => Promise<T>,
): Promise<{ result: T; ownMs: number; serversMs: Partial<Record<ServiceName, number>> }> {
  const entries = Object.entries(servers) as [ServiceName, number][];
  const before = entries.map(([, pid]) => processCpuMs(pid) ?? 0);
  const ownBefore = ownCpuMs();
  const result = await work();
  const ownMs = ownCpuMs() - ownBefore;
  const serversMs: Partial<Record<ServiceName, number>> = {};
  entries.forEach(([name, pid], i) => {
    serversMs[name] = (processCpuMs(pid) ?? 0) - (before[i] ?? 0);
  });
  return { result, ownMs, serversMs };
}
