import type { Document } from 'mongodb';
import { badUserInput } from '../../shared/errors/catalogue.js';
import { CATALOG_LIMITS } from '../../shared/limits/limits.js';

/**
 * Faceted search as MongoDB queries, free of I/O: the filters a shopper picked become one
 * match for the results and, for each facet, the same match without that facet's own filter
 * (the usual rule: a facet counts what the other filters leave). Product filters (text,
 * category, collection) apply to the product; option, price and in-stock filters must hold
 * for one variant together, so "M, Blue, in stock" never matches a product whose only M is
 * red and whose only blue is sold out.
 */

export type ProductSort = 'RELEVANCE' | 'NEWEST' | 'PRICE_ASC' | 'PRICE_DESC';

export interface SearchInput {
  query?: string;
  filters?: readonly { name: string; values: readonly string[] }[];
  inStockOnly?: boolean;
  sort?: ProductSort;
  first: number;
  after?: string;
}

/** A price range in minor units: from `min` (included) below `max` (excluded; none: open). */
export interface PriceRange {
  min: number;
  max: number | null;
}

/** The filters, parsed: each facet's chosen values. */
export interface ParsedFilters {
  categories: string[] | null;
  /** Collection slugs. */
  collections: string[] | null;
  prices: PriceRange[] | null;
  /** Option name -> values, each option's values alternatives. */
  options: Map<string, string[]>;
}

/** The price facet's buckets, in minor units. */
export const PRICE_EDGES = [0, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000] as const;

export const FACET_CATEGORY = 'category';
export const FACET_COLLECTION = 'collection';
export const FACET_PRICE = 'price';

/** The label of a bucket: '1000-2500', the last '100000-'. */
export function priceLabel(min: number, max: number | null): string {
  return `${min}-${max ?? ''}`;
}

const PRICE_RANGE = /^(\d{1,9})-(\d{1,9})?$/;

export function parsePriceRange(value: string, field: string): PriceRange {
  const match = PRICE_RANGE.exec(value.trim());
  const min = Number(match?.[1]);
  const max = match?.[2] === undefined ? null : Number(match[2]);
  if (!match || (max !== null && max <= min)) {
    throw badUserInput(
      `"${value}" is not a price range: write min-max in minor units ('0-2000'), or min- for no upper bound`,
      { field },
    );
  }
  return { min, max };
}

/** Parses the filters; the same facet named twice is one filter with both lists of values. */
export function parseFilters(filters: SearchInput['filters'] = []): ParsedFilters {
  const parsed: ParsedFilters = {
    categories: null,
    collections: null,
    prices: null,
    options: new Map(),
  };
  filters.forEach((filter, i) => {
    const name = filter.name.trim();
    const field = `filters[${i}]`;
    if (name.length === 0) throw badUserInput('A filter needs a name', { field: `${field}.name` });
    if (filter.values.length === 0) {
      throw badUserInput(`The filter ${name} needs at least one value`, {
        field: `${field}.values`,
      });
    }
    const values = filter.values.map((value) => value.trim());
    const key = name.toLowerCase();
    if (key === FACET_CATEGORY) parsed.categories = [...(parsed.categories ?? []), ...values];
    else if (key === FACET_COLLECTION)
      parsed.collections = [...(parsed.collections ?? []), ...values];
    else if (key === FACET_PRICE) {
      const ranges = values.map((value, j) => parsePriceRange(value, `${field}.values[${j}]`));
      parsed.prices = [...(parsed.prices ?? []), ...ranges];
    } else parsed.options.set(name, [...(parsed.options.get(name) ?? []), ...values]);
  });
  // Option filters hold for one variant together, and a variant has at most this many
  // options: more could match nothing, and each would cost a facet query of its own.
  if (parsed.options.size > CATALOG_LIMITS.maxOptions) {
    throw badUserInput(
      `At most ${CATALOG_LIMITS.maxOptions} option filters (a variant has at most ${CATALOG_LIMITS.maxOptions} options); got ${[...parsed.options.keys()].join(', ')}`,
      { field: 'filters', limit: CATALOG_LIMITS.maxOptions },
    );
  }
  return parsed;
}

/** Which filter a facet leaves out: none (the results), a product facet, or an option. */
type Without = null | 'category' | 'collection' | 'price' | { option: string };

interface MatchContext {
  filters: ParsedFilters;
  /** Collection slugs resolved to ids (unknown slugs match nothing). */
  collectionIds: string[] | null;
  inStockOnly: boolean;
}

const isOption = (without: Without, name: string) =>
  typeof without === 'object' && without !== null && without.option === name;

/** What one variant must be: every option, price and stock condition but the facet's own. */
function variantConditions(ctx: MatchContext, without: Without): Document[] {
  const conditions: Document[] = [];
  for (const [name, values] of ctx.filters.options) {
    if (isOption(without, name)) continue;
    conditions.push({ optionKeys: { $in: values.map((value) => `${name}=${value}`) } });
  }
  if (ctx.filters.prices && without !== 'price') {
    conditions.push({
      $or: ctx.filters.prices.map((range) => ({
        priceCents: range.max === null ? { $gte: range.min } : { $gte: range.min, $lt: range.max },
      })),
    });
  }
  if (ctx.inStockOnly) conditions.push({ available: { $gt: 0 } });
  return conditions;
}

/** The same conditions as an aggregation expression over `$$v`, one variant. */
function variantExpression(ctx: MatchContext, without: Without): Document {
  const terms: Document[] = [];
  for (const [name, values] of ctx.filters.options) {
    if (isOption(without, name)) continue;
    const keys = values.map((value) => `${name}=${value}`);
    terms.push({ $gt: [{ $size: { $setIntersection: ['$$v.optionKeys', keys] } }, 0] });
  }
  if (ctx.filters.prices && without !== 'price') {
    terms.push({
      $or: ctx.filters.prices.map((range) =>
        range.max === null
          ? { $gte: ['$$v.priceCents', range.min] }
          : {
              $and: [
                { $gte: ['$$v.priceCents', range.min] },
                { $lt: ['$$v.priceCents', range.max] },
              ],
            },
      ),
    });
  }
  if (ctx.inStockOnly) terms.push({ $gt: ['$$v.available', 0] });
  return terms.length === 0 ? { $literal: true } : { $and: terms };
}

/** The match of products for the results (`without` null) or for one facet. */
export function productMatch(ctx: MatchContext, without: Without): Document {
  const and: Document[] = [];
  if (ctx.filters.categories && without !== 'category') {
    and.push({ category: { $in: ctx.filters.categories } });
  }
  if (ctx.collectionIds && without !== 'collection') {
    and.push({ collectionIds: { $in: ctx.collectionIds } });
  }
  const variant = variantConditions(ctx, without);
  if (variant.length > 0) and.push({ variants: { $elemMatch: { $and: variant } } });
  return and.length === 0 ? {} : { $and: and };
}

/** The first stage of every pipeline: the free text (a $text match must come first). */
export function textStage(query: string | undefined): Document[] {
  return query ? [{ $match: { $text: { $search: query } } }] : [];
}

/** The variants of each product that meet the other filters: for the variant facets. */
function matchingVariants(ctx: MatchContext, without: Without): Document {
  return {
    $filter: { input: '$variants', as: 'v', cond: variantExpression(ctx, without) },
  };
}

/** Pipelines that count each facet's values; each answers `{ _id: value, count, order? }`. */
export function facetPipelines(
  ctx: MatchContext,
  query: string | undefined,
): { name: string; pipeline: Document[] }[] {
  const pipelines: { name: string; pipeline: Document[] }[] = [
    {
      name: FACET_CATEGORY,
      pipeline: [
        ...textStage(query),
        { $match: productMatch(ctx, 'category') },
        { $group: { _id: '$category', count: { $sum: 1 } } },
      ],
    },
    {
      name: FACET_COLLECTION,
      pipeline: [
        ...textStage(query),
        { $match: productMatch(ctx, 'collection') },
        { $unwind: '$collectionIds' },
        { $group: { _id: '$collectionIds', count: { $sum: 1 } } },
      ],
    },
    {
      name: FACET_PRICE,
      pipeline: [
        ...textStage(query),
        { $match: productMatch(ctx, 'price') },
        {
          $project: {
            buckets: {
              $setUnion: [
                {
                  $map: {
                    input: matchingVariants(ctx, 'price'),
                    as: 'v',
                    in: bucketOf('$$v.priceCents'),
                  },
                },
              ],
            },
          },
        },
        { $unwind: '$buckets' },
        { $group: { _id: '$buckets', count: { $sum: 1 } } },
      ],
    },
    // Every option at once under all the filters; the options being filtered on are counted
    // again below without their own filter.
    { name: '', pipeline: optionPipeline(ctx, query, null) },
  ];
  for (const name of ctx.filters.options.keys()) {
    pipelines.push({ name, pipeline: optionPipeline(ctx, query, name) });
  }
  return pipelines;
}

/** Counts option values ('Size=M') per product, and the position each has in its product. */
function optionPipeline(ctx: MatchContext, query: string | undefined, option: string | null) {
  const without: Without = option === null ? null : { option };
  const keys = {
    $setUnion: [
      {
        $reduce: {
          input: matchingVariants(ctx, without),
          initialValue: [],
          in: { $concatArrays: ['$$value', '$$this.optionKeys'] },
        },
      },
    ],
  };
  const pipeline: Document[] = [
    ...textStage(query),
    { $match: productMatch(ctx, without) },
    { $project: { keys, options: 1 } },
    { $unwind: '$keys' },
  ];
  if (option !== null) {
    pipeline.push({ $match: { keys: { $regex: `^${escapeRegex(option)}=` } } });
  }
  pipeline.push({
    $group: { _id: '$keys', count: { $sum: 1 }, order: { $avg: positionInOption('$keys') } },
  });
  return pipeline;
}

/**
 * Where a value ('Size=M') stands among its option's values in its product, from 0 (first)
 * to 1 (last). Averaged over the products, it orders a facet's values as merchants list them
 * (S, M, L), even when products list different values.
 */
function positionInOption(key: string): Document {
  return {
    $let: {
      vars: { at: { $indexOfCP: [key, '='] } },
      in: {
        $let: {
          vars: {
            name: { $substrCP: [key, 0, '$$at'] },
            value: { $substrCP: [key, { $add: ['$$at', 1] }, 1_000] },
          },
          in: {
            $let: {
              vars: {
                values: {
                  $reduce: {
                    input: '$options',
                    initialValue: [],
                    in: {
                      $cond: [{ $eq: ['$$this.name', '$$name'] }, '$$this.values', '$$value'],
                    },
                  },
                },
              },
              in: {
                $divide: [
                  { $indexOfArray: ['$$values', '$$value'] },
                  { $max: [1, { $subtract: [{ $size: '$$values' }, 1] }] },
                ],
              },
            },
          },
        },
      },
    },
  };
}

/** The price bucket label of a price expression. */
function bucketOf(price: string): Document {
  const branches = PRICE_EDGES.map((min, i) => {
    const max = PRICE_EDGES[i + 1] ?? null;
    return {
      case:
        max === null
          ? { $gte: [price, min] }
          : { $and: [{ $gte: [price, min] }, { $lt: [price, max] }] },
      // biome-ignore lint/suspicious/noThenProperty: $switch names a branch's result "then"
      then: priceLabel(min, max),
    };
  });
  return { $switch: { branches, default: priceLabel(0, PRICE_EDGES[1]) } };
}

/** The labels of the price buckets, in order. */
export const PRICE_LABELS = PRICE_EDGES.map((min, i) =>
  priceLabel(min, PRICE_EDGES[i + 1] ?? null),
);

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where a page of one sort ended: the sort's key of the last product, and its id. */
export interface SearchCursor {
  sort: ProductSort;
  key: number;
  id: string;
}

export function encodeSearchCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify({ s: cursor.sort, k: cursor.key, id: cursor.id })).toString(
    'base64url',
  );
}

export function decodeSearchCursor(value: string, sort: ProductSort): SearchCursor {
  try {
    const { s, k, id } = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (s === sort && typeof k === 'number' && Number.isFinite(k) && /^[0-9a-f]{24}$/.test(id)) {
      return { sort, key: k, id };
    }
  } catch {
    // reported below
  }
  throw badUserInput('after is not a cursor of this search and sort', { field: 'after' });
}

/**
 * The effective sort (relevance needs text), the field it sorts on and its direction. The
 * id breaks ties in the same direction, so a cursor is a strict position.
 */
export function sortOf(input: Pick<SearchInput, 'query' | 'sort'>): {
  sort: ProductSort;
  field: 'score' | 'createdAt' | 'priceMin';
  direction: 1 | -1;
} {
  const sort = input.sort ?? 'RELEVANCE';
  if (sort === 'RELEVANCE' && input.query) return { sort, field: 'score', direction: -1 };
  if (sort === 'PRICE_ASC') return { sort, field: 'priceMin', direction: 1 };
  if (sort === 'PRICE_DESC') return { sort, field: 'priceMin', direction: -1 };
  return { sort: 'NEWEST', field: 'createdAt', direction: -1 };
}
