import { useQuery } from '@urql/preact';
import { useMemo } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ErrorAlert, Loading } from '../components/messages.js';
import { Page } from '../components/page.js';
import { ProductGrid } from '../components/product-grid.js';
import { ShowMore, useCursorPages } from '../components/show-more.js';
import { CollectionQuery, CollectionsQuery, ProductFields } from '../graphql/documents.js';
import { readFragment } from '../graphql/graphql.js';
import { errorMessage } from '../utils/errors.js';

const PAGE_SIZE = 12;

/** Every collection the shop curates, each with its own page. */
export function CollectionsPage() {
  const [result] = useQuery({ query: CollectionsQuery });
  if (result.fetching && !result.data) return <Loading what="collections" />;
  if (result.error) return <ErrorAlert message={errorMessage(result.error)} />;
  const collections = result.data?.collections ?? [];
  return (
    <Page title="Collections">
      {collections.length === 0 ? (
        <p class="empty">No collections yet.</p>
      ) : (
        <ul class="collection-list">
          {collections.map((collection) => (
            <li key={collection.id} class="collection-card">
              <h2>
                <a href={`/collections/${encodeURIComponent(collection.slug)}`}>
                  {collection.title}
                </a>
              </h2>
              {collection.description && <p>{collection.description}</p>}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

/** A collection's page: its title, its description, its products in pages with live stock. */
export function CollectionPage() {
  const { params } = useRoute();
  const slug = params.slug ?? '';
  const { cursors, more } = useCursorPages();
  return (
    <CollectionHeader slug={slug}>
      <section aria-label="Products" class="catalog">
        {cursors.map((after, index) => (
          <CollectionChunk
            key={after ?? 'first'}
            slug={slug}
            after={after}
            last={index === cursors.length - 1}
            onMore={more}
          />
        ))}
      </section>
    </CollectionHeader>
  );
}

function CollectionHeader({
  slug,
  children,
}: {
  slug: string;
  children: preact.ComponentChildren;
}) {
  const [result] = useQuery({ query: CollectionQuery, variables: { slug, first: PAGE_SIZE } });
  if (result.fetching && !result.data) return <Loading what="the collection" />;
  if (result.error) return <ErrorAlert message={errorMessage(result.error)} />;
  const collection = result.data?.collection;
  if (!collection) {
    return (
      <Page title="Collection not found">
        <p>
          There is no such collection. <a href="/collections">See every collection</a>
        </p>
      </Page>
    );
  }
  return (
    <Page title={collection.title}>
      {collection.description && <p class="lead">{collection.description}</p>}
      {children}
    </Page>
  );
}

function CollectionChunk(props: {
  slug: string;
  after: string | undefined;
  last: boolean;
  onMore: (cursor: string) => void;
}) {
  const [result] = useQuery({
    query: CollectionQuery,
    variables: {
      slug: props.slug,
      first: PAGE_SIZE,
      ...(props.after ? { after: props.after } : {}),
    },
  });
  const connection = result.data?.collection?.products;
  const products = useMemo(
    () => connection?.edges.map((edge) => readFragment(ProductFields, edge.node)) ?? [],
    [connection],
  );
  if (result.fetching && !result.data) return <Loading what="products" />;
  if (result.error && !result.data) return <ErrorAlert message={errorMessage(result.error)} />;
  return (
    <>
      <ProductGrid
        products={products}
        first={props.after === undefined}
        empty="Nothing in this collection yet."
      />
      {props.last && (
        <ShowMore
          pageInfo={connection?.pageInfo}
          label="Show more products"
          onMore={props.onMore}
          className="button show-more"
        />
      )}
    </>
  );
}
