import { readAuthConfig } from '../../shared/auth/auth-config.js';
import { type RuntimeConfig, readRuntimeConfig } from '../../shared/config/config.js';
import type { EnvReader } from '../../shared/config/env-reader.js';
import { LOCAL_ADMIN } from '../../shared/config/local-defaults.js';
import { allowsTestPayments } from '../../shared/config/production-safety.js';
import { readWorkflowTimings, type WorkflowTimings } from '../../shared/config/workflow-timings.js';
import { readEventsConfig } from '../../shared/events/event-bus.js';

/**
 * Everything `npm start` and `npm run offline` read from the environment, typed and read once,
 * with every problem reported together (the platform's config rule). The servers' own
 * settings (KAFKA_BROKERS, MONGODB_URI, AWS_ENDPOINT_URL) are read by `infraUp`.
 */
export interface LocalPlatformConfig {
  /** Development on a developer's machine; production in a deployed image (deployment.ts). */
  runtime: RuntimeConfig;
  /** Where the gateway, and the storefront with it, listens (HOST, PORT). */
  host: string;
  port: number;
  /** ORDERLY_TRACING=zipkin starts the trace viewer and traces every component into it. */
  tracing: 'off' | 'zipkin';
  /** MONGODB_DB */
  dbName: string;
  /** KAFKA_TOPIC_PREFIX */
  topicPrefix: string;
  /** The admin the demo catalog is seeded as (ADMIN_EMAIL, ADMIN_PASSWORD). */
  admin: { email: string; password: string; emailFromEnv: boolean; passwordFromEnv: boolean };
  /** INVENTORY_ADDR: an inventory service running elsewhere (a container); none is started. */
  externalInventory: string | undefined;
  /** INVENTORY_GRPC_ADDR: where the platform's own inventory listens (default a free port near 50051). */
  inventoryGrpcAddress: string | undefined;
  /** serverless offline's ports (OFFLINE_HTTP_PORT, OFFLINE_LAMBDA_PORT), in offline mode. */
  offlinePorts: { http: number; lambda: number };
  /** The functions' LOG_LEVEL under serverless offline. */
  logLevel: string;
  /** MEDIA_BUCKET: the bucket for product pictures in LocalStack. */
  mediaBucket: string;
  timings: WorkflowTimings;
  /** SEED_DEMO_CATALOG=false starts with an empty shop (a benchmark's own catalog, say). */
  seedDemoCatalog: boolean;
}

const PORT = { min: 0, max: 65_535 };

export function readLocalPlatformConfig(env: EnvReader): LocalPlatformConfig {
  const runtime = readRuntimeConfig(env);
  const local = runtime.nodeEnv !== 'production';
  // The published admin is a developer's convenience; a deployed image names its own.
  const adminEmail = local ? env.optionalString('ADMIN_EMAIL') : env.string('ADMIN_EMAIL');
  const adminPassword = local ? env.optionalString('ADMIN_PASSWORD') : env.string('ADMIN_PASSWORD');
  // Read here for its problems alone (the gateway reads it again): a deployed image without a
  // secret of its own stops before any server starts.
  readAuthConfig(env, runtime);
  if (!local && !allowsTestPayments(env)) {
    env.report(
      "the platform's payments take test cards only: a deployed stage needs " +
        'ALLOW_TEST_PAYMENTS=true to run it',
    );
  }
  return {
    runtime,
    host: env.string('HOST', '127.0.0.1'),
    port: env.int('PORT', 4000, PORT),
    tracing: env.oneOf('ORDERLY_TRACING', ['off', 'zipkin'] as const, 'off'),
    dbName: env.string('MONGODB_DB', 'orderly'),
    topicPrefix: readEventsConfig(env).topicPrefix,
    admin: {
      email: adminEmail ?? LOCAL_ADMIN.email,
      password: adminPassword ?? LOCAL_ADMIN.password,
      emailFromEnv: adminEmail !== undefined,
      passwordFromEnv: adminPassword !== undefined,
    },
    externalInventory: env.optionalString('INVENTORY_ADDR'),
    inventoryGrpcAddress: env.optionalString('INVENTORY_GRPC_ADDR'),
    offlinePorts: {
      http: env.int('OFFLINE_HTTP_PORT', 3000, PORT),
      lambda: env.int('OFFLINE_LAMBDA_PORT', 3002, PORT),
    },
    logLevel: env.string('LOG_LEVEL', 'info'),
    mediaBucket: env.string('MEDIA_BUCKET', 'orderly-media'),
    timings: readWorkflowTimings(env),
    seedDemoCatalog: env.oneOf('SEED_DEMO_CATALOG', ['true', 'false'] as const, 'true') === 'true',
  };
}
