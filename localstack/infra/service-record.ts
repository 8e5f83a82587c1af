import { join } from 'node:path';
import { type DaemonRecord, readJson, removeFile, writeJson } from './daemon.js';
import { INFRA_DIR } from './paths.js';

export type ServiceName = 'kafka' | 'mongo' | 'localstack';

export const SERVICE_NAMES: readonly ServiceName[] = ['kafka', 'mongo', 'localstack'];

/** A server this project started and still owns: where it listens and how to reach it. */
export interface ServiceRecord {
  name: ServiceName;
  /** Human description of the server, e.g. "Apache Kafka 3.9.1 (KRaft)". */
  server: string;
  host: string;
  port: number;
  /** The value of the connection setting (KAFKA_BROKERS, MONGODB_URI or AWS_ENDPOINT_URL). */
  url: string;
  /** Which database server runs (mongo only): `mongod` or `mongo-java-server`. */
  kind?: 'mongod' | 'mongo-java-server';
  /** Kafka's controller port, kept so a restart can take it again. */
  controllerPort?: number;
  /** Something the operator must know about this server, shown wherever it is listed. */
  warning?: string;
  daemon: DaemonRecord;
}

/** Each service keeps its record (its pid file, with details) in its own folder. */
export function recordFile(name: ServiceName): string {
  return join(INFRA_DIR, name, 'process.json');
}

export function readRecord(name: ServiceName): ServiceRecord | undefined {
  return readJson<ServiceRecord>(recordFile(name));
}

export function saveRecord(record: ServiceRecord): void {
  writeJson(recordFile(record.name), record);
}

export function deleteRecord(name: ServiceName): void {
  removeFile(recordFile(name));
}
