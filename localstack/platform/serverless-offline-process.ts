import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Logger } from '../../shared/logger/logger.js';
import { REPO_ROOT } from '../infra/paths.js';

export interface ServerlessOfflineOptions {
  logger: Logger;
  /** The serverless.yml stage whose parameters apply (`local`). */
  stage: string;
  httpPort: number;
  lambdaPort: number;
  /** The functions' environment (connection settings, topic prefix, inventory address). */
  env: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  /** Receives each line the process prints (the functions' logs among them). */
  onLine?: (line: string) => void;
}

export interface RunningServerlessOffline {
  /** Serves the functions' `httpApi` routes. */
  httpUrl: string;
  /** Serves the Lambda Invoke API. */
  lambdaUrl: string;
  /** The deployed name of a function key (`orderly-local-order-saga`). */
  functionName(key: string): string;
  stop(): Promise<void>;
}

const OUTPUT_KEPT = 8_000;

/**
 * Runs `serverless offline` from the repository's serverless.yml as a child process in its
 * own process group, and resolves once it serves both ports. Stopping sends SIGINT to the
 * group, then SIGKILL to whatever is left after 10 s.
 */
export async function startServerlessOffline(
  options: ServerlessOfflineOptions,
): Promise<RunningServerlessOffline> {
  const { logger } = options;
  const child = spawn(
    join(REPO_ROOT, 'node_modules', '.bin', 'serverless'),
    [
      'offline',
      '--stage',
      options.stage,
      '--httpPort',
      `${options.httpPort}`,
      '--lambdaPort',
      `${options.lambdaPort}`,
    ],
    {
      cwd: REPO_ROOT,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  // One line buffer per stream, so a line is never spliced from both.
  const collector = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-OUTPUT_KEPT);
      if (!options.onLine) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) options.onLine(line);
    };
  };
  child.stdout?.on('data', collector());
  child.stderr?.on('data', collector());
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(child, 'SIGINT');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    // Handler workers started by the offline process share its group.
    signalGroup(child, 'SIGKILL');
  };

  try {
    const timeoutMs = options.readyTimeoutMs ?? 90_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`serverless offline: not ready after ${timeoutMs / 1000}s`)),
        timeoutMs,
      );
      const onData = () => {
        if (output.includes('Server ready')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`serverless offline exited (${code ?? signal}) before it was ready`));
      });
    });
  } catch (err) {
    await stop();
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${message}\n${output.slice(-3_000)}`);
  }
  logger.debug({ pid: child.pid }, 'serverless offline is ready');
  return {
    httpUrl: `http://127.0.0.1:${options.httpPort}`,
    lambdaUrl: `http://127.0.0.1:${options.lambdaPort}`,
    functionName: (key) => `orderly-${options.stage}-${key}`,
    stop,
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}
