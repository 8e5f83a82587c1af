import { CsvError, parse } from 'csv-parse/sync';
import { isAppError } from '../../shared/errors/catalogue.js';
import { CATALOG_LIMITS, ORDER_LIMITS, SKU_PATTERN } from '../../shared/limits/limits.js';
import {
  CSV_COLUMNS,
  type CsvColumn,
  OPTION_COLUMNS,
  parsePrice,
  REQUIRED_COLUMNS,
} from './csv-layout.js';
import { type OptionValue, type ProductShape, planNewProduct } from './variants.js';

/**
 * A catalog CSV file read and checked, free of I/O: every problem is found before anything is
 * written, each naming its row (the spreadsheet's row number: the header is row 1) and its
 * column, so a file with a mistake changes nothing.
 */
export interface ImportProblem {
  /** The spreadsheet row (header = 1); null for a problem of the whole file. */
  row: number | null;
  column: string | null;
  message: string;
}

export interface ImportVariant {
  sku: string;
  options: OptionValue[];
  priceCents: number;
  /** Stock for a new variant (inventory's first stock; an existing SKU keeps its own). */
  initialStock: number;
  row: number;
}

export interface ImportProduct {
  handle: string;
  title: string;
  body: string;
  category: string;
  currency: string;
  collections: string[];
  /** The options and variants as the catalog's rules shaped them. */
  shape: ProductShape;
  variants: ImportVariant[];
  /** The row of the product's first variant. */
  row: number;
}

export type ImportPlan =
  | { ok: true; products: ImportProduct[]; rows: number }
  | { ok: false; problems: ImportProblem[]; rows: number };

/** At most this many problems are listed; the count says how many there were. */
export const MAX_LISTED_PROBLEMS = 200;

const HANDLE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: line breaks and control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

interface Row {
  row: number;
  cell(column: CsvColumn): string;
}

/** Reads and checks a whole file; `newId` names the variants the plan makes. */
export function planImport(text: string, newId: () => string): ImportPlan {
  const problems: ImportProblem[] = [];
  const problem = reporter(problems);

  if (Buffer.byteLength(text) > CATALOG_LIMITS.csvMaxBytes) {
    problem(null, null, `The file is larger than ${CATALOG_LIMITS.csvMaxBytes / (1024 * 1024)} MB`);
    return { ok: false, problems, rows: 0 };
  }
  let records: { record: string[]; info: { records: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { records: number } }[];
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = (err as CsvError & { lines?: number }).lines;
    problem(
      null,
      null,
      `The file is not valid CSV${line ? ` (line ${line})` : ''}: ${err.message}`,
    );
    return { ok: false, problems, rows: 0 };
  }
  const [header, ...data] = records;
  if (!header) {
    problem(null, null, 'The file is empty');
    return { ok: false, problems, rows: 0 };
  }

  // Columns by name, whatever their order and case; unknown columns are left alone.
  const index = new Map<CsvColumn, number>();
  header.record.forEach((name, i) => {
    const column = (Object.keys(CSV_COLUMNS) as CsvColumn[]).find(
      (key) => CSV_COLUMNS[key].toLowerCase() === name.trim().toLowerCase(),
    );
    if (!column) return;
    if (index.has(column)) problem(1, column, `The column ${CSV_COLUMNS[column]} is there twice`);
    index.set(column, i);
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!index.has(column)) problem(1, column, `The file has no column ${CSV_COLUMNS[column]}`);
  }
  if (data.length > CATALOG_LIMITS.csvMaxRows) {
    problem(null, null, `The file has ${data.length} rows; at most ${CATALOG_LIMITS.csvMaxRows}`);
  }
  if (problems.length > 0) return { ok: false, problems, rows: data.length };

  const rows: Row[] = data.map(({ record, info }) => {
    if (record.length > header.record.length) {
      problem(
        info.records,
        null,
        `The row has ${record.length} cells; the header has ${header.record.length}`,
      );
    }
    return {
      row: info.records,
      cell: (column) => {
        const at = index.get(column);
        return at === undefined ? '' : (record[at] ?? '').trim();
      },
    };
  });
  // A row with more cells than the header has its cells shifted (a comma not in quotes, most
  // often): what its columns would say is noise, so only the shape is reported.
  if (problems.length > 0) return { ok: false, problems, rows: data.length };

  // The rows of each product, by handle, in file order.
  const byHandle = new Map<string, Row[]>();
  for (const row of rows) {
    const handle = row.cell('handle').toLowerCase();
    if (!handle) {
      problem(row.row, 'handle', 'Every row needs the Handle of its product');
      continue;
    }
    if (!HANDLE.test(handle)) {
      problem(
        row.row,
        'handle',
        `"${handle}" is not a handle: lower-case letters, digits and single hyphens`,
      );
      continue;
    }
    byHandle.set(handle, [...(byHandle.get(handle) ?? []), row]);
  }

  const skuRows = new Map<string, number>();
  const products: ImportProduct[] = [];
  for (const [handle, productRows] of byHandle) {
    const product = planProduct(handle, productRows, problems, skuRows, newId);
    if (product) products.push(product);
  }
  if (problems.length > 0) return { ok: false, problems, rows: rows.length };
  return { ok: true, products, rows: rows.length };
}

type Report = (row: number | null, column: CsvColumn | string | null, message: string) => void;

/** Adds a problem to the list, naming the column by its header. */
function reporter(problems: ImportProblem[]): Report {
  return (row, column, message) => {
    const name = column && column in CSV_COLUMNS ? CSV_COLUMNS[column as CsvColumn] : column;
    problems.push({ row, column: name, message });
  };
}

/** A text cell that must hold one line: a quoted line break there is a mistake. */
function singleLine(row: Row, column: CsvColumn, report: Report): string {
  const value = row.cell(column);
  if (CONTROL.test(value)) {
    report(row.row, column, `${CSV_COLUMNS[column]} holds a line break or a control character`);
  }
  return value;
}

function planProduct(
  handle: string,
  rows: Row[],
  problems: ImportProblem[],
  skuRows: Map<string, number>,
  newId: () => string,
): ImportProduct | undefined {
  const report = reporter(problems);
  const first = rows[0] as Row;
  const before = problems.length;
  const title = singleLine(first, 'title', report);
  if (!title) report(first.row, 'title', `The first row of ${handle} needs its Title`);
  if (title.length > ORDER_LIMITS.productNameMaxLength) {
    report(
      first.row,
      'title',
      `A title has at most ${ORDER_LIMITS.productNameMaxLength} characters`,
    );
  }
  const category = singleLine(first, 'category', report) || 'uncategorised';
  const currency = singleLine(first, 'currency', report).toUpperCase() || 'EUR';
  if (!/^[A-Z]{3}$/.test(currency)) {
    report(first.row, 'currency', `"${currency}" is not a currency code such as EUR`);
  }
  const body = first.cell('body');
  if (body.length > 5_000) report(first.row, 'body', 'A description has at most 5,000 characters');
  const collections = [
    ...new Set(
      first
        .cell('collections')
        .split(',')
        .map((slug) => slug.trim())
        .filter(Boolean),
    ),
  ];
  if (collections.length > CATALOG_LIMITS.maxCollectionsPerProduct) {
    report(
      first.row,
      'collections',
      `A product is in at most ${CATALOG_LIMITS.maxCollectionsPerProduct} collections; this one names ${collections.length}`,
    );
  }

  // Option names come from the product's first row; later rows may leave them blank.
  const names = OPTION_COLUMNS.map(({ name }) => singleLine(first, name, report));
  const variants: ImportVariant[] = [];
  for (const row of rows) {
    const sku = singleLine(row, 'sku', report);
    if (!sku) report(row.row, 'sku', 'Every row needs its Variant SKU');
    else if (CONTROL.test(sku)) {
      // Reported as a line break above.
    } else if (sku.length > ORDER_LIMITS.skuMaxLength || !SKU_PATTERN.test(sku)) {
      report(
        row.row,
        'sku',
        `"${sku}" is not a SKU: letters, digits and -_.:/, at most ${ORDER_LIMITS.skuMaxLength}`,
      );
    } else if (skuRows.has(sku)) {
      report(row.row, 'sku', `SKU ${sku} is on row ${skuRows.get(sku)} already`);
    } else skuRows.set(sku, row.row);
    const price = parsePrice(row.cell('price'), currency);
    if ('problem' in price) report(row.row, 'price', `Variant Price: ${price.problem}`);
    const quantityText = row.cell('quantity') || '0';
    const quantity = Number(quantityText);
    if (!/^\d{1,9}$/.test(quantityText)) {
      report(row.row, 'quantity', `"${quantityText}" is not a stock count (a whole number from 0)`);
    }
    const options: OptionValue[] = [];
    OPTION_COLUMNS.forEach(({ name, value }, i) => {
      const optionName = (row === first ? '' : singleLine(row, name, report)) || (names[i] ?? '');
      const optionValue = singleLine(row, value, report);
      if (optionValue && !optionName) {
        report(
          row.row,
          name,
          `${CSV_COLUMNS[value]} has no ${CSV_COLUMNS[name]} on the first row of ${handle}`,
        );
      } else if (optionName && !optionValue) {
        report(row.row, value, `${CSV_COLUMNS[value]} is empty; every variant names one`);
      } else if (optionName) options.push({ name: optionName, value: optionValue });
    });
    variants.push({
      sku,
      options,
      priceCents: 'cents' in price ? price.cents : 0,
      initialStock: Number.isInteger(quantity) ? quantity : 0,
      row: row.row,
    });
  }
  if (problems.length > before) return undefined;

  // The catalog's own rules, as every other way of making a product applies them.
  try {
    const shape = planNewProduct({ variants }, newId);
    return {
      handle,
      title,
      body,
      category,
      currency,
      collections,
      shape,
      variants,
      row: first.row,
    };
  } catch (err) {
    if (!isAppError(err)) throw err;
    const field = String(err.details?.field ?? '');
    const at = /^variants\[(\d+)\](?:\.options\[(\d+)\])?/.exec(field);
    const variant = variants[Number(at?.[1] ?? 0)] ?? variants[0];
    const option = at?.[2] === undefined ? undefined : OPTION_COLUMNS[Number(at[2])];
    const column = option ? option.value : err.code === 'CONFLICT' ? 'sku' : 'option1Value';
    report(variant?.row ?? first.row, column, err.message);
    return undefined;
  }
}
