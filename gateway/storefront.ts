import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp } from '../shared/http/http-app.js';

/**
 * The storefront's Content-Security-Policy: scripts, styles and connections from this origin
 * only (`connect-src 'self'` covers the same-origin WebSocket of the subscriptions), no
 * plugins, no framing, no inline script or style. `mediaOrigins` are where product pictures
 * are read from and where the admin's browser uploads them (object storage).
 */
export function storefrontCsp(mediaOrigins: readonly string[] = []): string {
  const media = mediaOrigins.map((origin) => ` ${origin}`).join('');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data:${media}`,
    `connect-src 'self'${media}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy with no media origin (pictures and uploads on the storefront's own origin). */
export const STOREFRONT_CSP = storefrontCsp();

function securityHeaders(mediaOrigins: readonly string[]) {
  return {
    'content-security-policy': storefrontCsp(mediaOrigins),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };
}

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
export async function serveStorefront(
  app: HttpApp,
  root: string,
  mediaOrigins: readonly string[] = [],
): Promise<void> {
  const headers = securityHeaders(mediaOrigins);
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
      reply.headers(headers);
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
