import { useQuery } from '@urql/preact';
import { useMemo, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ORDER_LIMITS } from '../../../shared/limits/limits.js';
import { AddToCart } from '../components/add-to-cart.js';
import { ErrorAlert, Loading } from '../components/messages.js';
import { Money } from '../components/money.js';
import { Page } from '../components/page.js';
import { StockBadge, useLiveStock } from '../components/stock.js';
import { ProductFields, ProductQuery } from '../graphql/documents.js';
import { readFragment } from '../graphql/graphql.js';
import { errorMessage } from '../utils/errors.js';

export function ProductPage() {
  const { params } = useRoute();
  const slug = params.slug ?? '';
  const [result] = useQuery({ query: ProductQuery, variables: { slug } });
  const product = result.data?.product ? readFragment(ProductFields, result.data.product) : null;
  const stock = useLiveStock(useMemo(() => (product ? [product.stock] : []), [product]));
  const [quantity, setQuantity] = useState(1);

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
  const level = stock[product.sku];
  const max = Math.max(1, Math.min(ORDER_LIMITS.maxQuantityPerAdd, level?.available ?? 1));
  return (
    <Page title={product.name}>
      <div class="product-detail">
        <div class="product-art product-art-large" aria-hidden="true">
          {product.name.slice(0, 1)}
        </div>
        <div>
          <p class="price">
            <Money cents={product.priceCents} currency={product.currency} />
          </p>
          <p>{product.description}</p>
          <dl class="facts">
            <dt>Category</dt>
            <dd>
              <a href={`/?category=${encodeURIComponent(product.category)}`}>{product.category}</a>
            </dd>
            <dt>SKU</dt>
            <dd>{product.sku}</dd>
          </dl>
          <StockBadge level={level} />
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
          <AddToCart product={product} stock={level} quantity={quantity} />
          <p>
            <a href="/">← Back to the shop</a>
          </p>
        </div>
      </div>
    </Page>
  );
}
