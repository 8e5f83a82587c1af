/**
 * A search as the address holds it, so results can be shared, bookmarked and reloaded:
 * `/search?q=tee&sort=PRICE_ASC&stock=1&f=Size:M&f=category:apparel`. Each `f` is one facet
 * value; values of one facet are alternatives, different facets all apply.
 */
export const SORTS = ['RELEVANCE', 'NEWEST', 'PRICE_ASC', 'PRICE_DESC'] as const;
export type Sort = (typeof SORTS)[number];

export interface SearchState {
  query: string;
  sort: Sort;
  inStockOnly: boolean;
  /** Facet name -> chosen values, in the order they were chosen. */
  filters: Record<string, string[]>;
}

export function readSearch(search: string): SearchState {
  const params = new URLSearchParams(search);
  const sort = params.get('sort') ?? '';
  const filters: Record<string, string[]> = {};
  for (const entry of params.getAll('f')) {
    const at = entry.indexOf(':');
    if (at <= 0) continue;
    const name = entry.slice(0, at);
    const value = entry.slice(at + 1);
    if (!value) continue;
    const values = filters[name] ?? [];
    if (!values.includes(value)) values.push(value);
    filters[name] = values;
  }
  return {
    query: params.get('q')?.trim() ?? '',
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as Sort) : 'RELEVANCE',
    inStockOnly: params.get('stock') === '1',
    filters,
  };
}

export function writeSearch(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.query) params.set('q', state.query);
  if (state.sort !== 'RELEVANCE') params.set('sort', state.sort);
  if (state.inStockOnly) params.set('stock', '1');
  for (const [name, values] of Object.entries(state.filters)) {
    for (const value of values) params.append('f', `${name}:${value}`);
  }
  const text = params.toString();
  return text ? `/search?${text}` : '/search';
}

/** The same search with one facet value chosen or given up. */
export function toggleFilter(state: SearchState, name: string, value: string): SearchState {
  const current = state.filters[name] ?? [];
  const values = current.includes(value)
    ? current.filter((other) => other !== value)
    : [...current, value];
  const filters = { ...state.filters, [name]: values };
  if (values.length === 0) delete filters[name];
  return { ...state, filters };
}

/** The filters as the search query takes them. */
export function facetFilters(state: SearchState): { name: string; values: string[] }[] {
  return Object.entries(state.filters).map(([name, values]) => ({ name, values }));
}
