import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp } from '../shared/http/http-app.js';
import { storefrontCsp } from './security-headers.js';

export { storefrontCsp } from './security-headers.js';

/** The policy with no media origin (pictures and uploads on the storefront's own origin). */
export const STOREFRONT_CSP = storefrontCsp();

/** Paths the storefront never answers: the API's own, so a typo there stays a 404. */
const API_PATHS = /^\/(graphql|graphiql|health)(\/|$|\?)/;

/**
 * The file below `root` that a request path names, or undefined: no such file, a path
 * outside the build, or a hidden file (the build's own stamp).
 */
async function builtFile(root: string, path: string): Promise<string | undefined> {
  const file = resolve(root, `.${path}`);
  if (!file.startsWith(`${root}${sep}`)) return undefined;
  if (
    relative(root, file)
      .split(sep)
      .some((part) => part.startsWith('.'))
  )
    return undefined;
  try {
    return (await stat(file)).isFile() ? relative(root, file) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves the built storefront (`frontend/dist`) at `/`, on the origin of `/graphql`: hashed
 * assets cached for a year, `index.html` never cached, and every other GET that accepts HTML
 * answered with `index.html` so that a reload on `/orders/42` opens the app on that page.
 * Files are looked up per request, so a rebuild is served without a restart.
 */
export async function serveStorefront(app: HttpApp, root: string): Promise<void> {
  const folder = resolve(root);
  if (!existsSync(join(folder, 'index.html'))) {
    throw new Error(
      `The storefront is not built: ${join(folder, 'index.html')} is missing (npm run build:frontend)`,
    );
  }
  // Only `reply.sendFile` (no routes of its own): the one route below decides what is a file.
  await app.register(fastifyStatic, {
    root: folder,
    serve: false,
    setHeaders(reply, path) {
      reply.header(
        'cache-control',
        path.startsWith(join(folder, 'assets'))
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });
  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url, 'http://storefront').pathname);
    } catch {
      return reply.callNotFound();
    }
    // No page of the app is an API path or a hidden file.
    if (API_PATHS.test(path) || /(^|\/)\./.test(path)) return reply.callNotFound();
    const file = await builtFile(folder, path);
    if (file) return reply.sendFile(file);
    const wantsPage =
      !path.startsWith('/assets/') &&
      (path === '/' || (request.headers.accept ?? '').includes('text/html'));
    if (!wantsPage) return reply.callNotFound();
    return reply.sendFile('index.html');
  };
  app.get('/', { config: { rateLimit: false } }, page);
  app.get('/*', { config: { rateLimit: false } }, page);
}
