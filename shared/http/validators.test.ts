import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kind } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import * as accounts from '../../functions/accounts/account-schemas.js';
import * as carts from '../../functions/carts/cart-schemas.js';
import * as catalog from '../../functions/catalog/product-schemas.js';
import * as orders from '../../functions/orders/order-schemas.js';
import { COMMON } from './validators.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Every TypeBox schema the HTTP functions export for their routes. */
const SCHEMAS = Object.entries({ accounts, carts, catalog, orders }).flatMap(([module, exports]) =>
  Object.entries(exports)
    .filter(([, value]) => typeof value === 'object' && value !== null && Kind in value)
    .map(([name, schema]) => ({ name: `${module}.${name}`, schema: schema as object })),
);

describe('route validators', () => {
  it('every route schema is valid JSON Schema (the apps skip this check at start)', () => {
    const checking = addFormats(new Ajv({ ...COMMON, validateSchema: true }));
    assert.ok(SCHEMAS.length >= 10, `found ${SCHEMAS.length} schemas`);
    for (const { name, schema } of SCHEMAS) {
      assert.equal(checking.validateSchema(schema), true, `${name}: ${checking.errorsText()}`);
    }
  });
});
