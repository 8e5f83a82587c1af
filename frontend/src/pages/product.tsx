import { useQuery } from '@urql/preact';
import { useMemo, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ORDER_LIMITS } from '../../../shared/limits/limits.js';
import type { Product, Variant } from '../cart/cart.js';
import {
  type Choice,
  choiceOf,
  initialVariant,
  valueState,
  variantFor,
} from '../catalog/variant-choice.js';
import { AddToCart } from '../components/add-to-cart.js';
import { Gallery } from '../components/gallery.js';
import { ErrorAlert, Loading } from '../components/messages.js';
import { Money } from '../components/money.js';
import { Page } from '../components/page.js';
import { imageOf } from '../components/product-image.js';
import { StockBadge, type StockLevel, useLiveStock } from '../components/stock.js';
import { ProductFields, ProductQuery } from '../graphql/documents.js';
import { readFragment } from '../graphql/graphql.js';
import { errorMessage } from '../utils/errors.js';

/**
 * A product: its pictures, and for a product with options a picker whose choice names one
 * variant (its price, its live stock, its picture, the SKU added to the cart). The chosen
 * variant is in the address (`?variant=SKU`), so it can be shared and survives a reload.
 */
export function ProductPage() {
  const { params } = useRoute();
  const slug = params.slug ?? '';
  const [result] = useQuery({ query: ProductQuery, variables: { slug } });
  const product = result.data?.product ? readFragment(ProductFields, result.data.product) : null;
  const stock = useLiveStock(
    useMemo(() => product?.variants.map((variant) => variant.stock) ?? [], [product]),
  );

  if (result.fetching && !result.data) return <Loading what="the product" />;
  if (result.error) return <ErrorAlert message={errorMessage(result.error)} />;
  if (!product) {
    return (
      <Page title="Product not found">
        <p>
          There is no such product. <a href="/">Back to the shop</a>
        </p>
      </Page>
    );
  }
  return <ProductDetail key={product.id} product={product} stock={stock} />;
}

function ProductDetail({
  product,
  stock,
}: {
  product: Product;
  stock: Record<string, StockLevel>;
}) {
  const { query, path, route } = useLocation();
  const availableOf = (variant: Variant) =>
    stock[variant.sku]?.available ?? variant.stock.available;
  const optionNames = product.options.map((option) => option.name);
  const [choice, setChoice] = useState<Choice>(() => {
    const opening = initialVariant(product.variants, query.variant, availableOf);
    return opening ? choiceOf(opening) : {};
  });
  // Without options the product has one variant; with them, the one the choice names, if made.
  const variant =
    optionNames.length === 0
      ? product.variants[0]
      : variantFor(product.variants, optionNames, choice);
  const [quantity, setQuantity] = useState(1);

  const choose = (name: string, value: string) => {
    const next = { ...choice, [name]: value };
    setChoice(next);
    const chosen = variantFor(product.variants, optionNames, next);
    if (chosen) route(`${path}?variant=${encodeURIComponent(chosen.sku)}`, true);
  };

  const level = variant ? stock[variant.sku] : undefined;
  const max = Math.max(1, Math.min(ORDER_LIMITS.maxQuantityPerAdd, level?.available ?? 1));
  const images = product.images
    .map((image) => imageOf(image))
    .filter((image) => image !== undefined);
  const shown = imageOf(variant?.image) ?? images[0];
  return (
    <Page title={product.name}>
      <div class="product-detail">
        <Gallery images={images} shown={shown} name={product.name} />
        <div>
          <p class="price" aria-live="polite">
            <Money
              cents={variant?.priceCents ?? product.priceCents}
              currency={variant?.currency ?? product.currency}
            />
          </p>
          <p class="description">{product.description}</p>
          {optionNames.length > 0 && (
            <OptionPicker
              product={product}
              choice={choice}
              availableOf={availableOf}
              onChoose={choose}
            />
          )}
          {variant ? (
            <StockBadge level={level} />
          ) : (
            <p class="stock stock-out" role="status">
              This combination is not made. Choose another.
            </p>
          )}
          <div class="field field-inline">
            <label for="quantity">Quantity</label>
            <input
              id="quantity"
              type="number"
              inputMode="numeric"
              min={1}
              max={max}
              value={quantity}
              onInput={(event) => {
                const value = Number(event.currentTarget.value);
                if (Number.isInteger(value) && value >= 1) setQuantity(Math.min(value, max));
              }}
            />
          </div>
          <AddToCart
            product={product}
            variant={variant ?? null}
            stock={level}
            quantity={quantity}
          />
          <dl class="facts">
            <dt>Category</dt>
            <dd>
              <a href={`/?category=${encodeURIComponent(product.category)}`}>{product.category}</a>
            </dd>
            <dt>SKU</dt>
            <dd>{variant?.sku ?? '—'}</dd>
            {product.collections.length > 0 && (
              <>
                <dt>Collections</dt>
                <dd>
                  {product.collections.map((collection, i) => (
                    <span key={collection.slug}>
                      {i > 0 && ', '}
                      <a href={`/collections/${encodeURIComponent(collection.slug)}`}>
                        {collection.title}
                      </a>
                    </span>
                  ))}
                </dd>
              </>
            )}
          </dl>
          <p>
            <a href="/">← Back to the shop</a>
          </p>
        </div>
      </div>
    </Page>
  );
}

const STATE_NOTE = { available: '', 'sold-out': 'sold out', unavailable: 'not made' } as const;

/**
 * One group of choices per option (a radio group: arrow keys move within it). Each value
 * says what picking it would give with the other choices: a value that is sold out or not
 * made in that combination is marked, in words too, and still shown.
 */
function OptionPicker({
  product,
  choice,
  availableOf,
  onChoose,
}: {
  product: Product;
  choice: Choice;
  availableOf: (variant: Variant) => number;
  onChoose: (name: string, value: string) => void;
}) {
  const optionNames = product.options.map((option) => option.name);
  return (
    <div class="option-picker">
      {product.options.map((option) => (
        <fieldset key={option.name} class="option">
          <legend>
            {option.name}
            {choice[option.name] && <span class="chosen">: {choice[option.name]}</span>}
          </legend>
          <div class="option-values">
            {option.values.map((value) => {
              const state = valueState(
                product.variants,
                optionNames,
                choice,
                option.name,
                value,
                availableOf,
              );
              const id = `option-${option.name}-${value}`.replace(/[^A-Za-z0-9-]/g, '_');
              return (
                <label key={value} for={id} class={`option-value option-${state}`}>
                  <input
                    id={id}
                    type="radio"
                    name={`option-${option.name}`}
                    value={value}
                    checked={choice[option.name] === value}
                    onChange={() => onChoose(option.name, value)}
                  />
                  <span>{value}</span>
                  {state !== 'available' && <span class="option-note">{STATE_NOTE[state]}</span>}
                </label>
              );
            })}
          </div>
        </fieldset>
      ))}
    </div>
  );
}
