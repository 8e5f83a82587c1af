import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../localstack/infra/paths.js';

export interface ColdStart {
  function: string;
  bundleBytes: number;
  /** Median over runs: new process start to first response, ms. */
  coldStartMs: number;
  /** coldStartMs / the empty handler's. */
  ratioToEmpty: number;
}

/** Each HTTP function with a first request that reads the database (so the connection counts). */
const FUNCTIONS: { name: string; path: string; query?: string; signedIn?: boolean }[] = [
  { name: 'accounts', path: '/accounts/me', signedIn: true },
  { name: 'carts', path: '/cart', signedIn: true },
  { name: 'catalog', path: '/products', query: 'first=20' },
  { name: 'orders', path: '/orders', query: 'first=10', signedIn: true },
];
const RUNS = 5;
const OUT_DIR = join(REPO_ROOT, '.build', 'bench-bundles');

interface EsbuildSettings {
  target: string;
  minify: boolean;
  exclude?: string[];
  banner?: { js: string };
  /** A CommonJS file exporting esbuild plugins, relative to the service directory. */
  plugins?: string;
}

/** The esbuild settings serverless.yml deploys with (`custom.esbuild`). */
function deployedEsbuildSettings(): EsbuildSettings {
  const config = parse(readFileSync(join(REPO_ROOT, 'serverless.yml'), 'utf8')) as {
    custom: { esbuild: EsbuildSettings };
  };
  return config.custom.esbuild;
}

/** Bundles an entry the way serverless-esbuild does, with serverless.yml's settings. */
async function bundle(entry: string, outfile: string): Promise<number> {
  const settings = deployedEsbuildSettings();
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: settings.target,
    minify: settings.minify,
    // What the Lambda runtime provides (the AWS SDK) is not bundled.
    external: settings.exclude ?? [],
    logLevel: 'error',
    ...(settings.banner ? { banner: settings.banner } : {}),
    ...(settings.plugins
      ? { plugins: createRequire(import.meta.url)(join(REPO_ROOT, settings.plugins)) as Plugin[] }
      : {}),
  });
  return statSync(outfile).size;
}

/** An HS256 token as the accounts function issues them, for the signed-in first requests. */
function benchToken(secret: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
    sub: 'cold-start-bench',
    email: 'cold@example.com',
    role: 'CUSTOMER',
    iss: 'orderly',
    aud: 'orderly-api',
    iat: now,
    exp: now + 600,
  })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

interface FirstRequest {
  path: string;
  query: string;
  token: string | null;
}

/** A fresh process that imports the bundle and serves one request; resolves with its wall time. */
function timeFirstRequest(
  bundlePath: string,
  env: NodeJS.ProcessEnv,
  request: FirstRequest = { path: '/', query: '', token: null },
): Promise<number> {
  const headers: Record<string, string> = { host: 'bench' };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  const script = `
    const started = performance.timeOrigin;
    const { handler } = await import(${JSON.stringify(bundlePath)});
    const event = { version: '2.0', routeKey: '$default', rawPath: ${JSON.stringify(request.path)},
      rawQueryString: ${JSON.stringify(request.query)}, headers: ${JSON.stringify(headers)},
      requestContext: { http: { method: 'GET', path: ${JSON.stringify(request.path)},
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
        // The empty handler answers anything; a function must answer its request (a signed-in
        // shopper with no account yet gets 404 from /accounts/me, after reading the database).
        if (code !== 0 || status >= 500 || status === 401) {
          throw new Error(`exit ${code}, status ${status}`);
        }
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
 * request that reads the database (building the app, connecting to MongoDB), against an
 * empty handler bundle.
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

  const token = benchToken(String(env.JWT_SECRET));
  const functions: ColdStart[] = [];
  for (const { name, path, query, signedIn } of FUNCTIONS) {
    const outfile = join(OUT_DIR, `${name}.bundle.mjs`);
    const bundleBytes = await bundle(join(REPO_ROOT, 'functions', name, 'lambda.ts'), outfile);
    const request = { path, query: query ?? '', token: signedIn ? token : null };
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await timeFirstRequest(outfile, env, request));
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
