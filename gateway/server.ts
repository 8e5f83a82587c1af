import { hostname } from 'node:os';
import type { Consumer } from 'kafkajs';
import type { KafkaConfig } from '../shared/config/config.js';
import type { EventTopics } from '../shared/events/topics.js';
import type { HttpApp } from '../shared/http/http-app.js';
import { createKafka } from '../shared/kafka/kafka-client.js';
import { buildGateway, type GatewayDeps } from './app.js';
import { startSubscriptionFeed } from './subscriptions.js';

export interface GatewayServerOptions extends Omit<GatewayDeps, 'subscriptions'> {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Where live updates come from; without it the server answers queries and mutations only. */
  events?: { kafka: KafkaConfig; topics: EventTopics };
  /** Pages of the local platform beside the API (the mail inbox), added before it listens. */
  addRoutes?: (app: HttpApp) => Promise<void> | void;
}

export interface RunningGateway {
  app: HttpApp;
  /** `http://host:port/graphql` */
  url: string;
  close(): Promise<void>;
}

/**
 * The gateway as a long-lived server: the same app as the Lambda function plus WebSocket
 * subscriptions fed from Kafka. Listens on 127.0.0.1:4000 locally (`PORT` changes it).
 */
export async function startGatewayServer(options: GatewayServerOptions): Promise<RunningGateway> {
  const app = await buildGateway({ ...options, subscriptions: options.events !== undefined });
  let feed: Consumer | undefined;
  try {
    await options.addRoutes?.(app);
    await app.listen({ host: options.host, port: options.port });
    if (options.events) {
      feed = await startSubscriptionFeed({
        kafka: createKafka(
          { ...options.events.kafka, clientId: 'orderly-gateway' },
          { logger: options.logger },
        ),
        topics: options.events.topics,
        pubsub: app.graphql.pubsub,
        logger: options.logger,
        groupId: `orderly-gateway-${hostname()}-${process.pid}-${Date.now()}`,
      });
    }
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    app,
    url: `http://${options.host}:${port}/graphql`,
    async close() {
      await feed?.disconnect().catch(() => undefined);
      await app.close();
    },
  };
}
