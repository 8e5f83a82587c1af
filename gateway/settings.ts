import type { ViewerAddressSource } from './client-address.js';
import type { QueryLimits } from './limits.js';
import type { SubscriptionLimits } from './subscription-limits.js';

/** How the gateway serves: query limits, GraphiQL, and the per-request guards. */
export interface GatewaySettings {
  limits: QueryLimits;
  graphiql: boolean;
  /** Requests per minute and client address. */
  rateLimitPerMinute: number;
  /** Largest accepted request body (bytes). */
  bodyLimit: number;
  /** Largest batch of queries in one request; 0 refuses batches. */
  maxBatch: number;
  /**
   * The proxies (load balancer, CDN) in front of a gateway server whose X-Forwarded-For names
   * the client: the rate limits and the address passed to the functions are then the client's.
   */
  trustedProxies: readonly string[];
  /** Live updates over WebSocket (server mode): sockets per client, subscriptions per socket. */
  subscriptions: Omit<SubscriptionLimits, 'maxMessageBytes'>;
  /** A bearer token `/metrics` asks for; none: open on a developer's machine, off elsewhere. */
  metricsToken?: string;
  /** Whether `/metrics` may answer without a token (a developer's machine). */
  openMetrics: boolean;
  /** Behind CloudFront: the viewer's address, believed on requests carrying the origin secret. */
  viewerAddress?: ViewerAddressSource;
}

/** The production defaults; configuration (or a test) changes what it needs. */
export const DEFAULT_GATEWAY_SETTINGS: GatewaySettings = {
  limits: {
    maxDepth: 8,
    maxFields: 300,
    maxAliases: 20,
    introspection: false,
    suggestions: false,
  },
  graphiql: false,
  rateLimitPerMinute: 600,
  bodyLimit: 64 * 1024,
  maxBatch: 0,
  trustedProxies: [],
  subscriptions: { socketsPerClient: 20, subscriptionsPerSocket: 100 },
  openMetrics: false,
};

export type GatewaySettingsOverrides = Partial<Omit<GatewaySettings, 'limits'>> & {
  limits?: Partial<QueryLimits>;
};

/** The defaults with some settings changed. */
export function gatewaySettings(overrides: GatewaySettingsOverrides = {}): GatewaySettings {
  return {
    ...DEFAULT_GATEWAY_SETTINGS,
    ...overrides,
    limits: { ...DEFAULT_GATEWAY_SETTINGS.limits, ...overrides.limits },
  };
}
