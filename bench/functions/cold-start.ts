import { spawn } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../../localstack/infra/paths.js';

export interface ColdStart {
  function: string;
  bundleBytes: number;
  /** Median over runs: new process start to first response, ms. */
  coldStartMs: number;
  /** coldStartMs / the empty handler's. */
  ratioToEmpty: number;
}

const FUNCTIONS = ['accounts', 'carts', 'catalog', 'orders'];
const RUNS = 5;
const OUT_DIR = join(REPO_ROOT, '.build', 'bench-bundles');

/** Bundles an entry the way serverless-esbuild does (ESM, minified, createRequire banner). */
async function bundle(entry: string, outfile: string): Promise<number> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    logLevel: 'error',
    banner: {
      js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
    },
  });
  return statSync(outfile).size;
}

/** A fresh process that imports the bundle and serves one request; resolves with its wall time. */
function timeFirstRequest(bundlePath: string, env: NodeJS.ProcessEnv): Promise<number> {
  const script = `
    const started = performance.timeOrigin;
    const { handler } = await import(${JSON.stringify(bundlePath)});
    const event = { version: '2.0', routeKey: '$default', rawPath: '/health-probe', rawQueryString: '',
      headers: { host: 'bench' }, requestContext: { http: { method: 'GET', path: '/health-probe',
      protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' }, requestId: 'cold', stage: '$default' },
      isBase64Encoded: false };
    const response = await handler(event, {});
    process.stdout.write(JSON.stringify({ ms: Date.now() - started, status: response.statusCode }));
    await handler.close?.();
    process.exit(0);
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => {
      try {
        const { ms, status } = JSON.parse(output);
        if (code !== 0 || status >= 500) throw new Error(`exit ${code}, status ${status}`);
        resolve(ms);
      } catch (err) {
        reject(
          new Error(`cold start of ${bundlePath} failed: ${(err as Error).message} ${output}`),
        );
      }
    });
  });
}

const median = (values: number[]) =>
  Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0);

/**
 * Cold start of each HTTP function's bundle: import it in a new process and serve a first
 * request (building the app, connecting to MongoDB), against an empty handler bundle.
 */
export async function benchColdStarts(
  env: NodeJS.ProcessEnv,
): Promise<{ emptyMs: number; functions: ColdStart[] }> {
  mkdirSync(OUT_DIR, { recursive: true });
  const emptyEntry = join(OUT_DIR, 'empty-handler.mjs');
  writeFileSync(
    emptyEntry,
    'export const handler = async () => ({ statusCode: 200, body: "" });\n',
  );
  const emptyBundle = join(OUT_DIR, 'empty.bundle.mjs');
  await bundle(emptyEntry, emptyBundle);
  const emptyRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) emptyRuns.push(await timeFirstRequest(emptyBundle, env));
  const emptyMs = median(emptyRuns);

  const functions: ColdStart[] = [];
  for (const name of FUNCTIONS) {
    const outfile = join(OUT_DIR, `${name}.bundle.mjs`);
    const bundleBytes = await bundle(join(REPO_ROOT, 'functions', name, 'lambda.ts'), outfile);
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await timeFirstRequest(outfile, env));
    const coldStartMs = median(runs);
    functions.push({
      function: name,
      bundleBytes,
      coldStartMs,
      ratioToEmpty: Math.round((coldStartMs / emptyMs) * 100) / 100,
    });
  }
  return { emptyMs, functions };
}
