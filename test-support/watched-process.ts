import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/** A child process whose output is collected and whose end can be awaited. */
export interface WatchedProcess {
  child: ChildProcess;
  stdout(): string;
  /** The last 20 000 characters written to stderr. */
  stderr(): string;
  /** Resolves with the exit code, or the name of the signal that ended it. */
  exited: Promise<string>;
  /** Resolves with `exited`, or with `still running` after `ms`. */
  exitWithin(ms: number): Promise<string>;
}

const STDERR_KEPT = 20_000;

/** Spawns a process with piped output, for tests that run the project's commands. */
export function spawnWatched(
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'stdio'>,
): WatchedProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT);
  });
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(`${code ?? signal}`)),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    exitWithin: (ms) =>
      Promise.race([
        exited,
        new Promise<string>((resolve) => setTimeout(() => resolve('still running'), ms).unref()),
      ]),
  };
}
