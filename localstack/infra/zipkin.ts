import { join } from 'node:path';
import type { Logger } from '../../shared/logger/logger.js';
import type { DaemonRecord } from './daemon.js';
import {
  isRunning,
  readJson,
  removeFile,
  startDaemon,
  stopDaemon,
  tailFile,
  writeJson,
} from './daemon.js';
import { withLock } from './lock.js';
import { installMavenLibs, javaCommand, pomProperty } from './maven.js';
import { canConnect, choosePort, waitUntil } from './net.js';
import { INFRA_DIR, LOCALSTACK_DIR } from './paths.js';

const POM = join(LOCALSTACK_DIR, 'infra', 'servers', 'zipkin', 'pom.xml');
const HOST = '127.0.0.1';

/** The Zipkin version is declared once, in the pom that resolves it. */
export const ZIPKIN_VERSION = pomProperty(POM, 'zipkin.version');
export const ZIPKIN_PORT = 9411;

/**
 * A trace viewer for a developer machine: a small serial heap, C1 only (it starts in about
 * five seconds), and in-memory storage that keeps the latest 100,000 spans.
 */
export const ZIPKIN_JVM_OPTIONS = [
  '-Xms32m',
  '-Xmx320m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-Xss512k',
] as const;

const zipkinDir = () => join(INFRA_DIR, 'zipkin');
const recordFile = () => join(zipkinDir(), 'process.json');
const jar = () =>
  join(INFRA_DIR, `zipkin-${ZIPKIN_VERSION}`, 'libs', `zipkin-server-${ZIPKIN_VERSION}-exec.jar`);

interface ZipkinRecord {
  url: string;
  port: number;
  daemon: DaemonRecord;
}

export interface RunningZipkin {
  /** The viewer, for a browser: http://127.0.0.1:9411/zipkin/ */
  uiUrl: string;
  /** Zipkin's base URL, for its API (`/api/v2/traces`, …). */
  url: string;
  /** Where exporters send spans (OTEL_EXPORTER_ZIPKIN_ENDPOINT). */
  spansUrl: string;
  /** Whether this call started it (and so `stop` stops it) or found it running. */
  started: boolean;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/** Resolves Zipkin's exec jar through Maven into the cache, once per version. */
export function installZipkin(logger: Logger): Promise<void> {
  return withLock(join(INFRA_DIR, '.zipkin.lock'), () =>
    installMavenLibs(
      logger,
      `Zipkin ${ZIPKIN_VERSION}`,
      POM,
      join(INFRA_DIR, `zipkin-${ZIPKIN_VERSION}`, 'libs'),
    ),
  );
}

function running(record: ZipkinRecord, started: boolean): RunningZipkin {
  return {
    url: record.url,
    uiUrl: `${record.url}/zipkin/`,
    spansUrl: `${record.url}/api/v2/spans`,
    started,
    pid: record.daemon.pid,
    logFile: record.daemon.logFile,
    async stop() {
      if (!started) return;
      await stopDaemon(record.daemon);
      removeFile(recordFile());
    },
  };
}

/**
 * Zipkin on 127.0.0.1 (port 9411, or a free one): the one this project started earlier if it
 * still runs, else a new one, installed from Maven Central first when needed. Idempotent.
 */
export async function zipkinUp(logger: Logger): Promise<RunningZipkin> {
  const recorded = readJson<ZipkinRecord>(recordFile());
  if (recorded && isRunning(recorded.daemon) && (await canConnect(HOST, recorded.port))) {
    return running(recorded, false);
  }
  await installZipkin(logger);
  const port = await choosePort(HOST, ZIPKIN_PORT);
  const logFile = join(zipkinDir(), 'zipkin.log');
  const daemon = startDaemon({
    command: javaCommand(),
    marker: 'zipkin-server',
    args: [
      ...ZIPKIN_JVM_OPTIONS,
      '-jar',
      jar(),
      `--server.address=${HOST}`,
      `--server.port=${port}`,
    ],
    cwd: zipkinDir(),
    env: { ...process.env, STORAGE_TYPE: 'mem', MEM_MAX_SPANS: '100000', MALLOC_ARENA_MAX: '2' },
    logFile,
  });
  const record: ZipkinRecord = { url: `http://${HOST}:${port}`, port, daemon };
  writeJson(recordFile(), record);
  logger.info({ pid: daemon.pid, port }, `starting Zipkin ${ZIPKIN_VERSION}`);
  try {
    await waitUntil(
      async () => (await fetch(`${record.url}/health`, { signal: AbortSignal.timeout(1_000) })).ok,
      {
        what: 'Zipkin',
        timeoutMs: 90_000,
        intervalMs: 250,
        abortIf: () =>
          isRunning(daemon) ? undefined : `it exited; the end of its log:\n${tailFile(logFile)}`,
      },
    );
  } catch (err) {
    await stopDaemon(daemon);
    removeFile(recordFile());
    throw err;
  }
  return running(record, true);
}

/** Stops the Zipkin this project started, if one runs. */
export async function zipkinDown(logger: Logger): Promise<void> {
  const recorded = readJson<ZipkinRecord>(recordFile());
  if (!recorded) return;
  const outcome = await stopDaemon(recorded.daemon);
  removeFile(recordFile());
  if (outcome !== 'not-running') logger.info({ pid: recorded.daemon.pid }, `Zipkin ${outcome}`);
}
