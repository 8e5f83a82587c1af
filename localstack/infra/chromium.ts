import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../shared/logger/logger.js';
import { findOnPath, runCommand } from './commands.js';
import { withLock } from './lock.js';
import { INFRA_DIR } from './paths.js';

/**
 * The browser the storefront's browser tests and benchmark drive: Debian's
 * `chromium-headless-shell` (Chromium's headless build), driven by playwright-core.
 * Playwright's own browser download is a CDN outside the package registries, so the browser
 * comes from the distribution's archive instead, installed with apt like any system package.
 */
export const CHROMIUM_PACKAGE = 'chromium-headless-shell';

/** Where a browser is looked for: CHROMIUM_PATH, then the Debian package's binaries. */
const CANDIDATES = ['chromium-headless-shell', 'chromium', 'chromium-browser'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) return existsSync(configured) ? configured : undefined;
  for (const name of CANDIDATES) {
    const found =
      findOnPath(name) ?? (existsSync(`/usr/bin/${name}`) ? `/usr/bin/${name}` : undefined);
    if (found) return found;
  }
  return undefined;
}

/** How this machine could install the package, or why it cannot. */
function installer(): { command: string; prefix: string[] } | { refusal: string } {
  if (!findOnPath('apt-get')) {
    return {
      refusal: `no apt-get here: install Chromium yourself and set CHROMIUM_PATH to its binary`,
    };
  }
  if (process.getuid?.() === 0) return { command: 'apt-get', prefix: [] };
  if (findOnPath('sudo')) return { command: 'sudo', prefix: ['-n', 'apt-get'] };
  return {
    refusal: `installing ${CHROMIUM_PACKAGE} needs root: run "sudo apt-get install ${CHROMIUM_PACKAGE}", or set CHROMIUM_PATH`,
  };
}

/**
 * The path of a headless Chromium, installing Debian's package first when there is none
 * (`apt-get update`, then `apt-get install`; about a minute, once per machine). Idempotent,
 * and serialised by a lock so that two commands never run apt at the same time.
 */
export async function ensureChromium(logger: Logger): Promise<string> {
  const present = findChromium();
  if (present) return present;
  if (process.env.CHROMIUM_PATH?.trim()) {
    throw new Error(`CHROMIUM_PATH names ${process.env.CHROMIUM_PATH}, which does not exist`);
  }
  const how = installer();
  if ('refusal' in how) throw new Error(`No Chromium for the browser tests: ${how.refusal}`);
  return withLock(
    join(INFRA_DIR, 'chromium-install.lock'),
    async () => {
      const again = findChromium();
      if (again) return again;
      const started = Date.now();
      logger.info(`installing ${CHROMIUM_PACKAGE} from the Debian archive (apt-get)`);
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      await runCommand(how.command, [...how.prefix, 'update', '-qq'], { env });
      await runCommand(how.command, [...how.prefix, 'install', '-y', '-qq', CHROMIUM_PACKAGE], {
        env,
      });
      const installed = findChromium();
      if (!installed) throw new Error(`${CHROMIUM_PACKAGE} installed, but no binary was found`);
      logger.info({ path: installed, ms: Date.now() - started }, `${CHROMIUM_PACKAGE} installed`);
      return installed;
    },
    600_000,
  );
}
