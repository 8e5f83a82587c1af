import { type Env, EnvReader } from './env-reader.js';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface RuntimeConfig {
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
}

/** Local defaults apply outside production only: there every address must be explicit. */
const LOCAL_DEFAULTS = {
  mongoUri: 'mongodb://127.0.0.1:27017',
  kafkaBrokers: ['127.0.0.1:9092'],
};

export function readRuntimeConfig(env: EnvReader): RuntimeConfig {
  return {
    nodeEnv: env.oneOf('NODE_ENV', NODE_ENVS, 'development'),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
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
  return {
    brokers: env.list('KAFKA_BROKERS', local ? LOCAL_DEFAULTS.kafkaBrokers : undefined),
    clientId: env.string('KAFKA_CLIENT_ID', clientId),
  };
}

/**
 * Reads a configuration once, at start-up: `read` pulls every value it needs from the
 * reader, then all problems are reported together (by variable name) and the result is
 * frozen. Call it at module scope of an entry point, never per request.
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
