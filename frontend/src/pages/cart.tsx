import { useQuery } from '@urql/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ORDER_LIMITS } from '../../../shared/limits/limits.js';
import { type CartLine, useCart } from '../cart/cart.js';
import { lineName } from '../cart/guest-cart.js';
import { ErrorAlert, Loading, StatusMessage } from '../components/messages.js';
import { Money } from '../components/money.js';
import { Page } from '../components/page.js';
import { type StockLevel, stockText, useLiveStock } from '../components/stock.js';
import { StockQuery } from '../graphql/documents.js';

const NO_LEVELS: StockLevel[] = [];

export function CartPage() {
  const cart = useCart();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState('');
  const skus = useMemo(() => cart.cart.lines.map((line) => line.sku), [cart.cart.lines]);
  const [levels] = useQuery({
    query: StockQuery,
    variables: { skus },
    pause: skus.length === 0,
    requestPolicy: 'cache-and-network',
  });
  const stock = useLiveStock(levels.data?.stock ?? NO_LEVELS);

  const change = async (line: CartLine, quantity: number) => {
    setError(undefined);
    const outcome = await cart.setQuantity(line.sku, quantity);
    if (!outcome.ok) setError(outcome.message);
    else
      setStatus(
        quantity === 0
          ? `Removed ${lineName(line.product)}`
          : `${lineName(line.product)}: ${quantity}`,
      );
  };

  if (!cart.ready) return <Loading what="your cart" />;
  const { lines, subtotalCents, currency } = cart.cart;
  return (
    <Page title="Your cart">
      <ErrorAlert message={error} />
      <StatusMessage>{status}</StatusMessage>
      {lines.length === 0 ? (
        <p class="empty">
          Your cart is empty. <a href="/">Find something in the shop</a>
        </p>
      ) : (
        <>
          <ul class="cart-lines">
            {lines.map((line) => (
              <CartRow key={line.sku} line={line} stock={stock[line.sku]} onChange={change} />
            ))}
          </ul>
          <p class="subtotal">
            Subtotal: <Money cents={subtotalCents} currency={currency} />
          </p>
          <div class="actions">
            {cart.signedIn ? (
              <a class="button button-primary" href="/checkout">
                Go to checkout
              </a>
            ) : (
              <a class="button button-primary" href="/sign-in?next=/checkout">
                Sign in to check out
              </a>
            )}
            <button
              type="button"
              class="button"
              onClick={async () => {
                const outcome = await cart.clear();
                if (!outcome.ok) setError(outcome.message);
                else setStatus('Your cart is empty');
              }}
            >
              Empty the cart
            </button>
          </div>
          {!cart.signedIn && (
            <p class="hint">
              Your cart is kept in this browser and joins your account's cart when you sign in.
            </p>
          )}
        </>
      )}
    </Page>
  );
}

function CartRow({
  line,
  stock,
  onChange,
}: {
  line: CartLine;
  stock: StockLevel | undefined;
  onChange: (line: CartLine, quantity: number) => Promise<void>;
}) {
  const id = `qty-${line.sku}`;
  // What the shopper is typing; the cart's quantity again whenever that changes.
  const [typed, setTyped] = useState(String(line.quantity));
  useEffect(() => setTyped(String(line.quantity)), [line.quantity]);
  const short = stock !== undefined && stock.available < line.quantity;
  return (
    <li class="cart-line">
      <div class="cart-line-name">
        <a href={`/products/${encodeURIComponent(line.product.slug)}`}>{lineName(line.product)}</a>
        <span class="unit-price">
          <Money cents={line.product.priceCents} currency={line.product.currency} /> each
        </span>
        {stock && (
          <span class={short ? 'stock stock-out' : 'stock'} aria-live="polite">
            {short ? `Only ${stock.available} available now` : stockText(stock)}
          </span>
        )}
      </div>
      <div class="quantity">
        <button
          type="button"
          class="button button-small"
          aria-label={`One fewer ${lineName(line.product)}`}
          onClick={() => onChange(line, line.quantity - 1)}
        >
          −
        </button>
        <label class="visually-hidden" for={id}>
          Quantity of {lineName(line.product)}
        </label>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={0}
          max={ORDER_LIMITS.maxQuantityPerLine}
          value={typed}
          onInput={(event) => setTyped(event.currentTarget.value)}
          onChange={(event) => {
            const value = Number(event.currentTarget.value);
            if (Number.isInteger(value) && value >= 0) void onChange(line, value);
          }}
        />
        <button
          type="button"
          class="button button-small"
          aria-label={`One more ${lineName(line.product)}`}
          onClick={() => onChange(line, line.quantity + 1)}
        >
          +
        </button>
      </div>
      <Money cents={line.lineTotalCents} currency={line.product.currency} />
      <button
        type="button"
        class="button button-link"
        aria-label={`Remove ${lineName(line.product)}`}
        onClick={() => onChange(line, 0)}
      >
        Remove
      </button>
    </li>
  );
}
