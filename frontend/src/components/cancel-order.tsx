import { useEffect, useRef, useState } from 'preact/hooks';
import { CancelOrderMutation, OrderFields } from '../graphql/documents.js';
import { readFragment } from '../graphql/graphql.js';
import type { Order } from '../pages/order.js';
import { useSession } from '../session/session.js';
import { errorMessage } from '../utils/errors.js';
import { ErrorAlert } from './messages.js';

/**
 * "Cancel this order", asked twice: the first button only opens the question, whose answer
 * takes the focus, so neither a stray click nor a stray Enter cancels a paid order.
 */
export function CancelOrder({
  order,
  onCancelled,
}: {
  order: Order;
  onCancelled: (order: Order) => void;
}) {
  const { client } = useSession();
  const [asking, setAsking] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<string>();
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) keep.current?.focus();
  }, [asking]);

  if (order.status === 'CANCELLED') return null;
  const cancel = async () => {
    setCancelling(true);
    setError(undefined);
    const outcome = await client.urql.mutation(CancelOrderMutation, { id: order.id }).toPromise();
    setCancelling(false);
    setAsking(false);
    if (outcome.data) onCancelled(readFragment(OrderFields, outcome.data.cancelOrder));
    else setError(errorMessage(outcome.error));
  };

  return (
    <div class="cancel-order">
      <ErrorAlert message={error} />
      {asking ? (
        <fieldset>
          <legend>
            Cancel this order?
            {order.status === 'CONFIRMED' ? ' It is paid: the payment is refunded.' : ''}
          </legend>
          <div class="actions">
            <button type="button" class="button" onClick={cancel} disabled={cancelling}>
              {cancelling ? 'Cancelling…' : 'Yes, cancel it'}
            </button>
            <button
              type="button"
              class="button button-primary"
              ref={keep}
              onClick={() => setAsking(false)}
              disabled={cancelling}
            >
              Keep the order
            </button>
          </div>
        </fieldset>
      ) : (
        <button type="button" class="button" onClick={() => setAsking(true)}>
          Cancel this order
        </button>
      )}
    </div>
  );
}
