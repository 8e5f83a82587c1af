import { useQuery } from '@urql/preact';
import { ErrorAlert, Loading } from '../components/messages.js';
import { Money } from '../components/money.js';
import { Page } from '../components/page.js';
import { ShowMore, useCursorPages } from '../components/show-more.js';
import { OrderFields, OrdersQuery } from '../graphql/documents.js';
import { readFragment } from '../graphql/graphql.js';
import { useSession } from '../session/session.js';
import { errorMessage } from '../utils/errors.js';
import { formatDateTime, reasonLabel, statusLabel } from '../utils/format.js';

const PAGE_SIZE = 20;

export function OrdersPage() {
  const { user } = useSession();
  const { cursors, more } = useCursorPages();
  if (!user) {
    return (
      <Page title="Your orders">
        <p>
          <a href="/sign-in?next=/orders">Sign in</a> to see your orders.
        </p>
      </Page>
    );
  }
  return (
    <Page title="Your orders">
      <ul class="order-list">
        {cursors.map((after, index) => (
          <OrdersChunk
            key={after ?? 'first'}
            after={after}
            last={index === cursors.length - 1}
            onMore={more}
          />
        ))}
      </ul>
    </Page>
  );
}

function OrdersChunk(props: {
  after: string | undefined;
  last: boolean;
  onMore: (cursor: string) => void;
}) {
  const [result] = useQuery({
    query: OrdersQuery,
    variables: { first: PAGE_SIZE, ...(props.after ? { after: props.after } : {}) },
    requestPolicy: 'cache-and-network',
  });
  if (result.fetching && !result.data) return <Loading what="your orders" />;
  if (!result.data) return <ErrorAlert message={errorMessage(result.error)} />;
  const { edges, pageInfo } = result.data.orders;
  return (
    <>
      {edges.length === 0 && props.after === undefined && (
        <li class="empty">
          No orders yet. <a href="/">Visit the shop</a>
        </li>
      )}
      {edges.map((edge) => {
        const order = readFragment(OrderFields, edge.node);
        const units = order.items.reduce((sum, item) => sum + item.quantity, 0);
        return (
          <li key={order.id} class="order-summary">
            <a href={`/orders/${encodeURIComponent(order.id)}`}>
              Order {order.id}
              <span class="visually-hidden">, {statusLabel(order.status)}</span>
            </a>
            <span class={`status status-${order.status.toLowerCase()}`} aria-hidden="true">
              {statusLabel(order.status)}
              {order.cancellationReason ? ` (${reasonLabel(order.cancellationReason)})` : ''}
            </span>
            <span>
              {units} {units === 1 ? 'item' : 'items'},{' '}
              <Money cents={order.totalCents} currency={order.currency} />
            </span>
            <time dateTime={order.createdAt}>{formatDateTime(order.createdAt)}</time>
          </li>
        );
      })}
      {props.last && pageInfo.hasNextPage && (
        <li>
          <ShowMore pageInfo={pageInfo} label="Show older orders" onMore={props.onMore} />
        </li>
      )}
    </>
  );
}
