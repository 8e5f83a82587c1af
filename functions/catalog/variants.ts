import { badUserInput, conflict } from '../../shared/errors/catalogue.js';
import { CATALOG_LIMITS } from '../../shared/limits/limits.js';

/**
 * The rules of a product's options and variants, free of I/O: every change of them (create,
 * add, update, remove, a CSV row) is planned here from the product's current shape, and the
 * store writes the plan in one guarded update. A plan that breaks a rule is refused with
 * BAD_USER_INPUT naming the field, so nothing is half-written.
 */

export interface OptionValue {
  name: string;
  value: string;
}

/** An option a shopper picks, with its values in display order: Size [S, M, L]. */
export interface ProductOption {
  name: string;
  values: string[];
}

/** What a caller says about a variant. */
export interface VariantSpec {
  sku: string;
  options: readonly OptionValue[];
  priceCents: number;
}

/** A variant as the product holds it. */
export interface VariantRecord {
  id: string;
  sku: string;
  /** The values in the product's option order, joined: 'M / Blue'; 'Default' without options. */
  title: string;
  /** One value per option of the product, in the product's option order. */
  options: OptionValue[];
  /** `name=value` of each option: what search filters and facets match on. */
  optionKeys: string[];
  priceCents: number;
  imageId: string | null;
}

/** The part of a product these rules govern. */
export interface ProductShape {
  options: ProductOption[];
  variants: VariantRecord[];
}

/** The title of a product's only variant when it has no options. */
export const DEFAULT_VARIANT_TITLE = 'Default';

const { maxOptions, maxValuesPerOption, maxVariants, optionNameMaxLength, optionValueMaxLength } =
  CATALOG_LIMITS;

// Control characters would break titles, CSV cells and search keys; '=' separates a search key.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse them
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Facets of every product: no option may take their names (search filters on them). */
export const PRODUCT_FACETS = ['category', 'collection', 'price'] as const;

/** `Size=M`: how a variant's option value is matched by filters and counted by facets. */
export const optionKey = (option: OptionValue) => `${option.name}=${option.value}`;

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function cleanName(name: string, field: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > optionNameMaxLength) {
    throw badUserInput(`An option name has 1 to ${optionNameMaxLength} characters`, { field });
  }
  if (CONTROL.test(trimmed) || trimmed.includes('=')) {
    throw badUserInput(`The option name "${trimmed}" may not contain '=' or control characters`, {
      field,
    });
  }
  if ((PRODUCT_FACETS as readonly string[]).includes(trimmed.toLowerCase())) {
    throw badUserInput(`"${trimmed}" cannot name an option: search uses it for its own facet`, {
      field,
    });
  }
  return trimmed;
}

function cleanValue(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > optionValueMaxLength) {
    throw badUserInput(`An option value has 1 to ${optionValueMaxLength} characters`, { field });
  }
  if (CONTROL.test(trimmed)) {
    throw badUserInput(`The option value "${trimmed}" may not contain control characters`, {
      field,
    });
  }
  return trimmed;
}

/** Declared options, checked: at most 3, distinct names, each with distinct values. */
export function checkOptions(
  options: readonly ProductOption[],
  field = 'options',
): ProductOption[] {
  if (options.length > maxOptions) {
    throw badUserInput(`A product has at most ${maxOptions} options; got ${options.length}`, {
      field,
      limit: maxOptions,
    });
  }
  const checked: ProductOption[] = [];
  options.forEach((option, i) => {
    const name = cleanName(option.name, `${field}[${i}].name`);
    if (checked.some((other) => sameName(other.name, name))) {
      throw badUserInput(`The option "${name}" is named twice`, { field: `${field}[${i}].name` });
    }
    if (option.values.length === 0) {
      throw badUserInput(`The option "${name}" needs at least one value`, {
        field: `${field}[${i}].values`,
      });
    }
    const values: string[] = [];
    option.values.forEach((raw, j) => {
      const value = cleanValue(raw, `${field}[${i}].values[${j}]`);
      if (values.some((other) => sameName(other, value))) {
        throw badUserInput(`The option "${name}" lists "${value}" twice`, {
          field: `${field}[${i}].values[${j}]`,
        });
      }
      values.push(value);
    });
    checkValueCount(name, values.length, `${field}[${i}].values`);
    checked.push({ name, values });
  });
  return checked;
}

function checkValueCount(name: string, count: number, field: string): void {
  if (count > maxValuesPerOption) {
    throw badUserInput(`The option "${name}" has at most ${maxValuesPerOption} values`, {
      field,
      limit: maxValuesPerOption,
    });
  }
}

/**
 * A variant's values matched to the product's options: one per option, in the option order,
 * spelled as the product spells them. `extend` lets a value the option does not list yet be
 * added to it (addVariant); otherwise it is an unknown value.
 */
function matchOptions(
  options: ProductOption[],
  given: readonly OptionValue[],
  field: string,
  extend: boolean,
): { options: ProductOption[]; values: OptionValue[] } {
  const next = options.map((option) => ({ name: option.name, values: [...option.values] }));
  const seen = new Set<number>();
  const values: OptionValue[] = new Array(options.length);
  given.forEach((raw, i) => {
    const name = cleanName(raw.name, `${field}[${i}].name`);
    const value = cleanValue(raw.value, `${field}[${i}].value`);
    const index = next.findIndex((option) => sameName(option.name, name));
    const option = next[index];
    if (!option) {
      const known = options.map((o) => o.name).join(', ') || 'none';
      throw badUserInput(`Unknown option "${name}"; the product's options are: ${known}`, {
        field: `${field}[${i}].name`,
      });
    }
    if (seen.has(index)) {
      throw badUserInput(`The option "${option.name}" is given twice`, {
        field: `${field}[${i}].name`,
      });
    }
    seen.add(index);
    let known = option.values.find((v) => sameName(v, value));
    if (known === undefined) {
      if (!extend) {
        throw badUserInput(
          `Unknown value "${value}" of option "${option.name}"; its values are: ${option.values.join(', ')}`,
          { field: `${field}[${i}].value` },
        );
      }
      option.values.push(value);
      checkValueCount(option.name, option.values.length, `${field}[${i}].value`);
      known = value;
    }
    values[index] = { name: option.name, value: known };
  });
  const missing = next.filter((_, i) => !seen.has(i)).map((option) => option.name);
  if (missing.length > 0) {
    throw badUserInput(`A variant needs a value for every option; missing: ${missing.join(', ')}`, {
      field,
    });
  }
  return { options: next, values };
}

function record(
  id: string,
  spec: VariantSpec,
  values: OptionValue[],
  imageId: string | null,
): VariantRecord {
  return {
    id,
    sku: spec.sku,
    title: values.length > 0 ? values.map((v) => v.value).join(' / ') : DEFAULT_VARIANT_TITLE,
    options: values,
    optionKeys: values.map(optionKey),
    priceCents: spec.priceCents,
    imageId,
  };
}

const combination = (variant: Pick<VariantRecord, 'optionKeys'>) =>
  variant.optionKeys.map((key) => key.toLowerCase()).join('\u0000');

/** Checked first, so the 101st variant is refused as such, whatever else is wrong with it. */
function checkVariantCount(count: number, field: string): void {
  if (count > maxVariants) {
    throw badUserInput(`A product has at most ${maxVariants} variants; this would make ${count}`, {
      field,
      limit: maxVariants,
    });
  }
}

/** The invariants every shape must keep, checked after each plan. */
function checkVariants(variants: readonly VariantRecord[], field: string): void {
  if (variants.length === 0) throw badUserInput('A product needs at least one variant', { field });
  checkVariantCount(variants.length, field);
  const skus = new Map<string, number>();
  const combinations = new Map<string, string>();
  variants.forEach((variant, i) => {
    if (skus.has(variant.sku)) {
      throw conflict(`SKU ${variant.sku} is given to two variants of this product`, {
        field: `${field}[${i}].sku`,
        sku: variant.sku,
      });
    }
    skus.set(variant.sku, i);
    const key = combination(variant);
    const other = combinations.get(key);
    if (other !== undefined) {
      throw badUserInput(
        `The variant ${variant.sku} has the same options (${variant.title}) as ${other}`,
        { field: `${field}[${i}].options`, sku: variant.sku, duplicateOf: other },
      );
    }
    combinations.set(key, variant.sku);
  });
}

/** Options listed in the order their names first appear in the variants, values likewise. */
function optionsOfVariants(specs: readonly VariantSpec[], field: string): ProductOption[] {
  const options: ProductOption[] = [];
  specs.forEach((spec, i) => {
    spec.options.forEach((raw, j) => {
      const name = cleanName(raw.name, `${field}[${i}].options[${j}].name`);
      const value = cleanValue(raw.value, `${field}[${i}].options[${j}].value`);
      let option = options.find((o) => sameName(o.name, name));
      if (!option) {
        option = { name, values: [] };
        options.push(option);
      }
      if (!option.values.some((v) => sameName(v, value))) option.values.push(value);
    });
  });
  return checkOptions(options, field);
}

export interface NewProductPlan {
  /** Declared options; without them the variants' own values define the options. */
  options?: readonly ProductOption[];
  /** The first variant (the product's SKU and price) and any more. */
  variants: readonly VariantSpec[];
}

/**
 * The shape of a new product. With declared options every variant must use their values;
 * without, the options are those the variants name, and a product naming none has one
 * variant, titled Default.
 */
export function planNewProduct(plan: NewProductPlan, newId: () => string): ProductShape {
  const field = 'variants';
  checkVariantCount(plan.variants.length, field);
  const declared = plan.options !== undefined && plan.options.length > 0;
  const options = declared
    ? checkOptions(plan.options ?? [])
    : optionsOfVariants(plan.variants, field);
  if (options.length === 0 && plan.variants.length > 1) {
    throw badUserInput('A product without options has exactly one variant; name its options', {
      field,
    });
  }
  const variants = plan.variants.map((spec, i) => {
    const matched = matchOptions(options, spec.options, `${field}[${i}].options`, false);
    return record(newId(), spec, matched.values, null);
  });
  checkVariants(variants, field);
  return { options, variants };
}

/**
 * Adds a variant. It names a value for each of the product's options, and the product gains
 * any value it does not list yet. A product without options gains the options the variant
 * names; its Default variant stays, with no values, until it is given some or removed.
 */
export function planAddVariant(
  shape: ProductShape,
  spec: VariantSpec,
  newId: () => string,
): ProductShape {
  const field = 'input.options';
  checkVariantCount(shape.variants.length + 1, 'variants');
  const base =
    shape.options.length === 0 && spec.options.length > 0
      ? optionsOfVariants([spec], field)
      : shape.options;
  const matched = matchOptions(base, spec.options, field, true);
  const variants = [...shape.variants, record(newId(), spec, matched.values, null)];
  checkVariants(variants, 'variants');
  return { options: matched.options, variants };
}

export interface VariantChanges {
  priceCents?: number;
  options?: readonly OptionValue[];
  /** The product image shown for this variant; null removes it. */
  imageId?: string | null;
}

function indexOfSku(shape: ProductShape, sku: string): number {
  const index = shape.variants.findIndex((variant) => variant.sku === sku);
  if (index < 0) throw badUserInput(`The product has no variant ${sku}`, { field: 'sku' });
  return index;
}

/** Changes one variant's price, values (gaining new values, as addVariant) or picture. */
export function planUpdateVariant(
  shape: ProductShape,
  sku: string,
  changes: VariantChanges,
  imageIds: readonly string[],
): ProductShape {
  const index = indexOfSku(shape, sku);
  const current = shape.variants[index] as VariantRecord;
  if (changes.imageId && !imageIds.includes(changes.imageId)) {
    throw badUserInput(`The product has no image ${changes.imageId}`, { field: 'input.imageId' });
  }
  let options = shape.options;
  let values = current.options;
  if (changes.options !== undefined) {
    const matched = matchOptions(shape.options, changes.options, 'input.options', true);
    options = matched.options;
    values = matched.values;
  }
  const updated = record(
    current.id,
    { sku, options: values, priceCents: changes.priceCents ?? current.priceCents },
    values,
    changes.imageId === undefined ? current.imageId : changes.imageId,
  );
  const variants = shape.variants.map((variant, i) => (i === index ? updated : variant));
  checkVariants(variants, 'variants');
  return { options: withoutUnusedValues(options, variants), variants };
}

/** Removes a variant (never the last); values no variant uses any more leave the options. */
export function planRemoveVariant(shape: ProductShape, sku: string): ProductShape {
  const index = indexOfSku(shape, sku);
  if (shape.variants.length === 1) {
    throw badUserInput(`${sku} is the product's only variant; a product needs one`, {
      field: 'sku',
    });
  }
  const variants = shape.variants.filter((_, i) => i !== index);
  return { options: withoutUnusedValues(shape.options, variants), variants };
}

/** Options keep only the values some variant has; an option no variant has goes. */
function withoutUnusedValues(
  options: readonly ProductOption[],
  variants: readonly VariantRecord[],
): ProductOption[] {
  const used = new Set(variants.flatMap((variant) => variant.optionKeys));
  return options
    .map((option) => ({
      name: option.name,
      values: option.values.filter((value) => used.has(optionKey({ name: option.name, value }))),
    }))
    .filter((option) => option.values.length > 0);
}

/** Drops an image from the variants that showed it. */
export function withoutImage(shape: ProductShape, imageId: string): VariantRecord[] {
  return shape.variants.map((variant) =>
    variant.imageId === imageId ? { ...variant, imageId: null } : variant,
  );
}
