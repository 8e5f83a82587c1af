import type { Static } from '@sinclair/typebox';
import type { Db } from 'mongodb';
import { authenticate, registerAuth } from '../../shared/auth/auth.js';
import type { AuthConfig } from '../../shared/auth/auth-config.js';
import { badUserInput, conflict } from '../../shared/errors/catalogue.js';
import { createHttpApp, type HttpApp } from '../../shared/http/http-app.js';
import type { Logger } from '../../shared/logger/logger.js';
import { accountAccess } from '../accounts/port.js';
import { catalogReader } from '../catalog/port.js';
import { AddItemInput, Cart, SetQuantityInput, SkuParams } from './cart-schemas.js';
import { CartStore } from './cart-store.js';

export interface CartsDeps {
  logger: Logger;
  db: Db;
  auth: AuthConfig;
}

/** Used for an empty cart, which has no product to take a currency from. */
const DEFAULT_CURRENCY = 'EUR';

/** The carts function: the signed-in user's cart, priced from the catalog when read. */
export async function buildApp(deps: CartsDeps): Promise<HttpApp> {
  const app = createHttpApp({ component: 'carts', logger: deps.logger, bodyLimit: 4 * 1024 });
  await registerAuth(app, deps.auth, accountAccess(deps.db));
  const carts = new CartStore(deps.db);
  const products = catalogReader(deps.db);

  const view = async (userId: string): Promise<Static<typeof Cart>> => {
    const lines = await carts.lines(userId);
    const bySku = await products.getBySkus(lines.map((line) => line.sku));
    // A product removed from the catalog drops out of the cart view.
    const items = lines.flatMap((line) => {
      const offer = bySku.get(line.sku);
      return offer
        ? [{ ...line, ...offer, lineTotalCents: line.quantity * offer.variant.priceCents }]
        : [];
    });
    return {
      items,
      subtotalCents: items.reduce((sum, item) => sum + item.lineTotalCents, 0),
      currency: items[0]?.variant.currency ?? DEFAULT_CURRENCY,
    };
  };

  /** The product must exist, and share the currency of what is in the cart already. */
  const checkProduct = async (userId: string, sku: string) => {
    const offer = (await products.getBySkus([sku])).get(sku);
    if (!offer) throw badUserInput(`Unknown SKU ${sku}`, { field: 'sku' });
    const { currency } = offer.variant;
    const current = await view(userId);
    if (current.items.length > 0 && current.currency !== currency) {
      throw conflict(`The cart is in ${current.currency}; ${sku} is sold in ${currency}`, {
        field: 'sku',
      });
    }
  };

  // Authentication runs first (onRequest), so anonymous callers learn nothing from validation.
  const auth = { onRequest: authenticate };
  app.get('/cart', { ...auth, schema: { response: { 200: Cart } } }, (request) =>
    view(request.user.sub),
  );

  app.post(
    '/cart/items',
    { ...auth, schema: { body: AddItemInput, response: { 200: Cart } } },
    async (request) => {
      await checkProduct(request.user.sub, request.body.sku);
      await carts.add(request.user.sub, request.body.sku, request.body.quantity);
      return view(request.user.sub);
    },
  );

  app.put(
    '/cart/items/:sku',
    { ...auth, schema: { params: SkuParams, body: SetQuantityInput, response: { 200: Cart } } },
    async (request) => {
      if (request.body.quantity > 0) await checkProduct(request.user.sub, request.params.sku);
      await carts.set(request.user.sub, request.params.sku, request.body.quantity);
      return view(request.user.sub);
    },
  );

  app.delete('/cart', { ...auth, schema: { response: { 200: Cart } } }, async (request) => {
    await carts.clear(request.user.sub);
    return view(request.user.sub);
  });

  return app;
}
