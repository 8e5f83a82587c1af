import { useState } from 'preact/hooks';
import type { Product, Variant } from '../cart/cart.js';
import { lineName } from '../cart/guest-cart.js';
import { Field } from '../components/field.js';
import { ErrorAlert } from '../components/messages.js';
import { Money } from '../components/money.js';
import { imageOf } from '../components/product-image.js';
import { StockBadge, type StockLevel } from '../components/stock.js';
import {
  AddVariantMutation,
  ProductFields,
  RemoveVariantMutation,
  RestockMutation,
  UpdateVariantMutation,
} from '../graphql/documents.js';
import { readFragment } from '../graphql/graphql.js';
import { useSession } from '../session/session.js';
import { errorMessage } from '../utils/errors.js';
import { formFields } from '../utils/form.js';
import { centsOf, PRICE_REFUSED } from './admin-products.js';

type Saved = (next: Product, message: string) => void;

/**
 * A product's variants as a table: each with its options, SKU, price, live stock and a
 * restock, the picture it shows, and a removal (never of the last one); then a form to add a
 * variant, which may name a new value of an option (or, for a product without options, its
 * first option).
 */
export function VariantsEditor({
  product,
  stock,
  onSaved,
}: {
  product: Product;
  stock: Record<string, StockLevel>;
  onSaved: Saved;
}) {
  return (
    <div class="admin-variants">
      <table>
        <caption>Variants of {product.name}</caption>
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col">SKU</th>
            <th scope="col">Price</th>
            <th scope="col">Stock</th>
            <th scope="col">Restock</th>
            <th scope="col">Picture</th>
            <th scope="col">
              <span class="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {product.variants.map((variant) => (
            <VariantRow
              key={variant.sku}
              product={product}
              variant={variant}
              level={stock[variant.sku] ?? variant.stock}
              onSaved={onSaved}
            />
          ))}
        </tbody>
      </table>
      <AddVariant product={product} onSaved={onSaved} />
    </div>
  );
}

function VariantRow({
  product,
  variant,
  level,
  onSaved,
}: {
  product: Product;
  variant: Variant;
  level: StockLevel;
  onSaved: Saved;
}) {
  const { client } = useSession();
  const [error, setError] = useState<string>();
  const [restocked, setRestocked] = useState('');
  const name = lineName({ name: product.name, variantTitle: variant.title });
  const id = (what: string) => `${what}-${variant.sku}`;
  const update = async (
    input: { priceCents?: number; imageId?: string | null },
    message: string,
  ) => {
    const result = await client.urql
      .mutation(UpdateVariantMutation, { sku: variant.sku, input })
      .toPromise();
    if (!result.data) setError(errorMessage(result.error));
    else {
      setError(undefined);
      onSaved(readFragment(ProductFields, result.data.updateVariant), message);
    }
  };
  return (
    <tr>
      <th scope="row">{variant.title}</th>
      <td class="sku">{variant.sku}</td>
      <td>
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            const cents = centsOf(formFields(event.currentTarget).text('price'));
            if (cents === undefined) setError(PRICE_REFUSED);
            else void update({ priceCents: cents }, `${name}: now ${(cents / 100).toFixed(2)}`);
          }}
        >
          <label class="visually-hidden" for={id('price')}>
            Price of {name}
          </label>
          <input
            id={id('price')}
            name="price"
            inputMode="decimal"
            size={7}
            defaultValue={(variant.priceCents / 100).toFixed(2)}
          />
          <button
            type="submit"
            class="button button-small"
            aria-label={`Save the price of ${name}`}
          >
            Save
          </button>
        </form>
        <span class="visually-hidden">
          <Money cents={variant.priceCents} currency={variant.currency} />
        </span>
      </td>
      <td>
        <StockBadge level={level} />
        <span class="reserved">{level.reserved} reserved</span>
      </td>
      <td>
        <form
          class="restock inline-form"
          onSubmit={async (event) => {
            event.preventDefault();
            const form = event.currentTarget;
            const quantity = Number(new FormData(form).get('quantity'));
            const result = await client.urql
              .mutation(RestockMutation, { sku: variant.sku, quantity })
              .toPromise();
            if (!result.data) setError(errorMessage(result.error));
            else {
              setError(undefined);
              setRestocked(`${result.data.restock.available} available`);
              form.reset();
            }
          }}
        >
          <label for={id('restock')}>Restock {name} by</label>
          <input id={id('restock')} name="quantity" type="number" required step={1} />
          <button type="submit" class="button">
            Restock
          </button>
          <span role="status" class="hint">
            {restocked}
          </span>
        </form>
      </td>
      <td>
        {product.images.length > 0 && (
          <>
            <label class="visually-hidden" for={id('image')}>
              Picture of {name}
            </label>
            <select
              id={id('image')}
              value={imageOf(variant.image)?.id ?? ''}
              onChange={(event) => {
                const imageId = event.currentTarget.value || null;
                void update({ imageId }, `${name}: picture saved`);
              }}
            >
              <option value="">None</option>
              {product.images.map((masked) => {
                const image = imageOf(masked);
                return image ? (
                  <option key={image.id} value={image.id}>
                    {image.alt}
                  </option>
                ) : null;
              })}
            </select>
          </>
        )}
      </td>
      <td>
        {product.variants.length > 1 && (
          <button
            type="button"
            class="button button-link"
            aria-label={`Remove the variant ${name}`}
            onClick={async () => {
              const result = await client.urql
                .mutation(RemoveVariantMutation, { sku: variant.sku })
                .toPromise();
              if (!result.data) setError(errorMessage(result.error));
              else
                onSaved(readFragment(ProductFields, result.data.removeVariant), `Removed ${name}`);
            }}
          >
            Remove
          </button>
        )}
        <ErrorAlert message={error} />
      </td>
    </tr>
  );
}

function AddVariant({ product, onSaved }: { product: Product; onSaved: Saved }) {
  const { client } = useSession();
  const [error, setError] = useState<string>();
  const id = (what: string) => `add-${what}-${product.id}`;
  // A product without options names its first one with its first variant.
  const names = product.options.length > 0 ? product.options.map((option) => option.name) : [''];
  return (
    <details class="add-variant">
      <summary>Add a variant to {product.name}</summary>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const fields = formFields(form);
          const priceCents = centsOf(fields.text('price'));
          if (priceCents === undefined) {
            setError(PRICE_REFUSED);
            return;
          }
          const options = names.map((name, i) => ({
            name: name || fields.text('option-name-0'),
            value: fields.text(`option-value-${i}`),
          }));
          const result = await client.urql
            .mutation(AddVariantMutation, {
              productId: product.id,
              input: {
                sku: fields.text('sku'),
                options,
                priceCents,
                initialStock: Number(fields.text('initialStock') || '0'),
              },
            })
            .toPromise();
          if (!result.data) {
            setError(errorMessage(result.error));
            return;
          }
          setError(undefined);
          form.reset();
          onSaved(
            readFragment(ProductFields, result.data.addVariant),
            `Added the variant ${fields.text('sku')}`,
          );
        }}
      >
        <div class="form-grid">
          {names.map((name, i) =>
            name ? (
              <Field
                key={name}
                id={id(`value-${i}`)}
                name={`option-value-${i}`}
                label={name}
                required
                hint={`So far: ${product.options[i]?.values.join(', ')}. A new value is added.`}
              />
            ) : (
              <>
                <Field
                  key="name"
                  id={id('name')}
                  name="option-name-0"
                  label="Option (e.g. Size)"
                  required
                />
                <Field
                  key="value"
                  id={id('value-0')}
                  name="option-value-0"
                  label="Value (e.g. M)"
                  required
                />
              </>
            ),
          )}
          <Field id={id('sku')} name="sku" label="SKU" required maxLength={64} />
          <Field id={id('price')} name="price" label="Price" required inputMode="decimal" />
          <Field
            id={id('stock')}
            name="initialStock"
            label="Initial stock"
            inputMode="numeric"
            pattern="[0-9]+"
            defaultValue="0"
          />
        </div>
        <ErrorAlert message={error} />
        <button type="submit" class="button button-primary">
          Add variant
        </button>
      </form>
    </details>
  );
}
