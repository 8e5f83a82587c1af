import {
  credentials,
  type GrpcObject,
  loadPackageDefinition,
  type ServiceClientConstructor,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';

let healthClient: ServiceClientConstructor | undefined;

function healthClientConstructor(): ServiceClientConstructor {
  if (!healthClient) {
    const definition = loadSync(protoPath, { keepCase: true, enums: String, defaults: true });
    const grpc = loadPackageDefinition(definition) as GrpcObject;
    const v1 = ((grpc.grpc as GrpcObject).health as GrpcObject).v1 as GrpcObject;
    healthClient = v1.Health as ServiceClientConstructor;
  }
  return healthClient;
}

/** Asks a server's grpc.health.v1 service for a service's status (`''` = the whole server). */
export function checkHealth(address: string, service = '', timeoutMs = 1_000): Promise<string> {
  const Client = healthClientConstructor();
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
