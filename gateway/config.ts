import { isIP } from 'node:net';
import { readAuthConfig } from '../shared/auth/auth-config.js';
import {
  type RuntimeConfig,
  readInventoryAddress,
  readRuntimeConfig,
} from '../shared/config/config.js';
import type { EnvReader } from '../shared/config/env-reader.js';
import type { ViewerAddressSource } from './client-address.js';
import { FUNCTION_NAMES, type FunctionName } from './invokers/function-invoker.js';
import { DEFAULT_GATEWAY_SETTINGS as DEFAULTS, type GatewaySettings } from './settings.js';

export type InvokerKind = 'in-process' | 'http' | 'lambda';

export interface GatewayConfig {
  runtime: RuntimeConfig;
  settings: GatewaySettings;
  invoker: InvokerKind;
  /** For `http`: base URL of each function (one URL may serve all). */
  functionUrls: Record<FunctionName, string>;
  /** For `lambda`: the Invoke API endpoint (unset: AWS itself) and the prefix of the names. */
  lambdaEndpoint: string | undefined;
  lambdaNamePrefix: string;
  inventoryAddress: string;
  /** Signs the client address passed to the functions (the functions' JWT_SECRET). */
  hopSecret: string;
  /** STOREFRONT_DIR: a built storefront to serve at `/` (a gateway server only). */
  storefrontRoot: string | undefined;
  /**
   * STOREFRONT_MEDIA_ORIGINS: where the storefront reads pictures from and uploads them to
   * (the media bucket's origins), allowed by its Content-Security-Policy.
   */
  storefrontOrigins: string[];
}

/** GATEWAY_TRUSTED_PROXIES: addresses or CIDR ranges, comma-separated; none by default. */
function readTrustedProxies(env: EnvReader): string[] {
  const text = env.optionalString('GATEWAY_TRUSTED_PROXIES');
  const proxies = (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const proxy of proxies) {
    const [address = '', bits, ...rest] = proxy.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const validBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= max);
    if (family === 0 || !validBits || rest.length > 0) {
      env.report(`GATEWAY_TRUSTED_PROXIES: "${proxy}" is not an IP address or CIDR range`);
    }
  }
  return proxies;
}

/** A comma-separated list of origins (scheme://host[:port]); none by default. */
function readOrigins(env: EnvReader, name: string): string[] {
  const origins = (env.optionalString(name) ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) env.report(`${name}: "${origin}" is not an origin`);
  }
  return origins;
}

/**
 * `/metrics` shows what the shop sells and how fast: with METRICS_TOKEN it asks for it as a
 * bearer token; without one it answers only on a developer's machine.
 */
function readMetricsAccess(
  env: EnvReader,
  local: boolean,
): { metricsToken?: string; openMetrics: boolean } {
  const token = env.optionalString('METRICS_TOKEN');
  if (token !== undefined && token.length < 24) {
    env.report('METRICS_TOKEN must be at least 24 characters');
  }
  return { ...(token ? { metricsToken: token } : {}), openMetrics: local && !token };
}

/**
 * GATEWAY_VIEWER_ADDRESS_HEADER names the header CloudFront writes the viewer's address into;
 * GATEWAY_ORIGIN_SECRET is the value of the `x-orderly-origin` header CloudFront adds, without
 * which that header is not believed (deploy/storefront-cdn.yml).
 */
function readViewerAddress(env: EnvReader): { viewerAddress?: ViewerAddressSource } {
  const header = env.optionalString('GATEWAY_VIEWER_ADDRESS_HEADER')?.toLowerCase();
  const secret = env.optionalString('GATEWAY_ORIGIN_SECRET');
  if (!header && !secret) return {};
  if (!header || !secret) {
    env.report('GATEWAY_VIEWER_ADDRESS_HEADER and GATEWAY_ORIGIN_SECRET must be set together');
    return {};
  }
  if (secret.length < 32) env.report('GATEWAY_ORIGIN_SECRET must be at least 32 characters');
  return { viewerAddress: { header, secretHeader: 'x-orderly-origin', secret } };
}

export function readGatewayConfig(env: EnvReader): GatewayConfig {
  const runtime = readRuntimeConfig(env);
  const local = runtime.nodeEnv !== 'production';
  const invoker = env.oneOf(
    'FUNCTION_INVOKER',
    ['in-process', 'http', 'lambda'] as const,
    'in-process',
  );
  const defaultUrl = env.string('FUNCTIONS_URL', 'http://127.0.0.1:3000');
  const functionUrls = Object.fromEntries(
    FUNCTION_NAMES.map((name) => [
      name,
      env.string(`FUNCTION_URL_${name.toUpperCase()}`, defaultUrl),
    ]),
  ) as Record<FunctionName, string>;
  return {
    runtime,
    settings: {
      limits: {
        maxDepth: env.int('GRAPHQL_MAX_DEPTH', DEFAULTS.limits.maxDepth, { min: 2, max: 50 }),
        maxFields: env.int('GRAPHQL_MAX_FIELDS', DEFAULTS.limits.maxFields, {
          min: 10,
          max: 100_000,
        }),
        maxAliases: env.int('GRAPHQL_MAX_ALIASES', DEFAULTS.limits.maxAliases, {
          min: 0,
          max: 1_000,
        }),
        // Introspection, suggestions and GraphiQL: on for development; a deployed stage
        // refuses them (shared/config/production-safety.ts).
        introspection:
          env.oneOf('GRAPHQL_INTROSPECTION', ['on', 'off'] as const, local ? 'on' : 'off') === 'on',
        suggestions:
          env.oneOf('GRAPHQL_SUGGESTIONS', ['on', 'off'] as const, local ? 'on' : 'off') === 'on',
      },
      graphiql: env.oneOf('GRAPHIQL', ['on', 'off'] as const, local ? 'on' : 'off') === 'on',
      rateLimitPerMinute: env.int('GATEWAY_RATE_LIMIT_PER_MINUTE', DEFAULTS.rateLimitPerMinute, {
        min: 1,
      }),
      bodyLimit: env.int('GATEWAY_BODY_LIMIT_BYTES', DEFAULTS.bodyLimit, {
        min: 1_024,
        max: 10 * 1024 * 1024,
      }),
      maxBatch: env.int('GRAPHQL_MAX_BATCH', DEFAULTS.maxBatch, { min: 0, max: 50 }),
      trustedProxies: readTrustedProxies(env),
      subscriptions: {
        socketsPerClient: env.int(
          'GATEWAY_SOCKETS_PER_CLIENT',
          DEFAULTS.subscriptions.socketsPerClient,
          { min: 1, max: 10_000 },
        ),
        subscriptionsPerSocket: env.int(
          'GATEWAY_SUBSCRIPTIONS_PER_SOCKET',
          DEFAULTS.subscriptions.subscriptionsPerSocket,
          { min: 1, max: 10_000 },
        ),
      },
      ...readMetricsAccess(env, local),
      ...readViewerAddress(env),
    },
    invoker,
    functionUrls,
    lambdaEndpoint:
      env.optionalString('LAMBDA_ENDPOINT') ?? (local ? 'http://127.0.0.1:3002' : undefined),
    lambdaNamePrefix: env.string('LAMBDA_NAME_PREFIX', 'orderly-local-'),
    inventoryAddress: readInventoryAddress(env, runtime),
    hopSecret: readAuthConfig(env, runtime).jwtSecret,
    storefrontRoot: env.optionalString('STOREFRONT_DIR'),
    storefrontOrigins: readOrigins(env, 'STOREFRONT_MEDIA_ORIGINS'),
  };
}
