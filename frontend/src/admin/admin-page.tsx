import { useQuery } from '@urql/preact';
import { useMemo, useState } from 'preact/hooks';
import type { Product } from '../cart/cart.js';
import { Field, TextAreaField } from '../components/field.js';
import { ErrorAlert, Loading, StatusMessage } from '../components/messages.js';
import { Money } from '../components/money.js';
import { Page } from '../components/page.js';
import { StockBadge, type StockLevel, useLiveStock } from '../components/stock.js';
import {
  CatalogQuery,
  CreateProductMutation,
  ProductFields,
  RestockMutation,
  UpdateProductMutation,
} from '../graphql/documents.js';
import { readFragment } from '../graphql/graphql.js';
import { useSession } from '../session/session.js';
import { errorMessage } from '../utils/errors.js';
import { type FormFields, formFields } from '../utils/form.js';

const PAGE_SIZE = 50;

/** "12.50" → 1250; undefined when it is not an amount. */
function centsOf(text: string): number | undefined {
  const match = /^\s*(\d+)(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

const PRICE_REFUSED = 'The price is an amount such as 12.50';

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

/**
 * The admin: every product with its live stock, a form to create one, and per product an
 * edit form and a restock. Loaded only when an admin opens it (its own chunk).
 */
export default function AdminPage() {
  const { user } = useSession();
  const [after, setAfter] = useState<string>();
  const [result, reexecute] = useQuery({
    query: CatalogQuery,
    variables: { first: PAGE_SIZE, ...(after ? { after } : {}) },
    pause: user?.role !== 'ADMIN',
    requestPolicy: 'cache-and-network',
  });
  const products = useMemo(
    () => result.data?.products.edges.map((edge) => readFragment(ProductFields, edge.node)) ?? [],
    [result.data],
  );
  const stock = useLiveStock(useMemo(() => products.map((product) => product.stock), [products]));

  if (user?.role !== 'ADMIN') {
    return (
      <Page title="Admin">
        <p>
          This page is for the shop's administrators.{' '}
          {user ? 'Your account is not one.' : <a href="/sign-in?next=/admin">Sign in</a>}
        </p>
      </Page>
    );
  }
  const pageInfo = result.data?.products.pageInfo;
  return (
    <Page title="Admin: products">
      <CreateProduct onCreated={() => reexecute({ requestPolicy: 'network-only' })} />
      <h2>Products</h2>
      {result.fetching && !result.data && <Loading what="products" />}
      <ErrorAlert message={result.error ? errorMessage(result.error) : undefined} />
      <ul class="admin-products">
        {products.map((product) => (
          <AdminProduct key={product.id} product={product} stock={stock[product.sku]} />
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
    </Page>
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
          setStatus(`Created ${readFragment(ProductFields, result.data.createProduct).name}`);
          form.reset();
          onCreated();
        }}
      >
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

function AdminProduct({ product, stock }: { product: Product; stock: StockLevel | undefined }) {
  const { client } = useSession();
  const [editing, setEditing] = useState(false);
  const [shown, setShown] = useState(product);
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState('');
  const idOf = (field: string) => `${field}-${product.sku}`;

  const restock = async (form: HTMLFormElement) => {
    const quantity = Number(new FormData(form).get('quantity'));
    setError(undefined);
    const result = await client.urql
      .mutation(RestockMutation, { sku: product.sku, quantity })
      .toPromise();
    if (!result.data) setError(errorMessage(result.error));
    else {
      setStatus(`${product.name}: ${result.data.restock.available} available`);
      form.reset();
    }
  };
  const save = async (form: HTMLFormElement) => {
    const details = productDetails(formFields(form));
    if (!details) {
      setError(PRICE_REFUSED);
      return;
    }
    const result = await client.urql
      .mutation(UpdateProductMutation, { id: product.id, input: details })
      .toPromise();
    if (!result.data) setError(errorMessage(result.error));
    else {
      setShown(readFragment(ProductFields, result.data.updateProduct));
      setEditing(false);
      setStatus(`Saved ${details.name}`);
    }
  };

  return (
    <li class="admin-product">
      <div class="admin-product-head">
        <h3>{shown.name}</h3>
        <span class="sku">{product.sku}</span>
        <Money cents={shown.priceCents} currency={shown.currency} />
        <span>{shown.category}</span>
        <StockBadge level={stock} />
        <span class="reserved">{stock?.reserved ?? 0} reserved</span>
      </div>
      <form
        class="restock"
        onSubmit={(event) => {
          event.preventDefault();
          void restock(event.currentTarget);
        }}
      >
        <label for={idOf('restock')}>Restock {product.name} by</label>
        <input id={idOf('restock')} name="quantity" type="number" required step={1} />
        <button type="submit" class="button">
          Restock
        </button>
      </form>
      <button
        type="button"
        class="button button-link"
        aria-expanded={editing}
        onClick={() => setEditing(!editing)}
      >
        {editing ? 'Close the editor' : `Edit ${product.name}`}
      </button>
      {editing && (
        <form
          class="edit-product"
          onSubmit={(event) => {
            event.preventDefault();
            void save(event.currentTarget);
          }}
        >
          <Field id={idOf('name')} label="Name" name="name" required defaultValue={shown.name} />
          <Field
            id={idOf('category')}
            label="Category"
            name="category"
            required
            defaultValue={shown.category}
          />
          <Field
            id={idOf('price')}
            label="Price"
            name="price"
            required
            inputMode="decimal"
            defaultValue={(shown.priceCents / 100).toFixed(2)}
          />
          <TextAreaField
            id={idOf('description')}
            label="Description"
            name="description"
            required
            rows={3}
            defaultValue={shown.description}
          />
          <button type="submit" class="button button-primary">
            Save
          </button>
        </form>
      )}
      <ErrorAlert message={error} />
      <StatusMessage>{status}</StatusMessage>
    </li>
  );
}
