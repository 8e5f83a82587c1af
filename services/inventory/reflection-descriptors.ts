import type { PackageDefinition } from '@grpc/proto-loader';
import descriptor from 'protobufjs/ext/descriptor/index.js';

/**
 * The file descriptors server reflection hands out, with map fields described as protoc does.
 * proto-loader builds them with protobufjs, which names a map field's entry message after the
 * field (`Statuses`) instead of `StatusesEntry` and refers to it by a relative name; clients
 * that check descriptors (grpcurl, Go's protodesc) then refuse the whole file ("is an invalid
 * map: incorrect implicit map entry name"), which took `grpc.health.v1.Health/Check` with it.
 */
export function withProtocMapEntries(definition: PackageDefinition): PackageDefinition {
  const fixed = new Map<Buffer, Buffer>();
  const rewrite = (bin: Buffer): Buffer => {
    const known = fixed.get(bin);
    if (known) return known;
    const file = descriptor.FileDescriptorProto.decode(bin) as unknown as FileDescriptor;
    const scope = file.package ? `.${file.package}` : '';
    for (const message of file.messageType ?? []) renameMapEntries(message, scope);
    const out = Buffer.from(descriptor.FileDescriptorProto.encode(file as never).finish());
    fixed.set(bin, out);
    return out;
  };
  const result: PackageDefinition = {};
  for (const [name, entry] of Object.entries(definition)) {
    const protos = (entry as { fileDescriptorProtos?: Buffer[] }).fileDescriptorProtos;
    result[name] = Array.isArray(protos)
      ? ({ ...entry, fileDescriptorProtos: protos.map(rewrite) } as typeof entry)
      : entry;
  }
  return result;
}

/** The parts of a FileDescriptorProto (as protobufjs decodes it) this rewrite touches. */
export interface FileDescriptor {
  package?: string;
  messageType?: MessageDescriptor[];
}

export interface MessageDescriptor {
  name?: string;
  field?: { name?: string; typeName?: string; label?: number; type?: number }[];
  nestedType?: (MessageDescriptor & { options?: { mapEntry?: boolean } })[];
}

/** protoc's entry name: the field's name in CamelCase, then "Entry" (`pet_names` → `PetNamesEntry`). */
export function mapEntryName(fieldName: string): string {
  const camel = fieldName.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
  return `${camel.charAt(0).toUpperCase()}${camel.slice(1)}Entry`;
}

function renameMapEntries(message: MessageDescriptor, scope: string): void {
  const path = `${scope}.${message.name ?? ''}`;
  const nested = message.nestedType ?? [];
  for (const field of message.field ?? []) {
    const relative = field.typeName?.startsWith('.') ? undefined : field.typeName;
    const entry = nested.find((type) => type.options?.mapEntry && type.name === relative);
    if (!entry || !field.name) continue;
    entry.name = mapEntryName(field.name);
    field.typeName = `${path}.${entry.name}`;
  }
  for (const type of nested) renameMapEntries(type, path);
}
