import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPrice } from '../../shared/money/minor-units.js';
import { type ImportPlan, planImport } from './csv-import-plan.js';
import { parsePrice } from './csv-layout.js';

let n = 0;
const newId = () => `id${++n}`;

const HEADER =
  'Handle,Title,Body,Category,Collections,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,Variant Price,Currency,Variant Inventory Qty';

const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');

function problems(plan: ImportPlan) {
  assert.equal(plan.ok, false, 'the plan is refused');
  return plan.ok ? [] : plan.problems;
}

describe('catalog CSV import plan', () => {
  it('reads products with variants, the product columns on the first row only', () => {
    const plan = planImport(
      csv(
        'linen-shirt,Linen Shirt,"Light, breathable.\nMachine wash.",apparel,"summer, basics",Size,S,Colour,Sand,LS-S-SAND,49.90,EUR,4',
        'linen-shirt,,,,,,M,,Sand,LS-M-SAND,49.90,,7',
        'linen-shirt,,,,,,M,,Navy,LS-M-NAVY,52,,',
        'tote,Canvas Tote,,bags,,,,,,TOTE-1,15,EUR,10',
      ),
      newId,
    );
    assert.ok(plan.ok, JSON.stringify(plan));
    assert.equal(plan.rows, 4);
    const [shirt, tote] = plan.products;
    assert.equal(shirt?.title, 'Linen Shirt');
    assert.equal(
      shirt?.body,
      'Light, breathable.\nMachine wash.',
      'a quoted line break in Body is kept',
    );
    assert.deepEqual(shirt?.collections, ['summer', 'basics']);
    assert.deepEqual(shirt?.shape.options, [
      { name: 'Size', values: ['S', 'M'] },
      { name: 'Colour', values: ['Sand', 'Navy'] },
    ]);
    assert.deepEqual(
      shirt?.variants.map((v) => [v.sku, v.priceCents, v.initialStock, v.row]),
      [
        ['LS-S-SAND', 4990, 4, 2],
        ['LS-M-SAND', 4990, 7, 3],
        ['LS-M-NAVY', 5200, 0, 4],
      ],
    );
    assert.equal(tote?.shape.variants[0]?.title, 'Default');
  });

  it('names the missing column, and reads columns in any order and case', () => {
    const missing = problems(planImport('Handle,Title\ntee,Tee\n', newId));
    assert.deepEqual(
      missing.map((p) => [p.row, p.column]),
      [
        [1, 'Variant SKU'],
        [1, 'Variant Price'],
      ],
    );
    assert.match(missing[0]?.message ?? '', /has no column Variant SKU/);
    const reordered = planImport(
      'variant price,VARIANT SKU,handle,title,Vendor\n9.50,X-1,x,X,Acme\n',
      newId,
    );
    assert.ok(reordered.ok);
    assert.equal(reordered.products[0]?.variants[0]?.priceCents, 950);
  });

  it('refuses a quoted line break where one line belongs, naming the row and column', () => {
    const found = problems(planImport(csv('cup,Cup,,kitchen,,,,,,"CUP\n1",5,EUR,1'), newId));
    assert.deepEqual(
      found.map((p) => [p.row, p.column]),
      [[2, 'Variant SKU']],
    );
    assert.match(found[0]?.message ?? '', /line break/);
  });

  it('refuses a SKU given on two rows, naming both', () => {
    const found = problems(
      planImport(
        csv('a,A,,x,,,,,,SAME,1,EUR,', 'b,B,,x,,,,,,OTHER,1,EUR,', 'c,C,,x,,,,,,SAME,1,EUR,'),
        newId,
      ),
    );
    assert.deepEqual(
      found.map((p) => [p.row, p.column, p.message]),
      [[4, 'Variant SKU', 'SKU SAME is on row 2 already']],
    );
  });

  it('reports only the shape of a row with an unquoted comma, not its shifted cells', () => {
    const found = problems(
      planImport(csv('a,A,Strong, light,x,,,,,,A-1,1,EUR,', 'b,B,,x,,,,,,B-1,1,EUR,'), newId),
    );
    assert.deepEqual(
      found.map((p) => [p.row, p.column, p.message]),
      [[2, null, 'The row has 14 cells; the header has 13']],
    );
  });

  it('names each collection once, and at most 20 of them', () => {
    const plan = planImport(csv('a,A,,x,"sale, sale,new",,,,,A-1,1,EUR,'), newId);
    assert.ok(plan.ok);
    assert.deepEqual(plan.products[0]?.collections, ['sale', 'new']);
    const many = Array.from({ length: 21 }, (_, i) => `c${i}`).join(',');
    const found = problems(planImport(csv(`a,A,,x,"${many}",,,,,A-1,1,EUR,`), newId));
    assert.deepEqual(
      found.map((p) => [p.row, p.column]),
      [[2, 'Collections']],
    );
  });

  it('refuses negative and malformed prices, and decimals a currency does not have', () => {
    const found = problems(
      planImport(
        csv('a,A,,x,,,,,,A-1,-5,EUR,', 'b,B,,x,,,,,,B-1,cheap,EUR,', 'c,C,,x,,,,,,C-1,500.5,JPY,'),
        newId,
      ),
    );
    assert.deepEqual(
      found.map((p) => [p.row, p.column]),
      [
        [2, 'Variant Price'],
        [3, 'Variant Price'],
        [4, 'Variant Price'],
      ],
    );
    assert.match(found[0]?.message ?? '', /cannot be negative/);
    assert.match(found[2]?.message ?? '', /JPY amounts have no decimals/);
  });

  it("applies the catalog's variant rules, at the row of the variant", () => {
    const duplicate = problems(
      planImport(csv('t,T,,x,,Size,M,,,T-1,1,EUR,', 't,,,,,,M,,,T-2,1,,'), newId),
    );
    assert.deepEqual(
      duplicate.map((p) => [p.row, p.column]),
      [[3, 'Option1 Value']],
    );
    assert.match(duplicate[0]?.message ?? '', /same options \(M\) as T-1/);
    const rows = Array.from(
      { length: 101 },
      (_, i) => `many,${i === 0 ? 'Many' : ''},,x,,${i === 0 ? 'N' : ''},${i},,,M-${i},1,EUR,`,
    );
    const many = problems(planImport(csv(...rows), newId));
    assert.match(many[0]?.message ?? '', /at most 100 variants/);
  });

  it('refuses a file that is not CSV, naming the line, and an empty one', () => {
    const broken = problems(planImport(`${HEADER}\na,"A,,x\n`, newId));
    assert.equal(broken[0]?.row, null);
    assert.match(broken[0]?.message ?? '', /not valid CSV \(line \d+\): Quote Not Closed/);
    assert.match(problems(planImport('', newId))[0]?.message ?? '', /empty/);
  });

  it('writes prices back as merchants write them', () => {
    assert.equal(formatPrice(4990, 'EUR'), '49.90');
    assert.equal(formatPrice(5, 'EUR'), '0.05');
    assert.equal(formatPrice(500, 'JPY'), '500');
    assert.equal(formatPrice(1234, 'KWD'), '1.234');
    assert.deepEqual(parsePrice('1,5', 'EUR'), { cents: 150 });
  });
});
