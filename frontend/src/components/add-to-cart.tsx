import { useState } from 'preact/hooks';
import { type Product, useCart } from '../cart/cart.js';
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
  stock,
  quantity = 1,
}: {
  product: Product;
  stock: StockLevel | undefined;
  quantity?: number;
}) {
  const cart = useCart();
  const [state, setState] = useState<AddState>({ kind: 'idle' });
  const soldOut = (stock?.available ?? 0) <= 0;
  const add = async () => {
    setState({ kind: 'adding' });
    const outcome = await cart.add(product, quantity);
    setState(outcome.ok ? { kind: 'added' } : { kind: 'failed', message: outcome.message });
  };
  return (
    <div class="add-to-cart">
      <button
        type="button"
        class="button button-primary"
        onClick={add}
        disabled={soldOut || state.kind === 'adding'}
        aria-label={`${soldOut ? 'Sold out' : 'Add to cart'}: ${product.name}`}
        aria-describedby={`add-status-${product.sku}`}
      >
        {soldOut ? 'Sold out' : 'Add to cart'}
      </button>
      <span id={`add-status-${product.sku}`} class="add-status" role="status">
        {state.kind === 'adding' && 'Adding…'}
        {state.kind === 'added' && 'Added to cart'}
        {state.kind === 'failed' && state.message}
      </span>
    </div>
  );
}
