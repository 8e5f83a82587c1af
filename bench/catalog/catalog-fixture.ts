import { stringify } from 'csv-stringify/sync';
import { CSV_COLUMNS, CSV_HEADER, type CsvColumn } from '../../functions/catalog/csv-layout.js';

const COLUMNS = Object.keys(CSV_COLUMNS) as CsvColumn[];

/**
 * A benchmark catalog as a CSV file in the import layout (docs/user-guide.md): products of
 * five sizes in one colour each, spread over ten categories and four collections, so that
 * every facet has several values and every filter narrows. Product `i` is the same in every
 * catalog size, so the small catalog is the large one's first products.
 */

export const BENCH_COLLECTIONS = ['new-in', 'bestsellers', 'gifts', 'sale'] as const;
export const BENCH_CATEGORIES = [
  'kitchen',
  'apparel',
  'stationery',
  'garden',
  'toys',
  'bath',
  'lighting',
  'outdoor',
  'office',
  'pets',
] as const;
export const BENCH_SIZES = ['XS', 'S', 'M', 'L', 'XL'] as const;
const COLOURS = ['Black', 'White', 'Navy', 'Sand', 'Olive', 'Rust', 'Grey', 'Teal'];
const ADJECTIVES = ['Sturdy', 'Soft', 'Classic', 'Light', 'Bold', 'Quiet', 'Bright', 'Simple'];
const MATERIALS = ['Linen', 'Oak', 'Steel', 'Wool', 'Cotton', 'Stoneware', 'Cork', 'Glass', 'Felt'];
const NOUNS = ['Mug', 'Tote', 'Lamp', 'Shirt', 'Box', 'Planter', 'Blanket', 'Tray', 'Basket'];

/** A word only product `i`'s title has, for a free-text search that finds it alone. */
export function benchProductWord(i: number): string {
  return `N${i.toString().padStart(5, '0')}`;
}

export function benchHandle(i: number): string {
  return `bench-${i}`;
}

export function benchSku(i: number, size: (typeof BENCH_SIZES)[number]): string {
  return `B${i}-${size}`;
}

/** Products whose XS has exactly one unit: the sell-out measurement buys it. */
export function hasLastUnit(i: number): boolean {
  return i % 10 === 7;
}

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length] as T;
}

/** The catalog of `products` products, five variants each, as CSV text. */
export function benchCatalogCsv(products: number): string {
  const rows: string[][] = [[...CSV_HEADER]];
  for (let i = 0; i < products; i++) {
    const title = `${pick(ADJECTIVES, i)} ${pick(MATERIALS, i >> 3)} ${pick(NOUNS, i >> 1)} ${benchProductWord(i)}`;
    const basePrice = 500 + ((i * 7919) % 19_500);
    for (const [s, size] of BENCH_SIZES.entries()) {
      const cents = basePrice + s * 150;
      const quantity = hasLastUnit(i) && size === 'XS' ? 1 : i % 13 === 0 && size === 'XL' ? 0 : 20;
      const row: Partial<Record<CsvColumn, string>> = {
        handle: benchHandle(i),
        option1Value: size,
        option2Value: pick(COLOURS, i >> 4),
        sku: benchSku(i, size),
        price: (cents / 100).toFixed(2),
        quantity: String(quantity),
      };
      if (s === 0) {
        Object.assign(row, {
          title,
          body: `A ${title.toLowerCase()}, made to last.`,
          category: pick(BENCH_CATEGORIES, i),
          collections: pick(BENCH_COLLECTIONS, i >> 2),
          option1Name: 'Size',
          option2Name: 'Colour',
          currency: 'EUR',
        });
      }
      rows.push(COLUMNS.map((column) => row[column] ?? ''));
    }
  }
  return stringify(rows);
}
