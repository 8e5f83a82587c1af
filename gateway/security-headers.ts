import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The storefront's Content-Security-Policy, directive by directive: scripts, styles and
 * connections from this origin only (`connect-src 'self'` covers the same-origin WebSocket of
 * the subscriptions), no plugins, no framing, no inline script or style. `mediaOrigins` are
 * where product pictures are read from and where the admin's browser uploads them.
 */
export function cspDirectives(mediaOrigins: readonly string[] = []): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', ...mediaOrigins],
    'connect-src': ["'self'", ...mediaOrigins],
    'font-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

/** The policy as the header carries it (helmet's format: directives joined by `;`). */
export function storefrontCsp(mediaOrigins: readonly string[] = []): string {
  return Object.entries(cspDirectives(mediaOrigins))
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join(';');
}

/**
 * Security headers on every answer of the gateway, from helmet: the strict CSP above, no
 * framing, nosniff, HSTS, a same-origin referrer. GraphiQL (a developer's machine only) is left
 * out: it runs inline scripts. Cross-origin embedding stays allowed: pictures come from object
 * storage on another origin.
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  mediaOrigins: readonly string[],
): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/graphiql')) (route as { helmet?: false }).helmet = false;
  });
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(mediaOrigins) },
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  });
}
