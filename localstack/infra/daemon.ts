import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** What is recorded about a background server this project started (its pid file). */
export interface DaemonRecord {
  pid: number;
  command: string;
  /** Text the process's command line contains (checked in /proc), so a recycled pid is never mistaken for ours. */
  marker: string;
  logFile: string;
  startedAt: string;
}

export interface DaemonSpec {
  command: string;
  /** Text unique to this server's command line; defaults to the executable's name. */
  marker?: string;
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  logFile: string;
}

/**
 * Starts a server detached from this process (in its own process group, output appended
 * to its log file) so it outlives the command that started it.
 */
export function startDaemon(spec: DaemonSpec): DaemonRecord {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const log = openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
    if (child.pid === undefined) throw new Error(`cannot start ${spec.command}`);
    child.unref();
    return {
      pid: child.pid,
      command: spec.command,
      marker: spec.marker ?? basename(spec.command),
      logFile: spec.logFile,
      startedAt: new Date().toISOString(),
    };
  } finally {
    closeSync(log);
  }
}

/** True when the recorded process still runs and is still the program we started. */
export function isRunning(record: DaemonRecord): boolean {
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  try {
    const state = readFileSync(`/proc/${record.pid}/stat`, 'utf8');
    if (/^\d+ \(.*\) Z /.test(state)) return false; // a zombie has already exited
    const cmdline = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8');
    return cmdline.includes(record.marker);
  } catch {
    return true; // no /proc (not Linux): the signal check above is all there is
  }
}

/**
 * Stops the process group of a daemon: SIGTERM, then SIGKILL when it has not exited
 * within the grace period.
 */
export async function stopDaemon(
  record: DaemonRecord,
  graceMs = 20_000,
): Promise<'stopped' | 'killed' | 'not-running'> {
  if (!isRunning(record)) return 'not-running';
  signalGroup(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(record)) return 'stopped';
    await delay(100);
  }
  signalGroup(record.pid, 'SIGKILL');
  while (isRunning(record)) await delay(50);
  return 'killed';
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** The last lines of a log file, for error messages. */
export function tailFile(file: string, lines = 20): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}
