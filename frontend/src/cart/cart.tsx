import type { CombinedError } from '@urql/core';
import { type ComponentChildren, createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  AddToCartMutation,
  CartFields,
  CartQuery,
  ClearCartMutation,
  ProductFields,
  UpdateCartItemMutation,
} from '../graphql/documents.js';
import { type FragmentOf, type ResultOf, readFragment } from '../graphql/graphql.js';
import { useSession } from '../session/session.js';
import { errorMessage } from '../utils/errors.js';
import { readStored, writeStored } from '../utils/storage.js';
import {
  addGuestLine,
  type CartChange,
  type GuestLine,
  mergeCalls,
  type ProductSnapshot,
  setGuestQuantity,
} from './guest-cart.js';

export type Product = ResultOf<typeof ProductFields>;
export type Variant = Product['variants'][number];

export interface CartLine {
  sku: string;
  quantity: number;
  product: ProductSnapshot;
  lineTotalCents: number;
}

export interface CartView {
  lines: CartLine[];
  subtotalCents: number;
  currency: string;
  /** Units in the cart, for the header's badge. */
  units: number;
}

/** What a cart change answers: nothing when it worked, else what to tell the shopper. */
export type CartOutcome = { ok: true } | { ok: false; message: string };

export interface CartApi {
  cart: CartView;
  /** False until the account's cart has been loaded (always true for a guest). */
  ready: boolean;
  /** The account's cart, not this browser's. */
  signedIn: boolean;
  /** Adds the variant (default: the product's first) to the cart. */
  add(product: Product, quantity: number, variant?: Variant): Promise<CartOutcome>;
  setQuantity(sku: string, quantity: number): Promise<CartOutcome>;
  clear(): Promise<CartOutcome>;
  /** Loads the account's cart again (after checkout emptied it). */
  refresh(): Promise<void>;
}

const GUEST_CART_KEY = 'orderly.guest-cart';
const EMPTY: CartView = { lines: [], subtotalCents: 0, currency: 'EUR', units: 0 };

function snapshotOf(
  product: Pick<Product, 'id' | 'slug' | 'name' | 'currency'>,
  variant: { title: string; priceCents: number },
): ProductSnapshot {
  const { id, slug, name, currency } = product;
  return { id, slug, name, currency, variantTitle: variant.title, priceCents: variant.priceCents };
}

/** The variant a line of `product` sells: the one chosen, else its first. */
function variantOf(product: Product, variant: Variant | undefined) {
  return (
    variant ??
    product.variants[0] ?? { sku: product.sku, title: 'Default', priceCents: product.priceCents }
  );
}

function guestView(lines: readonly GuestLine[]): CartView {
  const view = lines.map((line) => ({
    ...line,
    lineTotalCents: line.product.priceCents * line.quantity,
  }));
  return {
    lines: view,
    subtotalCents: view.reduce((sum, line) => sum + line.lineTotalCents, 0),
    currency: lines[0]?.product.currency ?? EMPTY.currency,
    units: lines.reduce((sum, line) => sum + line.quantity, 0),
  };
}

function serverView(cart: FragmentOf<typeof CartFields>): CartView {
  const data = readFragment(CartFields, cart);
  const lines = data.items.map((item) => ({
    sku: item.sku,
    quantity: item.quantity,
    lineTotalCents: item.lineTotalCents,
    product: snapshotOf(readFragment(ProductFields, item.product), item.variant),
  }));
  return {
    lines,
    subtotalCents: data.subtotalCents,
    currency: data.currency,
    units: lines.reduce((sum, line) => sum + line.quantity, 0),
  };
}

const CartContext = createContext<CartApi | undefined>(undefined);

/**
 * The shopper's cart: the account's cart on the server when signed in, this browser's guest
 * cart otherwise. At login the guest cart's lines are added to the account's cart, each
 * line removed from this browser as soon as the server has it (a reload halfway through
 * adds nothing twice); at logout only an empty guest cart is left.
 */
export function CartProvider({ children }: { children: ComponentChildren }) {
  const { user, client } = useSession();
  const [guestLines, setGuestLines] = useState<GuestLine[]>(() =>
    readStored<GuestLine[]>(GUEST_CART_KEY, []),
  );
  const [serverCart, setServerCart] = useState<CartView | undefined>(undefined);
  const guestRef = useRef(guestLines);
  guestRef.current = guestLines;

  const storeGuest = useCallback((lines: GuestLine[]) => {
    writeStored(GUEST_CART_KEY, lines);
    setGuestLines(lines);
  }, []);

  const loadServerCart = useCallback(async () => {
    const result = await client.urql
      .query(CartQuery, {}, { requestPolicy: 'network-only' })
      .toPromise();
    if (result.data) setServerCart(serverView(result.data.cart));
  }, [client]);

  const userId = user?.id;
  useEffect(() => {
    setServerCart(undefined);
    if (!userId) {
      setGuestLines(readStored<GuestLine[]>(GUEST_CART_KEY, []));
      return;
    }
    let current = true;
    void (async () => {
      let remaining = [...guestRef.current];
      merging: for (const line of [...remaining]) {
        for (const call of mergeCalls(line)) {
          const result = await client.urql.mutation(AddToCartMutation, call).toPromise();
          // Unreachable: keep the rest in this browser for the next page load. Refused (the
          // product is gone, the cart is full): the server has decided, the line goes.
          if (result.error?.networkError) break merging;
        }
        remaining = remaining.filter((other) => other.sku !== line.sku);
        storeGuest(remaining);
      }
      if (current) await loadServerCart();
    })();
    return () => {
      current = false;
    };
  }, [userId, client, loadServerCart, storeGuest]);

  const applyServer = useCallback(
    (result: {
      data?: { [field: string]: FragmentOf<typeof CartFields> } | undefined;
      error?: CombinedError | undefined;
    }): CartOutcome => {
      const cart = result.data ? Object.values(result.data)[0] : undefined;
      if (cart) setServerCart(serverView(cart));
      return result.error || !cart
        ? { ok: false, message: errorMessage(result.error) || 'The cart did not change' }
        : { ok: true };
    },
    [],
  );
  const applyGuest = useCallback(
    (change: CartChange): CartOutcome => {
      if ('error' in change) return { ok: false, message: change.error };
      storeGuest(change.lines);
      return { ok: true };
    },
    [storeGuest],
  );

  const api = useMemo<CartApi>(() => {
    const signedIn = user !== undefined;
    return {
      cart: signedIn ? (serverCart ?? EMPTY) : guestView(guestLines),
      ready: !signedIn || serverCart !== undefined,
      signedIn,
      async add(product, quantity, chosen) {
        const variant = variantOf(product, chosen);
        if (!signedIn) {
          return applyGuest(
            addGuestLine(guestRef.current, variant.sku, snapshotOf(product, variant), quantity),
          );
        }
        return applyServer(
          await client.urql.mutation(AddToCartMutation, { sku: variant.sku, quantity }).toPromise(),
        );
      },
      async setQuantity(sku, quantity) {
        if (!signedIn) return applyGuest(setGuestQuantity(guestRef.current, sku, quantity));
        return applyServer(
          await client.urql.mutation(UpdateCartItemMutation, { sku, quantity }).toPromise(),
        );
      },
      async clear() {
        if (!signedIn) return applyGuest({ lines: [] });
        return applyServer(await client.urql.mutation(ClearCartMutation, {}).toPromise());
      },
      refresh: loadServerCart,
    };
  }, [user, client, serverCart, guestLines, applyGuest, applyServer, loadServerCart]);

  return <CartContext.Provider value={api}>{children}</CartContext.Provider>;
}

export function useCart(): CartApi {
  const cart = useContext(CartContext);
  if (!cart) throw new Error('useCart outside CartProvider');
  return cart;
}
