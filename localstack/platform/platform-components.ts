import { FUNCTION_NAMES } from '../../gateway/invokers/function-invoker.js';
import { DEAD_LETTER_SUFFIX, type EventTopics } from '../../shared/events/topics.js';
import type { ServiceStatus } from '../infra/infra.js';
import type { SeedResult } from './demo-catalog.js';
import type { ComponentRow } from './platform-table.js';

export type { ComponentRow };

/** What the local platform started, for the table `npm start` prints. */
export interface PlatformFacts {
  gateway: {
    url: string;
    storefrontUrl: string;
    graphiqlUrl: string | undefined;
    inboxUrl?: string | undefined;
  };
  /** The serverless offline endpoints, in offline mode. */
  offline: { httpUrl: string; lambdaUrl: string; functionName(key: string): string } | undefined;
  kafkaFunctions: readonly string[];
  consumerGroups: number;
  inventoryAddress: string;
  externalInventory: boolean;
  servers: readonly ServiceStatus[];
  topics: EventTopics;
  admin: { email: string; password: string; fromEnv: boolean; passwordFromEnv: boolean };
  /** Undefined when SEED_DEMO_CATALOG=false. */
  seed: SeedResult | undefined;
  /** The media bucket pictures are uploaded to and served from. */
  media: { bucket: string; publicBaseUrl: string };
  /** Zipkin's web UI, when tracing is on. */
  traceViewerUrl?: string | undefined;
}

const SERVER_NAMES: Record<ServiceStatus['name'], string> = {
  kafka: 'Kafka',
  mongo: 'MongoDB',
  localstack: 'LocalStack',
};

/** One row per part of the platform: what it is, where it is reached, how it runs. */
export function describeComponents(facts: PlatformFacts): ComponentRow[] {
  const { gateway, offline, admin, seed } = facts;
  const runsIn = offline ? 'serverless offline' : 'this process';
  return [
    {
      component: 'Storefront',
      where: gateway.storefrontUrl,
      how: 'open in a browser: the shop, and the admin for the admin account below',
    },
    {
      component: 'GraphQL gateway',
      where: gateway.url,
      how: 'this process; subscriptions over WebSocket, fed from Kafka',
    },
    ...(gateway.graphiqlUrl
      ? [{ component: 'GraphiQL', where: gateway.graphiqlUrl, how: 'open in a browser' }]
      : []),
    ...(gateway.inboxUrl
      ? [
          {
            component: 'mail inbox',
            where: gateway.inboxUrl,
            how: "every mail sent, as the customer got it (LocalStack's SES)",
          },
        ]
      : []),
    {
      component: 'metrics',
      where: gateway.url.replace(/graphql$/, 'metrics'),
      how: 'Prometheus text format',
    },
    ...(facts.traceViewerUrl
      ? [
          {
            component: 'trace viewer',
            where: facts.traceViewerUrl,
            how: 'Zipkin; search order.id=<order id> (npm run trace -- <order id>)',
          },
        ]
      : []),
    offline
      ? {
          component: 'HTTP functions',
          where: offline.httpUrl,
          how: `serverless offline (${FUNCTION_NAMES.join(', ')}); the gateway calls them over HTTP`,
        }
      : {
          component: 'HTTP functions',
          where: FUNCTION_NAMES.join(', '),
          how: 'this process; the gateway calls them in process',
        },
    ...(offline
      ? [
          {
            component: 'Lambda Invoke API',
            where: offline.lambdaUrl,
            how: `serverless offline (functions named ${offline.functionName('<name>')})`,
          },
        ]
      : []),
    {
      component: 'Kafka functions',
      where: facts.kafkaFunctions.join(', '),
      how: `${runsIn}, invoked by the event-source emulator (${facts.consumerGroups} consumer groups)`,
    },
    {
      component: 'outbox relay, expiry',
      where: 'this process',
      how: 'loops (scheduled functions on AWS)',
    },
    {
      component: 'inventory gRPC',
      where: facts.inventoryAddress,
      how: facts.externalInventory
        ? 'external (INVENTORY_ADDR)'
        : 'this process (a container on AWS)',
    },
    ...facts.servers.flatMap((server) => [
      {
        component: SERVER_NAMES[server.name],
        where: server.url,
        // The first part of the server's own description ("mongod 6.0.5, primary of replica set orderly").
        how: `${server.server.split(';')[0]} (${server.origin})`,
      },
      ...(server.warning
        ? [{ component: '  WARNING', where: 'not durable', how: server.warning }]
        : []),
    ]),
    {
      component: 'media bucket',
      where: facts.media.publicBaseUrl,
      how: `S3 bucket ${facts.media.bucket}: product pictures, uploaded from the browser`,
    },
    {
      component: 'topics',
      where: facts.topics
        .specs()
        .map((spec) => spec.topic)
        .filter((topic) => !topic.endsWith(DEAD_LETTER_SUFFIX))
        .join(', '),
      how: `each with a ${DEAD_LETTER_SUFFIX} twin`,
    },
    {
      component: 'admin login',
      where: `${admin.email} / ${admin.passwordFromEnv ? '(ADMIN_PASSWORD)' : admin.password}`,
      how: admin.fromEnv
        ? 'from ADMIN_EMAIL/ADMIN_PASSWORD'
        : 'local default; set ADMIN_EMAIL/ADMIN_PASSWORD',
    },
    {
      component: 'demo catalog',
      where: seed ? `${seed.created.length + seed.existing.length} products` : 'none',
      how: seed
        ? `${seed.created.length} created, ${seed.existing.length} already there`
        : 'not seeded (SEED_DEMO_CATALOG=false)',
    },
  ];
}
