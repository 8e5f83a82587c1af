import { createHash } from 'node:crypto';
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import type { Logger } from '../../shared/logger/logger.js';
import { withLock } from '../infra/lock.js';
import { CACHE_DIR, REPO_ROOT } from '../infra/paths.js';

export const FRONTEND_DIR = join(REPO_ROOT, 'frontend');
/** Where the built storefront is served from. */
export const STOREFRONT_DIST = join(FRONTEND_DIR, 'dist');
const STAMP = '.source-hash';
/** What the build reads; a change to any of it means a new build. */
const SOURCES = ['index.html', 'vite.config.ts', 'package.json', 'src', 'public'];

/** The files at `path`: the file itself, or every file below the folder. */
function filesAt(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    filesAt(join(path, entry.name)),
  );
}

/** A hash of every source file of the storefront, by path and content. */
export function storefrontSourceHash(): string {
  const hash = createHash('sha256');
  for (const source of SOURCES) {
    for (const file of filesAt(join(FRONTEND_DIR, source)).sort()) {
      hash.update(relative(FRONTEND_DIR, file)).update('\0').update(readFileSync(file));
    }
  }
  return hash.digest('hex');
}

/**
 * Builds the storefront with Vite unless `frontend/dist` already holds a build of the current
 * sources, and returns the folder to serve. The build goes to a temporary folder that then
 * replaces `dist`, under a lock, so a second command never serves half a build.
 */
export async function ensureStorefrontBuilt(logger: Logger): Promise<string> {
  const wanted = storefrontSourceHash();
  const stampOf = () => {
    const stamp = join(STOREFRONT_DIST, STAMP);
    return existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
  };
  if (stampOf() === wanted) return STOREFRONT_DIST;
  await withLock(join(CACHE_DIR, 'storefront-build.lock'), async () => {
    if (stampOf() === wanted) return;
    const started = Date.now();
    logger.info('building the storefront (vite build)');
    const { build } = await import('vite');
    const outDir = join(FRONTEND_DIR, `.dist-${process.pid}`);
    await build({
      root: FRONTEND_DIR,
      configFile: join(FRONTEND_DIR, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    writeFileSync(join(outDir, STAMP), `${wanted}\n`);
    rmSync(STOREFRONT_DIST, { recursive: true, force: true });
    renameSync(outDir, STOREFRONT_DIST);
    logger.info({ ms: Date.now() - started }, 'storefront built');
  });
  return STOREFRONT_DIST;
}
