import { useQuery } from '@urql/preact';
import { useMemo } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ErrorAlert, Loading } from '../components/messages.js';
import { Page } from '../components/page.js';
import { ProductGrid } from '../components/product-grid.js';
import { ShowMore, useCursorPages } from '../components/show-more.js';
import { CatalogQuery, CategoriesQuery, ProductFields } from '../graphql/documents.js';
import { readFragment } from '../graphql/graphql.js';
import { errorMessage } from '../utils/errors.js';

const PAGE_SIZE = 12;

/** The shop's front page: search, a category filter, products in pages with live stock. */
export function CatalogPage() {
  const { query } = useLocation();
  const search = query.q?.trim() ?? '';
  const category = query.category ?? '';
  return (
    <Page title={search ? `Results for “${search}”` : category ? `Category: ${category}` : 'Shop'}>
      <CatalogFilters search={search} category={category} />
      {/* A new search or category starts again from the first page. */}
      <CatalogPages key={`${search}\n${category}`} search={search} category={category} />
    </Page>
  );
}

function CatalogFilters({ search, category }: { search: string; category: string }) {
  const { route } = useLocation();
  const [categories] = useQuery({ query: CategoriesQuery });
  const go = (form: HTMLFormElement) => {
    const data = new FormData(form);
    const params = new URLSearchParams();
    const q = String(data.get('q') ?? '').trim();
    const chosen = String(data.get('category') ?? '');
    if (q) params.set('q', q);
    if (chosen) params.set('category', chosen);
    const text = params.toString();
    route(text ? `/?${text}` : '/');
  };
  return (
    <search aria-label="Search the shop">
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          go(event.currentTarget);
        }}
      >
        <div class="field">
          <label for="search">Search products</label>
          <input
            id="search"
            key={search}
            name="q"
            type="search"
            defaultValue={search}
            maxLength={100}
          />
        </div>
        <div class="field">
          <label for="category">Category</label>
          <select
            id="category"
            name="category"
            value={category}
            onChange={(event) => {
              if (event.currentTarget.form) go(event.currentTarget.form);
            }}
          >
            <option value="">All categories</option>
            {categories.data?.categories.map((entry) => (
              <option key={entry.name} value={entry.name}>
                {entry.name} ({entry.productCount})
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button">
          Search
        </button>
      </form>
    </search>
  );
}

/** The pages loaded so far: the first, then one more per "Show more". */
function CatalogPages({ search, category }: { search: string; category: string }) {
  const { cursors, more } = useCursorPages();
  return (
    <section aria-label="Products" class="catalog">
      {cursors.map((after, index) => (
        <CatalogChunk
          key={after ?? 'first'}
          search={search}
          category={category}
          after={after}
          last={index === cursors.length - 1}
          onMore={more}
        />
      ))}
    </section>
  );
}

function CatalogChunk(props: {
  search: string;
  category: string;
  after: string | undefined;
  last: boolean;
  onMore: (cursor: string) => void;
}) {
  const [result] = useQuery({
    query: CatalogQuery,
    variables: {
      first: PAGE_SIZE,
      ...(props.search ? { search: props.search } : {}),
      ...(props.category ? { category: props.category } : {}),
      ...(props.after ? { after: props.after } : {}),
    },
  });
  const products = useMemo(
    () => result.data?.products.edges.map((edge) => readFragment(ProductFields, edge.node)) ?? [],
    [result.data],
  );
  if (result.fetching && !result.data) return <Loading what="products" />;
  if (result.error && !result.data) return <ErrorAlert message={errorMessage(result.error)} />;
  const pageInfo = result.data?.products.pageInfo;
  return (
    <>
      <ProductGrid
        products={products}
        first={props.after === undefined}
        empty="No products match. Try another search or category."
      />
      {props.last && (
        <ShowMore
          pageInfo={pageInfo}
          label="Show more products"
          onMore={props.onMore}
          className="button show-more"
        />
      )}
    </>
  );
}
