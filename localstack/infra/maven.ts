import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../shared/logger/logger.js';
import { findOnPath, runCommand } from './commands.js';

/** The Java launcher: $JAVA_HOME/bin/java when set, else java on PATH. */
export function javaCommand(): string {
  const fromHome = process.env.JAVA_HOME && join(process.env.JAVA_HOME, 'bin', 'java');
  const java = fromHome && existsSync(fromHome) ? fromHome : findOnPath('java');
  if (!java)
    throw new Error('Java 17+ is needed for the local servers: install a JDK or set JAVA_HOME');
  return java;
}

/** Reads a `<name>` property from a pom, so each version is declared in one place. */
export function pomProperty(pom: string, name: string): string {
  const escaped = name.replaceAll('.', '\\.');
  const match = new RegExp(`<${escaped}>([^<]+)</${escaped}>`).exec(readFileSync(pom, 'utf8'));
  if (!match?.[1]) throw new Error(`${pom} declares no <${name}>`);
  return match[1];
}

/**
 * Copies the dependencies of a pom (resolved from Maven Central through the local Maven
 * repository) into `libDir`, once: a marker file records a complete copy, and a partial
 * copy from an interrupted run is discarded.
 */
export async function installMavenLibs(
  logger: Logger,
  what: string,
  pom: string,
  libDir: string,
): Promise<void> {
  const marker = join(libDir, '.complete');
  if (existsSync(marker)) return;
  if (!findOnPath('mvn')) {
    throw new Error(`Maven (mvn) is needed to fetch ${what} from Maven Central: install it first`);
  }
  javaCommand();
  logger.info(`resolving ${what} from Maven Central`);
  const staging = `${libDir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  await runCommand('mvn', [
    '-q',
    '-B',
    '-f',
    pom,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${staging}`,
  ]);
  rmSync(libDir, { recursive: true, force: true });
  renameSync(staging, libDir);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  logger.info({ libs: libDir }, `${what} installed`);
}
