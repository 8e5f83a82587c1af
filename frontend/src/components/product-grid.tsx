import { useMemo } from 'preact/hooks';
import type { Product } from '../cart/cart.js';
import { ProductCard } from './product-card.js';
import { type StockLevel, useLiveStock } from './stock.js';

/**
 * One page of products as cards, each with the live stock of its variants; `empty` when the
 * first page has none. The first cards load their pictures at once (they are on screen).
 */
export function ProductGrid({
  products,
  first,
  empty,
  className = 'product-grid',
  label,
}: {
  products: readonly Product[];
  /** The first page of a list (a later page with nothing in it shows nothing). */
  first: boolean;
  empty: string;
  className?: string;
  label?: string;
}) {
  const stock = useLiveStock(useMemo(() => variantLevels(products), [products]));
  if (products.length === 0) return first ? <p class="empty">{empty}</p> : null;
  return (
    <ul class={className} aria-label={label}>
      {products.map((product, index) => (
        <ProductCard key={product.id} product={product} stock={stock} eager={first && index < 4} />
      ))}
    </ul>
  );
}

/** The SKU levels a list of products starts with, for useLiveStock. */
export function variantLevels(products: readonly Product[]): StockLevel[] {
  return products.flatMap((product) => product.variants.map((variant) => variant.stock));
}
