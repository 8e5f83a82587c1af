import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildSchema, printSchema } from 'graphql';
import { servedSchema } from '../app.js';

/**
 * `tsx gateway/schema/write-served-schema.ts <file>`: writes the schema the gateway serves
 * (the contract and its extensions, merged and printed as one SDL document) for tools that
 * read one schema file, such as the storefront's gql.tada check.
 */
const target = process.argv[2];
if (!target) {
  process.stderr.write('usage: write-served-schema.ts <file>\n');
  process.exit(2);
}
const path = resolve(target);
mkdirSync(dirname(path), { recursive: true });
writeFileSync(path, `${printSchema(buildSchema(servedSchema()))}\n`);
