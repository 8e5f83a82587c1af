import { useQuery, useSubscription } from '@urql/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { lineName } from '../cart/guest-cart.js';
import { CancelOrder } from '../components/cancel-order.js';
import { ErrorAlert, Loading } from '../components/messages.js';
import { Money } from '../components/money.js';
import { Page } from '../components/page.js';
import { StatusTimeline } from '../components/status-timeline.js';
import { OrderFields, OrderQuery, OrderUpdated } from '../graphql/documents.js';
import { type ResultOf, readFragment } from '../graphql/graphql.js';
import { useSession, useSocketState } from '../session/session.js';
import { errorMessage } from '../utils/errors.js';
import { formatDateTime, reasonLabel, statusLabel } from '../utils/format.js';

export type Order = ResultOf<typeof OrderFields>;

/**
 * How often the page asks for the order while live updates are down: often while it moves
 * on by itself, less often once confirmed (only a cancellation can follow), never once
 * cancelled.
 */
const POLL_MS: Record<string, number> = { PENDING: 2_000, RESERVED: 2_000, CONFIRMED: 10_000 };

/** The later of two views of one order (updates may arrive out of order across channels). */
function latest(a: Order | undefined, b: Order | undefined): Order | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.history.length !== b.history.length) return a.history.length > b.history.length ? a : b;
  return a.updatedAt >= b.updatedAt ? a : b;
}

/**
 * One order with its status timeline, live: each `orderUpdated` pushed over the socket moves
 * it on at once; while the socket is down (and the order is not cancelled) the page asks
 * every few seconds instead, and once more when the socket comes back.
 */
export function OrderPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const { user } = useSession();
  const socket = useSocketState();
  const [result, reexecute] = useQuery({
    query: OrderQuery,
    variables: { id },
    pause: !user,
    requestPolicy: 'cache-and-network',
  });
  const [pushed, setPushed] = useState<Order>();
  useSubscription({ query: OrderUpdated, variables: { id }, pause: !user }, (_previous, data) => {
    setPushed((current) => latest(current, readFragment(OrderFields, data.orderUpdated)));
    return data;
  });
  const loaded = result.data?.order ? readFragment(OrderFields, result.data.order) : undefined;
  const order = useMemo(() => latest(loaded, pushed), [loaded, pushed]);
  const pollMs = order ? POLL_MS[order.status] : POLL_MS.PENDING;
  const final = pollMs === undefined;
  const live = socket === 'connected';

  useEffect(() => {
    if (!user || pollMs === undefined) return;
    if (live) {
      // Caught up once on (re)connecting; from here on the pushes carry every change.
      reexecute({ requestPolicy: 'network-only' });
      return;
    }
    const timer = setInterval(() => reexecute({ requestPolicy: 'network-only' }), pollMs);
    return () => clearInterval(timer);
  }, [live, pollMs, user, reexecute]);

  if (!user) {
    return (
      <Page title="Order">
        <p>
          <a href={`/sign-in?next=/orders/${encodeURIComponent(id)}`}>Sign in</a> to see this order.
        </p>
      </Page>
    );
  }
  if (!order && result.fetching) return <Loading what="the order" />;
  if (!order) {
    return (
      <Page title="Order not found">
        <ErrorAlert message={result.error ? errorMessage(result.error) : undefined} />
        <p>
          No order of yours has this number. <a href="/orders">See your orders</a>
        </p>
      </Page>
    );
  }

  return (
    <Page title={`Order ${order.id}`}>
      <p class="order-status-line">
        Status:{' '}
        <strong
          class={`status status-${order.status.toLowerCase()}`}
          aria-live="polite"
          aria-atomic="true"
        >
          {statusLabel(order.status)}
          {order.cancellationReason ? ` (${reasonLabel(order.cancellationReason)})` : ''}
        </strong>
      </p>
      <p class="live-note">
        {final
          ? `Final since ${formatDateTime(order.updatedAt)}.`
          : live
            ? 'This page updates by itself as your order moves on.'
            : 'Reconnecting to live updates; checking for changes every few seconds meanwhile.'}
      </p>
      <StatusTimeline order={order} />
      <h2>Items</h2>
      <ul class="order-items">
        {order.items.map((item) => (
          <li key={item.sku}>
            {item.quantity} × {lineName({ name: item.name, variantTitle: item.variantTitle })}:{' '}
            <Money cents={item.unitPriceCents * item.quantity} currency={order.currency} />
          </li>
        ))}
      </ul>
      <p class="subtotal">
        Total: <Money cents={order.totalCents} currency={order.currency} />
      </p>
      <CancelOrder
        order={order}
        onCancelled={(cancelled) => setPushed((current) => latest(current, cancelled))}
      />
      <p>
        <a href="/orders">← All your orders</a>
      </p>
    </Page>
  );
}
