/**
 * The option picker's rules, free of the page: which variant a choice of values names, and
 * how each value would be if the shopper picked it next (with the other choices kept): there,
 * sold out, or a combination the product does not have. Unavailable values are shown and
 * marked, never hidden, so a shopper sees what exists in another colour or size.
 */
export interface ChoosableVariant {
  sku: string;
  options: readonly { name: string; value: string }[];
}

export type Choice = Readonly<Record<string, string>>;

export type ValueState = 'available' | 'sold-out' | 'unavailable';

/** The values a variant stands for, by option name. */
export function choiceOf(variant: ChoosableVariant): Choice {
  return Object.fromEntries(variant.options.map((option) => [option.name, option.value]));
}

/** The variant with exactly these values for every option, if the product has one. */
export function variantFor<V extends ChoosableVariant>(
  variants: readonly V[],
  optionNames: readonly string[],
  choice: Choice,
): V | undefined {
  return variants.find(
    (variant) =>
      variant.options.length === optionNames.length &&
      optionNames.every((name) => choiceOf(variant)[name] === choice[name]),
  );
}

/** What picking `value` for `option` (keeping the other choices) would give. */
export function valueState<V extends ChoosableVariant>(
  variants: readonly V[],
  optionNames: readonly string[],
  choice: Choice,
  option: string,
  value: string,
  availableOf: (variant: V) => number,
): ValueState {
  const variant = variantFor(variants, optionNames, { ...choice, [option]: value });
  if (!variant) return 'unavailable';
  return availableOf(variant) > 0 ? 'available' : 'sold-out';
}

/**
 * The choice a product page opens with: the variant the address names, else the first one in
 * stock, else the first one.
 */
export function initialVariant<V extends ChoosableVariant>(
  variants: readonly V[],
  wanted: string | undefined,
  availableOf: (variant: V) => number,
): V | undefined {
  return (
    variants.find((variant) => variant.sku === wanted) ??
    variants.find((variant) => availableOf(variant) > 0) ??
    variants[0]
  );
}
