import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchema } from 'fastify';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// removeAdditional off: a property a schema does not declare (`$where`, say) is refused, not dropped.
// validateSchema off: route schemas are code (TypeBox), checked against the JSON Schema
// meta-schema by validators.test.ts; checking them again at start would compile that
// meta-schema on every cold start (about 70 ms of a function's first request).
export const COMMON: Options = {
  useDefaults: true,
  removeAdditional: false,
  allErrors: false,
  strict: false,
  validateSchema: false,
};

/**
 * Bodies are JSON and must carry the declared types exactly: `42` is not a string and
 * `{"$ne": ""}` is not an email, so operator objects never reach a query. Query strings,
 * path parameters and headers are text on the wire, so those are coerced (`?limit=10`).
 */
const forBodies = addFormats(new Ajv({ ...COMMON, coerceTypes: false }));
const forText = addFormats(new Ajv({ ...COMMON, coerceTypes: 'array' }));

export function compileValidator({
  schema,
  httpPart,
}: {
  schema: FastifySchema;
  httpPart?: string;
}) {
  return (httpPart === 'body' ? forBodies : forText).compile(schema as object);
}
