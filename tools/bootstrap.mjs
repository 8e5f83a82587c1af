// Installs the npm dependencies when they are missing or out of date, so that
// `npm start`, `npm test` and the infra scripts work from a fresh clone.
//
// Plain JavaScript with no dependencies on purpose: it runs before node_modules exists.
// It compares a hash of package.json + package-lock.json with the one recorded at the
// last successful install and runs `npm ci` only when they differ.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const stampFile = join(root, 'node_modules', '.orderly-install-stamp');

function installHash() {
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json', 'frontend/package.json']) {
    hash.update(readFileSync(join(root, file)));
  }
  hash.update(process.version);
  return hash.digest('hex');
}

if (process.env.ORDERLY_SKIP_BOOTSTRAP === '1') process.exit(0);

const wanted = installHash();
const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
if (current === wanted) process.exit(0);

process.stderr.write('[bootstrap] installing npm dependencies (npm ci)...\n');
const started = Date.now();
// npm's own output goes to stderr so that commands whose stdout is parsed
// (`npm run -s infra:up`) stay clean.
const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
  cwd: root,
  stdio: ['ignore', 2, 2],
  env: { ...process.env, ORDERLY_SKIP_BOOTSTRAP: '1' },
});
if (result.status !== 0) {
  process.stderr.write(`[bootstrap] npm ci failed (exit ${result.status ?? result.signal})\n`);
  process.exit(result.status ?? 1);
}
writeFileSync(stampFile, `${wanted}\n`);
process.stderr.write(
  `[bootstrap] dependencies installed in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
);
