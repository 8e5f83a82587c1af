import {
  credentials,
  type GrpcObject,
  loadPackageDefinition,
  type ServiceClientConstructor,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';

/** Asks a server's grpc.health.v1 service for a service's status (`''` = the whole server). */
export function checkHealth(address: string, service = '', timeoutMs = 1_000): Promise<string> {
  const definition = loadSync(protoPath, { keepCase: true, enums: String, defaults: true });
  const grpc = loadPackageDefinition(definition) as GrpcObject;
  const Health = ((grpc.grpc as GrpcObject).health as GrpcObject).v1 as GrpcObject;
  const Client = Health.Health as ServiceClientConstructor;
  const client = new Client(address, credentials.createInsecure()) as unknown as {
    Check: (
      request: { service: string },
      options: { deadline: Date },
      callback: (err: Error | null, response?: { status: string }) => void,
    ) => void;
    close(): void;
  };
  return new Promise((resolve, reject) => {
    client.Check(
      { service },
      { deadline: new Date(Date.now() + timeoutMs) },
      (err: Error | null, response?: { status: string }) => {
        client.close();
        if (err) reject(err);
        else resolve(response?.status ?? 'UNKNOWN');
      },
    );
  });
}
