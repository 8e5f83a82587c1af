import { type Collection, type Db, type Document, ObjectId } from 'mongodb';
import { PRODUCTS, type ProductDoc } from './product-document.js';
import type { ProductPage, ProductStore } from './product-store.js';
import {
  decodeSearchCursor,
  encodeSearchCursor,
  FACET_CATEGORY,
  FACET_COLLECTION,
  FACET_PRICE,
  facetPipelines,
  PRICE_LABELS,
  parseFilters,
  productMatch,
  type SearchInput,
  sortOf,
  textStage,
} from './search-query.js';

export interface Facet {
  name: string;
  values: { value: string; count: number }[];
}

export interface SearchResult {
  products: ProductPage;
  facets: Facet[];
  total: number;
}

interface FacetRow {
  _id: string;
  count: number;
  order?: number;
}

/**
 * Runs a faceted search: the page, the total and every facet are separate aggregations run
 * side by side, each with its own match, so each can use its own index (a facet's match
 * leaves its own filter out, which a single $facet stage could not index).
 */
export class ProductSearch {
  private readonly products: Collection<ProductDoc>;

  constructor(
    db: Db,
    private readonly store: ProductStore,
  ) {
    this.products = db.collection<ProductDoc>(PRODUCTS);
  }

  async search(input: SearchInput): Promise<SearchResult> {
    const filters = parseFilters(input.filters);
    const collectionIds = filters.collections
      ? await this.store.collections.idsOfKnown(filters.collections)
      : null;
    const ctx = { filters, collectionIds, inStockOnly: input.inStockOnly ?? false };
    const query = input.query?.trim() || undefined;
    const facets = facetPipelines(ctx, query);
    const [page, total, ...counts] = await Promise.all([
      this.page(productMatch(ctx, null), input, query),
      this.count(productMatch(ctx, null), query),
      ...facets.map(({ pipeline }) => this.products.aggregate<FacetRow>(pipeline).toArray()),
    ]);
    return {
      products: page,
      total,
      facets: await this.facets(
        filters,
        facets.map(({ name }, i) => ({ name, rows: counts[i] ?? [] })),
      ),
    };
  }

  private async count(match: Document, query: string | undefined): Promise<number> {
    const [row] = await this.products
      .aggregate<{ n: number }>([...textStage(query), { $match: match }, { $count: 'n' }])
      .toArray();
    return row?.n ?? 0;
  }

  private async page(
    match: Document,
    input: SearchInput,
    query: string | undefined,
  ): Promise<ProductPage> {
    const { sort, field, direction } = sortOf({ query, sort: input.sort ?? 'RELEVANCE' });
    const pipeline: Document[] = [...textStage(query), { $match: match }];
    if (field === 'score') pipeline.push({ $addFields: { score: { $meta: 'textScore' } } });
    if (input.after !== undefined) {
      const cursor = decodeSearchCursor(input.after, sort);
      const key = field === 'createdAt' ? new Date(cursor.key) : cursor.key;
      const beyond = direction === 1 ? '$gt' : '$lt';
      pipeline.push({
        $match: {
          $or: [
            { [field]: { [beyond]: key } },
            { [field]: key, _id: { [beyond]: new ObjectId(cursor.id) } },
          ],
        },
      });
    }
    pipeline.push({ $sort: { [field]: direction, _id: direction } }, { $limit: input.first + 1 });
    const docs = await this.products.aggregate<ProductDoc & { score?: number }>(pipeline).toArray();
    const shown = docs.slice(0, input.first);
    const views = await this.store.views(shown, { collections: false });
    const edges = views.map((node, i) => {
      const doc = shown[i] as ProductDoc & { score?: number };
      const key =
        field === 'score'
          ? (doc.score ?? 0)
          : field === 'createdAt'
            ? doc.createdAt.getTime()
            : doc.priceMin;
      return { cursor: encodeSearchCursor({ sort, key, id: node.id }), node };
    });
    return {
      edges,
      pageInfo: { hasNextPage: docs.length > input.first, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  /**
   * The facets in a stable order: category, collection, price, then options by name. Values
   * a filter names are listed even when nothing matches them (count 0), so a client can show
   * them as chosen.
   */
  private async facets(
    filters: ReturnType<typeof parseFilters>,
    results: { name: string; rows: FacetRow[] }[],
  ): Promise<Facet[]> {
    const rowsOf = (name: string) => results.find((result) => result.name === name)?.rows ?? [];
    const facets: Facet[] = [];

    const categories = rowsOf(FACET_CATEGORY)
      .map((row) => ({ value: row._id, count: row.count }))
      .sort((a, b) => a.value.localeCompare(b.value));
    facets.push({ name: FACET_CATEGORY, values: withChosen(categories, filters.categories) });

    const collectionRows = rowsOf(FACET_COLLECTION);
    const collections = await this.store.collections.byIds(collectionRows.map((row) => row._id));
    const collectionValues = collectionRows
      .flatMap((row) => {
        const collection = collections.get(row._id);
        return collection ? [{ value: collection.slug, count: row.count }] : [];
      })
      .sort((a, b) => a.value.localeCompare(b.value));
    facets.push({
      name: FACET_COLLECTION,
      values: withChosen(collectionValues, filters.collections),
    });

    const prices = new Map(rowsOf(FACET_PRICE).map((row) => [row._id, row.count]));
    facets.push({
      name: FACET_PRICE,
      values: PRICE_LABELS.flatMap((label) => {
        const count = prices.get(label);
        return count ? [{ value: label, count }] : [];
      }),
    });

    // Option values: from the all-filters count, except the options being filtered on, whose
    // counts leave their own filter out.
    const options = new Map<string, (FacetRow & { value: string })[]>();
    const add = (rows: FacetRow[], only?: string) => {
      for (const row of rows) {
        const at = row._id.indexOf('=');
        const name = row._id.slice(0, at);
        if (only !== undefined ? name !== only : filters.options.has(name)) continue;
        const list = options.get(name) ?? [];
        list.push({ ...row, value: row._id.slice(at + 1) });
        options.set(name, list);
      }
    };
    add(rowsOf(''));
    for (const name of filters.options.keys()) add(rowsOf(name), name);
    for (const name of [...options.keys(), ...filters.options.keys()]
      .filter((name, i, all) => all.indexOf(name) === i)
      .sort((a, b) => a.localeCompare(b))) {
      const values = (options.get(name) ?? [])
        .sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || a.value.localeCompare(b.value))
        .map(({ value, count }) => ({ value, count }));
      facets.push({ name, values: withChosen(values, filters.options.get(name) ?? null) });
    }
    return facets;
  }
}

function withChosen(
  values: { value: string; count: number }[],
  chosen: readonly string[] | null,
): { value: string; count: number }[] {
  const missing = (chosen ?? []).filter(
    (value, i, all) => all.indexOf(value) === i && !values.some((v) => v.value === value),
  );
  return [...values, ...missing.map((value) => ({ value, count: 0 }))];
}
