import type { Order } from '../pages/order.js';
import { formatDateTime, reasonLabel, statusLabel } from '../utils/format.js';

/** The steps an order goes through when all is well; a cancellation ends it anywhere. */
const HAPPY_PATH = ['PENDING', 'RESERVED', 'CONFIRMED'] as const;

/**
 * The order's status history as an ordered list: every change that happened, with its time
 * and reason, then the steps still to come, greyed out.
 */
export function StatusTimeline({ order }: { order: Order }) {
  const reached = new Set(order.history.map((change) => change.status));
  const upcoming =
    order.status === 'CANCELLED' ? [] : HAPPY_PATH.filter((status) => !reached.has(status));
  return (
    <ol class="timeline" aria-label="Status history">
      {order.history.map((change) => (
        <li
          key={`${change.status}-${change.at}`}
          class={`timeline-step done status-${change.status.toLowerCase()}`}
        >
          <span class="timeline-status">{statusLabel(change.status)}</span>
          <time dateTime={change.at}>{formatDateTime(change.at)}</time>
          {change.reason && <span class="timeline-reason">{reasonLabel(change.reason)}</span>}
        </li>
      ))}
      {upcoming.map((status) => (
        <li key={status} class="timeline-step upcoming">
          <span class="timeline-status">{statusLabel(status)}</span>
          <span class="timeline-reason">not yet</span>
        </li>
      ))}
    </ol>
  );
}
