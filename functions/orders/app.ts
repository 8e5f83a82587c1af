import type { Static } from '@sinclair/typebox';
import type { Db } from 'mongodb';
import { authenticate, registerAuth } from '../../shared/auth/auth.js';
import type { AuthConfig } from '../../shared/auth/auth-config.js';
import { holds } from '../../shared/auth/permissions.js';
import { badUserInput, conflict } from '../../shared/errors/catalogue.js';
import type { ImmediatePublisher } from '../../shared/events/event-bus.js';
import { createHttpApp, type HttpApp } from '../../shared/http/http-app.js';
import { ORDER_LIMITS } from '../../shared/limits/limits.js';
import type { Logger } from '../../shared/logger/logger.js';
import { accountAccess } from '../accounts/port.js';
import { checkoutCart } from '../carts/port.js';
import { catalogReader } from '../catalog/port.js';
import type { PaymentProvider } from '../payments/port.js';
import {
  CheckoutInput,
  Order,
  OrderConnection,
  OrderIdParams,
  OrderListQuery,
} from './order-schemas.js';
import { type OrderLine, OrderStore } from './order-store.js';

export interface OrdersDeps {
  logger: Logger;
  db: Db;
  auth: AuthConfig;
  /** Publishes new order events right after the write; without it the outbox relay does. */
  publisher?: ImmediatePublisher;
  /** Opens each order's payment with its card token (default: the test provider). */
  payments?: Pick<PaymentProvider, 'prepare'>;
}

/** The orders function: idempotent checkout of the cart, and the user's orders. */
export async function buildApp(deps: OrdersDeps): Promise<HttpApp> {
  const app = createHttpApp({ component: 'orders', logger: deps.logger, bodyLimit: 8 * 1024 });
  await registerAuth(app, deps.auth, accountAccess(deps.db));
  const orders = new OrderStore(deps.db, deps.publisher, deps.payments);
  const carts = checkoutCart(deps.db);
  const products = catalogReader(deps.db);
  // Authentication runs first (onRequest), so anonymous callers learn nothing from validation.
  const auth = { onRequest: authenticate };

  app.post(
    '/orders',
    { ...auth, schema: { body: CheckoutInput, response: { 200: Order, 201: Order } } },
    async (request, reply) => {
      const userId = request.user.sub;
      const { idempotencyKey } = request.body;
      // The key is looked up only when this checkout cannot place an order itself (a retry after
      // the first emptied the cart, or a cart that cannot be checked out any more): a new
      // checkout pays no read for it, and a concurrent repeat meets the unique index instead.
      let placed: Awaited<ReturnType<typeof placeFromCart>>;
      try {
        placed = await placeFromCart(userId, request);
      } catch (err) {
        const earlier = await orders.findByKey(userId, idempotencyKey);
        if (earlier) return reply.status(200).send(earlier);
        throw err;
      }
      // Outside the look-up above: a cart that could not be emptied is an error, not a repeat.
      if (placed.created) await carts.clear(userId);
      return reply.status(placed.created ? 201 : 200).send(placed.order);
    },
  );

  /** Prices the cart from the catalog and places it, or finds the order placed under the key. */
  async function placeFromCart(
    userId: string,
    request: { body: Static<typeof CheckoutInput>; user: { email?: string } },
  ) {
    const lines = await carts.lines(userId);
    if (lines.length === 0) throw badUserInput('The cart is empty', { field: 'cart' });
    if (lines.length > ORDER_LIMITS.maxLines) {
      // Carts are capped when filled; one filled before the cap existed is refused here.
      throw badUserInput(
        `An order holds at most ${ORDER_LIMITS.maxLines} different products; this cart has ${lines.length}`,
        { field: 'cart', limit: ORDER_LIMITS.maxLines },
      );
    }
    // Priced from the catalog, never from the client.
    const bySku = await products.getBySkus(lines.map((line) => line.sku));
    const items: OrderLine[] = lines.map((line) => {
      const offer = bySku.get(line.sku);
      if (!offer)
        throw badUserInput(`${line.sku} is no longer sold; remove it from the cart`, {
          field: 'cart',
        });
      return {
        sku: line.sku,
        name: offer.product.name,
        variantTitle: offer.variant.title,
        quantity: line.quantity,
        unitPriceCents: offer.variant.priceCents,
      };
    });
    const currencies = new Set(lines.map((line) => bySku.get(line.sku)?.variant.currency));
    if (currencies.size > 1) throw conflict('The cart mixes currencies', { field: 'cart' });

    return orders.place({
      userId,
      idempotencyKey: request.body.idempotencyKey,
      items,
      currency: [...currencies][0] ?? 'EUR',
      shippingAddress: request.body.shippingAddress,
      paymentToken: request.body.paymentToken,
      // Where the order's mails go: the account's address as its token carries it.
      ...(request.user.email ? { contactEmail: request.user.email } : {}),
    });
  }

  app.get(
    '/orders',
    { ...auth, schema: { querystring: OrderListQuery, response: { 200: OrderConnection } } },
    // A person sees their own orders; a program with orders:read (an API key) the shop's.
    (request) =>
      orders.list(
        request.user.role === 'INTEGRATION' && holds(request.user, 'orders:read')
          ? null
          : request.user.sub,
        request.query.first,
        request.query.after,
      ),
  );

  app.get(
    '/orders/:id',
    { ...auth, schema: { params: OrderIdParams, response: { 200: Order } } },
    (request) =>
      orders.get(request.params.id, request.user.sub, holds(request.user, 'orders:read')),
  );

  app.post(
    '/orders/:id/cancel',
    { ...auth, schema: { params: OrderIdParams, response: { 200: Order } } },
    (request) => orders.cancelByCustomer(request.params.id, request.user.sub),
  );

  return app;
}
