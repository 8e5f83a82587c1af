import { Ajv, type Options, type ValidateFunction } from 'ajv';
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

/**
 * A route's validator, compiled at the route's first request rather than when the app starts:
 * compiling every route's schemas up front was ~50 ms of a function's cold start, and a Lambda
 * instance serves few of its routes. Fastify reads a failed check's `errors` off the function.
 */
export function compileValidator({
  schema,
  httpPart,
}: {
  schema: FastifySchema;
  httpPart?: string;
}) {
  let compiled: ValidateFunction | undefined;
  const validate = (data: unknown): boolean => {
    compiled ??= (httpPart === 'body' ? forBodies : forText).compile(schema as object);
    const valid = compiled(data) as boolean;
    validate.errors = compiled.errors;
    return valid;
  };
  validate.errors = null as ValidateFunction['errors'];
  return validate;
}
