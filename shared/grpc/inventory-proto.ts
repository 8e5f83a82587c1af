import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GrpcObject, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';
import type { ProtoGrpcType } from '../../protos/generated/inventory.js';

/**
 * The loader options the generated types in protos/generated assume (`npm run proto:gen`
 * passes the same ones): camelCase fields, int64 as JS numbers, enums as their names, and
 * default values present on every message received.
 */
export const PROTO_LOADER_OPTIONS: Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  oneofs: true,
};

/** protos/inventory.proto beside the sources; a bundle sets INVENTORY_PROTO_PATH instead. */
const SOURCE_PROTO_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'protos',
  'inventory.proto',
);

/** Where the inventory contract is read from, decided when it is first loaded. */
export function inventoryProtoPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.INVENTORY_PROTO_PATH ?? SOURCE_PROTO_PATH;
}

export const INVENTORY_SERVICE_NAME = 'orderly.inventory.v1.InventoryService';

let loaded: { definition: PackageDefinition; proto: ProtoGrpcType } | undefined;

/** Loads and parses the inventory contract once per process. */
export function loadInventoryProto(): { definition: PackageDefinition; proto: ProtoGrpcType } {
  if (!loaded) {
    const definition = loadSync(inventoryProtoPath(), PROTO_LOADER_OPTIONS);
    const proto = loadPackageDefinition(definition) as GrpcObject as unknown as ProtoGrpcType;
    loaded = { definition, proto };
  }
  return loaded;
}
