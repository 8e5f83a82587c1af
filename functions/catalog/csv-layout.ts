import { minorDigits } from '../../shared/money/minor-units.js';

/**
 * The catalog's CSV layout, close to what other shops export (Shopify's product CSV): one row
 * per variant, the rows of one product sharing its Handle, the product's own columns filled
 * on its first row. Prices are written as merchants write them ("19.90"), in the currency's
 * major unit; the platform keeps them in minor units. Import and export use the same layout.
 */
export const CSV_COLUMNS = {
  handle: 'Handle',
  title: 'Title',
  body: 'Body',
  category: 'Category',
  collections: 'Collections',
  option1Name: 'Option1 Name',
  option1Value: 'Option1 Value',
  option2Name: 'Option2 Name',
  option2Value: 'Option2 Value',
  option3Name: 'Option3 Name',
  option3Value: 'Option3 Value',
  sku: 'Variant SKU',
  price: 'Variant Price',
  currency: 'Currency',
  quantity: 'Variant Inventory Qty',
} as const;

export type CsvColumn = keyof typeof CSV_COLUMNS;

/** Columns every file must have; the others may be left out. */
export const REQUIRED_COLUMNS: readonly CsvColumn[] = ['handle', 'sku', 'price'];

/** The header of an exported file, in this order. */
export const CSV_HEADER: readonly string[] = Object.values(CSV_COLUMNS);

export const OPTION_COLUMNS = [
  { name: 'option1Name', value: 'option1Value' },
  { name: 'option2Name', value: 'option2Value' },
  { name: 'option3Name', value: 'option3Value' },
] as const satisfies readonly { name: CsvColumn; value: CsvColumn }[];

/** "19.90" in EUR → 1990; "500" in JPY → 500. A problem is described, not thrown. */
export function parsePrice(
  text: string,
  currency: string,
): { cents: number } | { problem: string } {
  const digits = minorDigits(currency);
  const match = /^(\d{1,9})(?:[.,](\d+))?$/.exec(text.trim());
  if (!match) {
    return text.trim().startsWith('-')
      ? { problem: `a price cannot be negative, got "${text}"` }
      : { problem: `"${text}" is not a price; write it like 19.90` };
  }
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    return {
      problem:
        digits === 0
          ? `${currency} amounts have no decimals, got "${text}"`
          : `${currency} amounts have at most ${digits} decimals, got "${text}"`,
    };
  }
  const cents = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (cents > 100_000_000) return { problem: `the price ${text} is above the highest one taken` };
  return { cents };
}
