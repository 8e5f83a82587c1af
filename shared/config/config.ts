import { isDeployedStage } from './deployment.js';
import { type Env, EnvReader } from './env-reader.js';
import { refuseUnsafeSettings } from './production-safety.js';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface RuntimeConfig {
  /** `production` on every deployed stage (deployment.ts), whatever NODE_ENV says there. */
  nodeEnv: NodeEnv;
  logLevel: LogLevel;
}

export interface MongoConfig {
  /** Connection string without the database, e.g. `mongodb://127.0.0.1:27017`. */
  uri: string;
  dbName: string;
}

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  /** TLS to the brokers (KAFKA_TLS=true; MSK and most managed clusters). */
  tls?: boolean;
  /** SASL/SCRAM credentials (KAFKA_SASL_MECHANISM scram-sha-256 or scram-sha-512). */
  sasl?: KafkaSasl;
}

export type KafkaSasl =
  | { mechanism: 'scram-sha-256'; username: string; password: string }
  | { mechanism: 'scram-sha-512'; username: string; password: string };

const SASL_MECHANISMS = ['scram-sha-256', 'scram-sha-512'] as const;

/** Local defaults apply outside production only: there every address must be explicit. */
const LOCAL_DEFAULTS = {
  mongoUri: 'mongodb://127.0.0.1:27017',
  kafkaBrokers: ['127.0.0.1:9092'],
};

/**
 * Every process reads its runtime here first: on a deployed stage it is `production`, and every
 * setting unsafe there is refused by name (production-safety.ts).
 */
export function readRuntimeConfig(env: EnvReader): RuntimeConfig {
  const nodeEnv = env.oneOf('NODE_ENV', NODE_ENVS, 'production');
  const deployed = isDeployedStage(env);
  if (deployed) refuseUnsafeSettings(env);
  return {
    nodeEnv: deployed ? 'production' : nodeEnv,
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}

/**
 * host:port of the inventory gRPC service, read the same way by every process that calls it
 * (gateway, catalog, order-saga, the sweeps); a localhost default outside production.
 */
export function readInventoryAddress(env: EnvReader, runtime: RuntimeConfig): string {
  const local = runtime.nodeEnv !== 'production';
  return env.string('INVENTORY_ADDR', local ? '127.0.0.1:50051' : undefined);
}

export function readMongoConfig(env: EnvReader, runtime: RuntimeConfig): MongoConfig {
  const local = runtime.nodeEnv !== 'production';
  return {
    uri: env.string('MONGODB_URI', local ? LOCAL_DEFAULTS.mongoUri : undefined),
    dbName: env.string('MONGODB_DB', 'orderly'),
  };
}

export function readKafkaConfig(
  env: EnvReader,
  runtime: RuntimeConfig,
  clientId: string,
): KafkaConfig {
  const local = runtime.nodeEnv !== 'production';
  const mechanism = env.optionalString('KAFKA_SASL_MECHANISM');
  let sasl: KafkaSasl | undefined;
  if (mechanism !== undefined) {
    if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
      env.report(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}`);
    }
    sasl = {
      mechanism: mechanism === 'scram-sha-256' ? 'scram-sha-256' : 'scram-sha-512',
      username: env.string('KAFKA_SASL_USERNAME'),
      password: env.string('KAFKA_SASL_PASSWORD'),
    };
  }
  const tls = env.optionalString('KAFKA_TLS');
  if (tls !== undefined && tls !== 'true' && tls !== 'false') {
    env.report('KAFKA_TLS must be true or false');
  }
  return {
    brokers: env.list('KAFKA_BROKERS', local ? LOCAL_DEFAULTS.kafkaBrokers : undefined),
    clientId: env.string('KAFKA_CLIENT_ID', clientId),
    ...(tls === 'true' ? { tls: true } : {}),
    ...(sasl ? { sasl } : {}),
  };
}

/**
 * Reads a configuration once, at start-up: `read` pulls every value it needs from the
 * reader, then all problems are reported together (by variable name) and the result is
 * frozen. Call it once per process, when an entry point starts (a Lambda handler: on its first
 * invocation), never per request.
 */
export function loadConfig<T extends object>(
  read: (env: EnvReader) => T,
  env: Env = process.env,
): Readonly<T> {
  const reader = new EnvReader(env);
  const config = read(reader);
  reader.assertValid();
  return Object.freeze(config);
}
