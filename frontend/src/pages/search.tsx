import { useQuery } from '@urql/preact';
import { useMemo } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import {
  facetFilters,
  readSearch,
  type SearchState,
  SORTS,
  type Sort,
  toggleFilter,
  writeSearch,
} from '../catalog/search-params.js';
import { ErrorAlert, Loading } from '../components/messages.js';
import { Page } from '../components/page.js';
import { ProductGrid } from '../components/product-grid.js';
import { ShowMore, useCursorPages } from '../components/show-more.js';
import { ProductFields, SearchQuery } from '../graphql/documents.js';
import { type ResultOf, readFragment } from '../graphql/graphql.js';
import { errorMessage } from '../utils/errors.js';
import { formatMoney } from '../utils/format.js';

const PAGE_SIZE = 12;

const SORT_LABELS: Record<Sort, string> = {
  RELEVANCE: 'Best match',
  NEWEST: 'Newest',
  PRICE_ASC: 'Price, low to high',
  PRICE_DESC: 'Price, high to low',
};

const FACET_LABELS: Record<string, string> = {
  category: 'Category',
  collection: 'Collection',
  price: 'Price',
};

type Facet = ResultOf<typeof SearchQuery>['search']['facets'][number];

/**
 * Search with facets: free text, a sort, "in stock only", and a group of choices per facet,
 * each counted under every other choice. Everything is in the address, so the back button,
 * a reload and a shared link show the same results. Stock is live: a variant that sells out
 * leaves "in stock only" results at once.
 */
export function SearchPage() {
  const { url } = useLocation();
  const search = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const state = useMemo(() => readSearch(search), [search]);
  return (
    <Page title={state.query ? `Search: “${state.query}”` : 'Search'}>
      <SearchForm state={state} />
      {/* A new search starts again from the first page. */}
      <SearchPages key={search} state={state} />
    </Page>
  );
}

function SearchForm({ state }: { state: SearchState }) {
  const { route } = useLocation();
  const submit = (form: HTMLFormElement) => {
    const data = new FormData(form);
    route(
      writeSearch({
        ...state,
        query: String(data.get('q') ?? '').trim(),
        sort: String(data.get('sort') ?? 'RELEVANCE') as Sort,
        inStockOnly: data.get('stock') === '1',
      }),
    );
  };
  return (
    <search aria-label="Search the shop">
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          submit(event.currentTarget);
        }}
      >
        <div class="field">
          <label for="search-query">Search for</label>
          <input
            id="search-query"
            key={state.query}
            name="q"
            type="search"
            defaultValue={state.query}
            maxLength={200}
          />
        </div>
        <div class="field">
          <label for="search-sort">Sort by</label>
          <select
            id="search-sort"
            name="sort"
            value={state.sort}
            onChange={(event) => event.currentTarget.form && submit(event.currentTarget.form)}
          >
            {SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {SORT_LABELS[sort]}
              </option>
            ))}
          </select>
        </div>
        <div class="field field-inline">
          <input
            id="search-stock"
            name="stock"
            type="checkbox"
            value="1"
            checked={state.inStockOnly}
            onChange={(event) => event.currentTarget.form && submit(event.currentTarget.form)}
          />
          <label for="search-stock">In stock only</label>
        </div>
        <button type="submit" class="button">
          Search
        </button>
      </form>
    </search>
  );
}

function SearchPages({ state }: { state: SearchState }) {
  const { cursors, more } = useCursorPages();
  return (
    <div class="search-layout">
      {cursors.map((after, index) => (
        <SearchChunk
          key={after ?? 'first'}
          state={state}
          after={after}
          first={index === 0}
          last={index === cursors.length - 1}
          onMore={more}
        />
      ))}
    </div>
  );
}

function SearchChunk(props: {
  state: SearchState;
  after: string | undefined;
  first: boolean;
  last: boolean;
  onMore: (cursor: string) => void;
}) {
  const { state } = props;
  const [result] = useQuery({
    query: SearchQuery,
    variables: {
      first: PAGE_SIZE,
      sort: state.sort,
      inStockOnly: state.inStockOnly,
      filters: facetFilters(state),
      ...(state.query ? { query: state.query } : {}),
      ...(props.after ? { after: props.after } : {}),
    },
    // Stock moves: never answer "in stock only" from a cached page.
    requestPolicy: 'cache-and-network',
  });
  const products = useMemo(
    () =>
      result.data?.search.products.edges.map((edge) => readFragment(ProductFields, edge.node)) ??
      [],
    [result.data],
  );
  if (result.fetching && !result.data) return <Loading what="results" />;
  if (result.error && !result.data) return <ErrorAlert message={errorMessage(result.error)} />;
  const data = result.data?.search;
  const currency = products[0]?.currency ?? 'EUR';
  return (
    <>
      {props.first && data && (
        <>
          <FacetPanel facets={data.facets} state={state} currency={currency} />
          <p class="result-count" role="status">
            {data.total === 1 ? '1 product' : `${data.total} products`}
          </p>
        </>
      )}
      <ProductGrid
        products={products}
        first={props.first}
        empty="Nothing matches. Remove a filter or try other words."
        className="product-grid search-results"
        label="Results"
      />
      {props.last && (
        <ShowMore
          pageInfo={data?.products.pageInfo}
          label="Show more results"
          onMore={props.onMore}
          className="button show-more"
        />
      )}
    </>
  );
}

/** "1000-2500" in minor units, as the shopper reads it: "€10.00 – €25.00". */
function priceRange(value: string, currency: string): string {
  const [min = '0', max = ''] = value.split('-');
  const from = formatMoney(Number(min), currency);
  return max ? `${from} – ${formatMoney(Number(max), currency)}` : `${from} and more`;
}

/** One group of checkboxes per facet, each value with how many products it would show. */
function FacetPanel({
  facets,
  state,
  currency,
}: {
  facets: readonly Facet[];
  state: SearchState;
  currency: string;
}) {
  const { route } = useLocation();
  const shown = facets.filter((facet) => facet.values.length > 0);
  if (shown.length === 0) return null;
  return (
    <aside class="facets" aria-label="Filters">
      {shown.map((facet) => {
        const label = FACET_LABELS[facet.name] ?? facet.name;
        const chosen = state.filters[facet.name] ?? [];
        return (
          <fieldset key={facet.name} class="facet">
            <legend>{label}</legend>
            {facet.values.map((entry) => {
              const id = `facet-${facet.name}-${entry.value}`.replace(/[^A-Za-z0-9-]/g, '_');
              const text = facet.name === 'price' ? priceRange(entry.value, currency) : entry.value;
              return (
                <div key={entry.value} class="facet-value">
                  <input
                    id={id}
                    type="checkbox"
                    checked={chosen.includes(entry.value)}
                    onChange={() =>
                      route(writeSearch(toggleFilter(state, facet.name, entry.value)))
                    }
                  />
                  <label for={id}>
                    {text} <span class="facet-count">({entry.count})</span>
                  </label>
                </div>
              );
            })}
          </fieldset>
        );
      })}
    </aside>
  );
}
