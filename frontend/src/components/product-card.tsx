import type { Product } from '../cart/cart.js';
import { AddToCart } from './add-to-cart.js';
import { Money } from './money.js';
import { imageOf, ProductImage } from './product-image.js';
import { StockBadge, type StockLevel } from './stock.js';

/** The card sizes: one column on a phone, about 15 rem each from 40 rem on. */
const CARD_SIZES = '(min-width: 40rem) 16rem, 100vw';

/**
 * A product in a list: its picture, name, price ("from" when its variants differ), stock and
 * either "Add to cart" (one variant) or a link to choose among its variants. `stock` holds
 * the live levels of its SKUs; the product is in stock while any of its variants is.
 */
export function ProductCard({
  product,
  stock,
  eager = false,
}: {
  product: Product;
  stock: Record<string, StockLevel>;
  eager?: boolean;
}) {
  const image = imageOf(product.images[0]);
  const prices = product.variants.map((variant) => variant.priceCents);
  const lowest = Math.min(...prices, product.priceCents);
  const varied = new Set(prices).size > 1;
  const single = product.variants.length <= 1;
  const available = product.variants.reduce(
    (sum, variant) => sum + (stock[variant.sku]?.available ?? variant.stock.available),
    0,
  );
  const href = `/products/${encodeURIComponent(product.slug)}`;
  return (
    <li class="product-card">
      <ProductImage image={image} name={product.name} sizes={CARD_SIZES} eager={eager} />
      <h2 class="product-name">
        <a href={href}>{product.name}</a>
      </h2>
      <p class="product-meta">
        <span>
          {varied && 'From '}
          <Money cents={lowest} currency={product.currency} />
        </span>
        <span class="category">{product.category}</span>
      </p>
      {single ? (
        <>
          <StockBadge level={stock[product.sku]} />
          <AddToCart product={product} stock={stock[product.sku]} />
        </>
      ) : (
        <>
          <StockBadge level={{ sku: product.sku, available, reserved: 0 }} />
          <p class="variant-count">
            {product.variants.length} variants
            {product.options.length > 0 &&
              ` (${product.options.map((option) => option.name.toLowerCase()).join(', ')})`}
          </p>
          <a
            class="button choose-options"
            href={href}
            aria-label={`Choose options: ${product.name}`}
          >
            Choose options
          </a>
        </>
      )}
    </li>
  );
}
