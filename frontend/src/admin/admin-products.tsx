import { useQuery } from '@urql/preact';
import { useMemo, useState } from 'preact/hooks';
import type { Product } from '../cart/cart.js';
import { Field, TextAreaField } from '../components/field.js';
import { ErrorAlert, Loading, StatusMessage } from '../components/messages.js';
import { Money } from '../components/money.js';
import { variantLevels } from '../components/product-grid.js';
import { type StockLevel, useLiveStock } from '../components/stock.js';
import {
  CatalogQuery,
  CollectionsQuery,
  CreateProductMutation,
  ProductFields,
  UpdateProductMutation,
} from '../graphql/documents.js';
import { readFragment } from '../graphql/graphql.js';
import { useSession } from '../session/session.js';
import { errorMessage } from '../utils/errors.js';
import { type FormFields, formFields } from '../utils/form.js';
import { ImagesEditor } from './product-images-editor.js';
import { VariantsEditor } from './product-variants-editor.js';

const PAGE_SIZE = 50;

/** "12.50" → 1250; undefined when it is not an amount. */
export function centsOf(text: string): number | undefined {
  const match = /^\s*(\d+)(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

export const PRICE_REFUSED = 'The price is an amount such as 12.50';

/** What the create and edit forms share; undefined when the price is not an amount. */
function productDetails(form: FormFields) {
  const priceCents = centsOf(form.text('price'));
  if (priceCents === undefined) return undefined;
  return {
    name: form.text('name'),
    description: form.text('description'),
    category: form.text('category'),
    priceCents,
  };
}

/** Every product with its variants' live stock, a form to create one, and each one's editors. */
export function ProductsSection() {
  const [after, setAfter] = useState<string>();
  const [result, reexecute] = useQuery({
    query: CatalogQuery,
    variables: { first: PAGE_SIZE, ...(after ? { after } : {}) },
    requestPolicy: 'cache-and-network',
  });
  const products = useMemo(
    () => result.data?.products.edges.map((edge) => readFragment(ProductFields, edge.node)) ?? [],
    [result.data],
  );
  const stock = useLiveStock(useMemo(() => variantLevels(products), [products]));
  const pageInfo = result.data?.products.pageInfo;
  return (
    <>
      <CreateProduct onCreated={() => reexecute({ requestPolicy: 'network-only' })} />
      <h2>Products</h2>
      {result.fetching && !result.data && <Loading what="products" />}
      <ErrorAlert message={result.error ? errorMessage(result.error) : undefined} />
      <ul class="admin-products">
        {products.map((product) => (
          <AdminProduct key={product.id} product={product} stock={stock} />
        ))}
      </ul>
      <div class="actions">
        {after && (
          <button type="button" class="button" onClick={() => setAfter(undefined)}>
            First page
          </button>
        )}
        {pageInfo?.hasNextPage && pageInfo.endCursor && (
          <button
            type="button"
            class="button"
            onClick={() => setAfter(pageInfo.endCursor ?? undefined)}
          >
            Next page
          </button>
        )}
      </div>
    </>
  );
}

function CreateProduct({ onCreated }: { onCreated: () => void }) {
  const { client } = useSession();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState('');
  return (
    <details class="create-product">
      <summary>Create a product</summary>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const fields = formFields(form);
          const details = productDetails(fields);
          if (!details) {
            setError(PRICE_REFUSED);
            return;
          }
          setError(undefined);
          const result = await client.urql
            .mutation(CreateProductMutation, {
              input: {
                ...details,
                sku: fields.text('sku'),
                currency: fields.text('currency').toUpperCase(),
                initialStock: Number(fields.text('initialStock') || '0'),
              },
            })
            .toPromise();
          if (!result.data) {
            setError(errorMessage(result.error));
            return;
          }
          setStatus(
            `Created ${readFragment(ProductFields, result.data.createProduct).name}: add its variants and pictures below`,
          );
          form.reset();
          onCreated();
        }}
      >
        <p class="hint">
          The SKU, price and stock are the first variant's. Add sizes or colours as variants once it
          exists.
        </p>
        <div class="form-grid">
          <Field id="new-sku" name="sku" label="SKU" required maxLength={64} />
          <Field id="new-name" name="name" label="Name" required maxLength={200} />
          <Field id="new-category" name="category" label="Category" required />
          <Field
            id="new-price"
            name="price"
            label="Price (e.g. 12.50)"
            required
            inputMode="decimal"
          />
          <Field
            id="new-currency"
            name="currency"
            label="Currency"
            required
            defaultValue="EUR"
            maxLength={3}
          />
          <Field
            id="new-initialStock"
            name="initialStock"
            label="Initial stock"
            inputMode="numeric"
            pattern="[0-9]+"
            defaultValue="0"
          />
        </div>
        <TextAreaField
          id="new-description"
          name="description"
          label="Description"
          required
          rows={3}
        />
        <ErrorAlert message={error} />
        <StatusMessage>{status}</StatusMessage>
        <button type="submit" class="button button-primary">
          Create product
        </button>
      </form>
    </details>
  );
}

/**
 * One product in the admin: its summary, its variants (stock, restock, price, picture), its
 * pictures, its collections and its details. Every editor answers with the product as saved.
 */
function AdminProduct({
  product: loaded,
  stock,
}: {
  product: Product;
  stock: Record<string, StockLevel>;
}) {
  const [product, setProduct] = useState(loaded);
  const [editing, setEditing] = useState(false);
  const [status, setStatus] = useState('');
  const saved = (next: Product, message: string) => {
    setProduct(next);
    setStatus(message);
  };
  return (
    <li class="admin-product" data-sku={product.sku}>
      <div class="admin-product-head">
        <h3>{product.name}</h3>
        <span class="sku">{product.sku}</span>
        <Money cents={product.priceCents} currency={product.currency} />
        <span>{product.category}</span>
        <a href={`/products/${encodeURIComponent(product.slug)}`}>View in the shop</a>
      </div>
      <VariantsEditor product={product} stock={stock} onSaved={saved} />
      <ImagesEditor product={product} onSaved={saved} />
      <CollectionsEditor product={product} onSaved={saved} />
      <button
        type="button"
        class="button button-link"
        aria-expanded={editing}
        onClick={() => setEditing(!editing)}
      >
        {editing ? 'Close the editor' : `Edit ${product.name}`}
      </button>
      {editing && (
        <EditDetails
          product={product}
          onSaved={(next) => {
            saved(next, `Saved ${next.name}`);
            setEditing(false);
          }}
        />
      )}
      <StatusMessage>{status}</StatusMessage>
    </li>
  );
}

function EditDetails({ product, onSaved }: { product: Product; onSaved: (next: Product) => void }) {
  const { client } = useSession();
  const [error, setError] = useState<string>();
  const idOf = (field: string) => `${field}-${product.id}`;
  return (
    <form
      class="edit-product"
      onSubmit={async (event) => {
        event.preventDefault();
        const details = productDetails(formFields(event.currentTarget));
        if (!details) {
          setError(PRICE_REFUSED);
          return;
        }
        const result = await client.urql
          .mutation(UpdateProductMutation, { id: product.id, input: details })
          .toPromise();
        if (!result.data) setError(errorMessage(result.error));
        else onSaved(readFragment(ProductFields, result.data.updateProduct));
      }}
    >
      <Field id={idOf('name')} label="Name" name="name" required defaultValue={product.name} />
      <Field
        id={idOf('category')}
        label="Category"
        name="category"
        required
        defaultValue={product.category}
      />
      <Field
        id={idOf('price')}
        label="Price"
        name="price"
        required
        inputMode="decimal"
        hint="The first variant's price"
        defaultValue={(product.priceCents / 100).toFixed(2)}
      />
      <TextAreaField
        id={idOf('description')}
        label="Description"
        name="description"
        required
        rows={3}
        defaultValue={product.description}
      />
      <ErrorAlert message={error} />
      <button type="submit" class="button button-primary">
        Save
      </button>
    </form>
  );
}

/** The collections a product is in: a checkbox per collection, saved together. */
function CollectionsEditor({
  product,
  onSaved,
}: {
  product: Product;
  onSaved: (next: Product, message: string) => void;
}) {
  const { client } = useSession();
  const [collections] = useQuery({ query: CollectionsQuery });
  const [error, setError] = useState<string>();
  const all = collections.data?.collections ?? [];
  if (all.length === 0) return null;
  const inIt = new Set(product.collections.map((collection) => collection.slug));
  return (
    <form
      class="admin-collections-of"
      onSubmit={async (event) => {
        event.preventDefault();
        const chosen = new FormData(event.currentTarget).getAll('collection').map(String);
        const result = await client.urql
          .mutation(UpdateProductMutation, { id: product.id, input: { collections: chosen } })
          .toPromise();
        if (!result.data) setError(errorMessage(result.error));
        else
          onSaved(
            readFragment(ProductFields, result.data.updateProduct),
            `Saved the collections of ${product.name}`,
          );
      }}
    >
      <fieldset>
        <legend>Collections of {product.name}</legend>
        {all.map((collection) => {
          const id = `collection-${product.id}-${collection.slug}`;
          return (
            <div key={collection.slug} class="facet-value">
              <input
                id={id}
                type="checkbox"
                name="collection"
                value={collection.slug}
                defaultChecked={inIt.has(collection.slug)}
              />
              <label for={id}>{collection.title}</label>
            </div>
          );
        })}
        <button type="submit" class="button">
          Save collections
        </button>
      </fieldset>
      <ErrorAlert message={error} />
    </form>
  );
}
