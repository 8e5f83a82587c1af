import { useState } from 'preact/hooks';
import { type Product, useCart, type Variant } from '../cart/cart.js';
import { lineName } from '../cart/guest-cart.js';
import type { StockLevel } from './stock.js';

type AddState =
  | { kind: 'idle' }
  | { kind: 'adding' }
  | { kind: 'added' }
  | { kind: 'failed'; message: string };

/**
 * "Add to cart" with its answer beside it: "Adding…" at once, then "Added" (or why not), in a
 * status region, so the shopper sees and hears the outcome without looking for the cart.
 */
export function AddToCart({
  product,
  variant,
  stock,
  quantity = 1,
}: {
  product: Product;
  /** The variant chosen; default the product's first. None at all: nothing to add. */
  variant?: Variant | null;
  stock: StockLevel | undefined;
  quantity?: number;
}) {
  const cart = useCart();
  const [state, setState] = useState<AddState>({ kind: 'idle' });
  const unmade = variant === null;
  const soldOut = unmade || (stock?.available ?? 0) <= 0;
  const name = lineName({
    name: product.name,
    ...(variant ? { variantTitle: variant.title } : {}),
  });
  const sku = variant?.sku ?? product.sku;
  const add = async () => {
    setState({ kind: 'adding' });
    const outcome = await cart.add(product, quantity, variant ?? undefined);
    setState(outcome.ok ? { kind: 'added' } : { kind: 'failed', message: outcome.message });
  };
  return (
    <div class="add-to-cart">
      <button
        type="button"
        class="button button-primary"
        onClick={add}
        disabled={soldOut || state.kind === 'adding'}
        aria-label={`${unmade ? 'Not available' : soldOut ? 'Sold out' : 'Add to cart'}: ${name}`}
        aria-describedby={`add-status-${product.id}`}
      >
        {unmade ? 'Not available' : soldOut ? 'Sold out' : 'Add to cart'}
      </button>
      <span id={`add-status-${product.id}`} class="add-status" role="status" data-sku={sku}>
        {state.kind === 'adding' && 'Adding…'}
        {state.kind === 'added' && 'Added to cart'}
        {state.kind === 'failed' && state.message}
      </span>
    </div>
  );
}
