import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../shared/errors/catalogue.js';
import { CATALOG_LIMITS } from '../../shared/limits/limits.js';
import {
  checkOptions,
  type ProductShape,
  planAddVariant,
  planNewProduct,
  planRemoveVariant,
  planUpdateVariant,
  type VariantSpec,
} from './variants.js';

let counter = 0;
const newId = () => `v${++counter}`;

const spec = (
  sku: string,
  values: Record<string, string> = {},
  priceCents = 1000,
): VariantSpec => ({
  sku,
  priceCents,
  options: Object.entries(values).map(([name, value]) => ({ name, value })),
});

/** The error a plan throws, for its code, message and field. */
function refusal(plan: () => unknown): AppError {
  try {
    plan();
  } catch (err) {
    assert.ok(err instanceof AppError, `an AppError, got ${String(err)}`);
    return err;
  }
  assert.fail('the plan was accepted');
}

const tee = (): ProductShape =>
  planNewProduct(
    {
      options: [
        { name: 'Size', values: ['S', 'M', 'L'] },
        { name: 'Colour', values: ['Blue', 'Black'] },
      ],
      variants: [
        spec('TEE-S-BLUE', { Size: 'S', Colour: 'Blue' }),
        spec('TEE-M-BLUE', { Colour: 'Blue', Size: 'M' }, 1200),
      ],
    },
    newId,
  );

describe('product variants', () => {
  it('gives a product without options one variant titled Default', () => {
    const shape = planNewProduct({ variants: [spec('MUG')] }, newId);
    assert.deepEqual(shape.options, []);
    assert.equal(shape.variants.length, 1);
    assert.equal(shape.variants[0]?.title, 'Default');
    assert.deepEqual(shape.variants[0]?.options, []);
  });

  it('titles a variant by its values in the order of the options, whatever order they came in', () => {
    const shape = tee();
    assert.deepEqual(
      shape.variants.map((v) => [v.sku, v.title, v.optionKeys]),
      [
        ['TEE-S-BLUE', 'S / Blue', ['Size=S', 'Colour=Blue']],
        ['TEE-M-BLUE', 'M / Blue', ['Size=M', 'Colour=Blue']],
      ],
    );
  });

  it('takes the options from the variants when none are declared', () => {
    const shape = planNewProduct(
      { variants: [spec('A', { Size: 'S' }), spec('B', { Size: 'M' })] },
      newId,
    );
    assert.deepEqual(shape.options, [{ name: 'Size', values: ['S', 'M'] }]);
  });

  it('refuses a value the declared options do not list, naming it and the field', () => {
    const error = refusal(() =>
      planNewProduct(
        {
          options: [{ name: 'Size', values: ['S'] }],
          variants: [spec('A', { Size: 'S' }), spec('B', { Size: 'XXL' })],
        },
        newId,
      ),
    );
    assert.equal(error.code, 'BAD_USER_INPUT');
    assert.match(error.message, /Unknown value "XXL" of option "Size"/);
    assert.equal(error.details?.field, 'variants[1].options[0].value');
  });

  it('refuses two variants with the same options, naming both SKUs', () => {
    const error = refusal(() =>
      planAddVariant(tee(), spec('TEE-M-BLUE-2', { Size: 'm', Colour: 'blue' }), newId),
    );
    assert.equal(error.code, 'BAD_USER_INPUT');
    assert.match(error.message, /TEE-M-BLUE-2 has the same options \(M \/ Blue\) as TEE-M-BLUE/);
  });

  it('refuses a variant that leaves out an option or names an unknown one', () => {
    assert.match(
      refusal(() => planAddVariant(tee(), spec('X', { Size: 'L' }), newId)).message,
      /missing: Colour/,
    );
    const unknown = refusal(() =>
      planAddVariant(tee(), spec('X', { Size: 'L', Colour: 'Red', Fit: 'Slim' }), newId),
    );
    assert.match(unknown.message, /Unknown option "Fit"; the product's options are: Size, Colour/);
  });

  it('adds a variant and gains the option values it names', () => {
    const shape = planAddVariant(tee(), spec('TEE-XL-RED', { Size: 'XL', Colour: 'Red' }), newId);
    assert.deepEqual(shape.options, [
      { name: 'Size', values: ['S', 'M', 'L', 'XL'] },
      { name: 'Colour', values: ['Blue', 'Black', 'Red'] },
    ]);
    assert.equal(shape.variants.at(-1)?.title, 'XL / Red');
  });

  it('lets a product without options gain them, keeping its Default variant', () => {
    const single = planNewProduct({ variants: [spec('CAP')] }, newId);
    const shape = planAddVariant(single, spec('CAP-RED', { Colour: 'Red' }), newId);
    assert.deepEqual(shape.options, [{ name: 'Colour', values: ['Red'] }]);
    assert.deepEqual(
      shape.variants.map((v) => v.title),
      ['Default', 'Red'],
    );
  });

  it('refuses the 101st variant and a fourth option', () => {
    let shape = planNewProduct({ variants: [spec('N-0', { Number: '0' })] }, newId);
    for (let n = 1; n < CATALOG_LIMITS.maxVariants; n++) {
      shape = planAddVariant(shape, spec(`N-${n}`, { Number: String(n) }), newId);
    }
    assert.equal(shape.variants.length, 100);
    const error = refusal(() => planAddVariant(shape, spec('N-100', { Number: '100' }), newId));
    assert.equal(error.code, 'BAD_USER_INPUT');
    assert.match(error.message, /at most 100 variants/);
    assert.equal(error.details?.limit, 100);

    const options = ['A', 'B', 'C', 'D'].map((name) => ({ name, values: ['x'] }));
    assert.match(refusal(() => checkOptions(options)).message, /at most 3 options/);
  });

  it('refuses a SKU given twice in one product as a conflict', () => {
    const error = refusal(() =>
      planAddVariant(tee(), spec('TEE-S-BLUE', { Size: 'L', Colour: 'Black' }), newId),
    );
    assert.equal(error.code, 'CONFLICT');
  });

  it('refuses option names with = or control characters and empty values', () => {
    assert.match(
      refusal(() => checkOptions([{ name: 'a=b', values: ['x'] }])).message,
      /may not contain '='/,
    );
    assert.match(
      refusal(() => checkOptions([{ name: 'Size', values: ['a\nb'] }])).message,
      /control characters/,
    );
    assert.match(
      refusal(() => checkOptions([{ name: 'Size', values: ['  '] }])).message,
      /1 to 64 characters/,
    );
    assert.match(
      refusal(() => checkOptions([{ name: 'Size', values: [] }])).message,
      /at least one value/,
    );
  });

  it('changes a variant and drops values no variant uses any more', () => {
    const shape = planUpdateVariant(
      tee(),
      'TEE-S-BLUE',
      {
        options: [
          { name: 'Size', value: 'L' },
          { name: 'Colour', value: 'Black' },
        ],
        priceCents: 900,
      },
      [],
    );
    assert.deepEqual(shape.options, [
      { name: 'Size', values: ['M', 'L'] },
      { name: 'Colour', values: ['Blue', 'Black'] },
    ]);
    assert.deepEqual(
      shape.variants.map((v) => [v.sku, v.title, v.priceCents]),
      [
        ['TEE-S-BLUE', 'L / Black', 900],
        ['TEE-M-BLUE', 'M / Blue', 1200],
      ],
    );
    const error = refusal(() =>
      planUpdateVariant(tee(), 'TEE-S-BLUE', { imageId: 'nope' }, ['img1']),
    );
    assert.match(error.message, /no image nope/);
  });

  it('removes a variant but never the last one', () => {
    const shape = planRemoveVariant(tee(), 'TEE-S-BLUE');
    assert.deepEqual(shape.options, [
      { name: 'Size', values: ['M'] },
      { name: 'Colour', values: ['Blue'] },
    ]);
    assert.match(refusal(() => planRemoveVariant(shape, 'TEE-M-BLUE')).message, /only variant/);
    assert.match(refusal(() => planRemoveVariant(shape, 'NOPE')).message, /no variant NOPE/);
  });
});
