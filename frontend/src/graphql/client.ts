import {
  Client,
  cacheExchange,
  fetchExchange,
  mapExchange,
  subscriptionExchange,
} from '@urql/core';
import { createClient as createSocketClient } from 'graphql-ws';

/** Whether live updates are flowing: the order page polls while they are not. */
export type SocketState = 'connecting' | 'connected' | 'closed';

export interface ShopClient {
  urql: Client;
  socketState(): SocketState;
  /** Calls `listener` on every change of the socket's state; returns the unsubscribe. */
  onSocketState(listener: (state: SocketState) => void): () => void;
  dispose(): void;
}

/**
 * One GraphQL client per signed-in token (or none): queries and mutations over HTTP POST to
 * `/graphql`, subscriptions over a WebSocket to the same origin (graphql-ws), which
 * reconnects by itself. A new token means a new client, so no cached data of one account
 * outlives its logout.
 */
export function createShopClient(
  token: string | undefined,
  /** Called when the platform refuses the token (expired, or its account is gone). */
  onTokenRefused: () => void = () => undefined,
): ShopClient {
  const authorization = token ? `Bearer ${token}` : undefined;
  let state: SocketState = 'closed';
  const listeners = new Set<(state: SocketState) => void>();
  const setState = (next: SocketState) => {
    state = next;
    for (const listener of listeners) listener(next);
  };
  const socketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  const socket = createSocketClient({
    url: socketUrl,
    lazy: true,
    // A dropped socket is retried for as long as the page is open; pages poll meanwhile.
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    // 1, 2, 4, 8 s, then every 10 s (graphql-ws's default backoff has no ceiling).
    retryWait: (retries) =>
      new Promise((resolve) =>
        setTimeout(resolve, Math.min(10_000, 1_000 * 2 ** retries) + Math.random() * 500),
      ),
    keepAlive: 10_000,
    connectionParams: authorization ? { authorization } : {},
    on: {
      connecting: () => setState('connecting'),
      connected: () => setState('connected'),
      closed: () => setState('closed'),
    },
  });
  const urql = new Client({
    url: '/graphql',
    preferGetMethod: false,
    exchanges: [
      mapExchange({
        onResult(result) {
          const refused = result.error?.graphQLErrors.some(
            (error) => (error.extensions as { code?: string }).code === 'UNAUTHENTICATED',
          );
          if (authorization && refused) onTokenRefused();
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              return { unsubscribe: socket.subscribe(input, sink) };
            },
          };
        },
      }),
    ],
    fetchOptions: () => (authorization ? { headers: { authorization } } : {}),
  });
  return {
    urql,
    socketState: () => state,
    onSocketState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      listeners.clear();
      void socket.dispose();
    },
  };
}
