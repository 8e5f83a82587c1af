import { useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useCart } from '../cart/cart.js';
import { lineName } from '../cart/guest-cart.js';
import {
  type KeyStore,
  purchaseKey,
  purchaseKeyName,
  purchasePlaced,
} from '../checkout/purchase-key.js';
import { Field } from '../components/field.js';
import { ErrorAlert, Loading } from '../components/messages.js';
import { Money } from '../components/money.js';
import { Page } from '../components/page.js';
import { CheckoutMutation, OrderFields } from '../graphql/documents.js';
import { readFragment } from '../graphql/graphql.js';
import { registerAccountKey, useSession } from '../session/session.js';
import { errorMessage } from '../utils/errors.js';
import { formFields } from '../utils/form.js';
import { readStored, removeStored, writeStored } from '../utils/storage.js';

const keyStore: KeyStore = {
  read: (name) => readStored<{ fingerprint: string; key: string } | undefined>(name, undefined),
  write: writeStored,
  remove: removeStored,
};

const COUNTRIES = [
  'AT',
  'BE',
  'CH',
  'DE',
  'DK',
  'ES',
  'FI',
  'FR',
  'GB',
  'IE',
  'IT',
  'NL',
  'NO',
  'PL',
  'PT',
  'SE',
  'US',
];
const countryNames = new Intl.DisplayNames(undefined, { type: 'region' });

const TEST_TOKENS = [
  ['tok_visa', 'approved'],
  ['tok_mastercard', 'approved'],
  ['tok_chargeDeclined', 'declined: the order is cancelled'],
  ['tok_chargeDeclinedInsufficientFunds', 'declined for insufficient funds'],
] as const;

export function CheckoutPage() {
  const { user, client } = useSession();
  const cart = useCart();
  const { route } = useLocation();
  const [error, setError] = useState<string>();
  const [placing, setPlacing] = useState(false);
  // Set in the same tick as the click: a second click before the re-render places nothing.
  const inFlight = useRef(false);

  if (!user) {
    return (
      <Page title="Checkout">
        <p>
          <a href="/sign-in?next=/checkout">Sign in or create an account</a> to check out. Your cart
          comes with you.
        </p>
      </Page>
    );
  }
  if (!cart.ready) return <Loading what="your cart" />;
  const { lines, subtotalCents, currency } = cart.cart;
  if (lines.length === 0) {
    return (
      <Page title="Checkout">
        <p class="empty">
          Your cart is empty. <a href="/orders">See your orders</a> or{' '}
          <a href="/">go back to the shop</a>.
        </p>
      </Page>
    );
  }

  const submit = async (form: HTMLFormElement) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setPlacing(true);
    setError(undefined);
    registerAccountKey(purchaseKeyName(user.id));
    const idempotencyKey = purchaseKey(keyStore, user.id, lines, () => crypto.randomUUID());
    const { text } = formFields(form);
    const line2 = text('line2');
    const result = await client.urql
      .mutation(CheckoutMutation, {
        input: {
          idempotencyKey,
          paymentToken: text('paymentToken'),
          shippingAddress: {
            name: text('name'),
            line1: text('line1'),
            ...(line2 ? { line2 } : {}),
            city: text('city'),
            postalCode: text('postalCode'),
            country: text('country'),
          },
        },
      })
      .toPromise();
    inFlight.current = false;
    setPlacing(false);
    if (!result.data) {
      // The same key is used for the retry: if this one was placed after all, the retry
      // answers with that order instead of placing another.
      setError(errorMessage(result.error));
      return;
    }
    const order = readFragment(OrderFields, result.data.checkout);
    purchasePlaced(keyStore, user.id);
    await cart.refresh();
    route(`/orders/${encodeURIComponent(order.id)}`);
  };

  return (
    <Page title="Checkout">
      <form
        class="checkout"
        onSubmit={(event) => {
          event.preventDefault();
          void submit(event.currentTarget);
        }}
      >
        <fieldset>
          <legend>Shipping address</legend>
          <AddressField
            name="name"
            label="Full name"
            autoComplete="name"
            defaultValue={user.name}
          />
          <AddressField name="line1" label="Street and number" autoComplete="address-line1" />
          <AddressField
            name="line2"
            label="Address line 2 (optional)"
            autoComplete="address-line2"
            required={false}
          />
          <AddressField name="city" label="City" autoComplete="address-level2" />
          <AddressField
            name="postalCode"
            label="Postal code"
            autoComplete="postal-code"
            maxLength={20}
          />
          <div class="field">
            <label for="country">Country</label>
            <select id="country" name="country" autoComplete="country" required>
              {COUNTRIES.map((code) => (
                <option key={code} value={code} selected={code === 'DE'}>
                  {countryNames.of(code) ?? code}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <fieldset>
          <legend>Payment</legend>
          <div class="field">
            <label for="paymentToken">Payment token</label>
            <input
              id="paymentToken"
              name="paymentToken"
              required
              maxLength={200}
              defaultValue="tok_visa"
              list="test-tokens"
              aria-describedby="token-help"
              autoComplete="off"
            />
            <datalist id="test-tokens">
              {TEST_TOKENS.map(([token]) => (
                <option key={token} value={token} />
              ))}
            </datalist>
          </div>
          <div id="token-help" class="hint">
            <p>This shop uses a test payment provider; no card is charged. Test tokens:</p>
            <ul>
              {TEST_TOKENS.map(([token, outcome]) => (
                <li key={token}>
                  <code>{token}</code>: {outcome}
                </li>
              ))}
            </ul>
          </div>
        </fieldset>
        <section aria-label="Order summary" class="summary">
          <ul>
            {lines.map((line) => (
              <li key={line.sku}>
                {line.quantity} × {lineName(line.product)}:{' '}
                <Money cents={line.lineTotalCents} currency={line.product.currency} />
              </li>
            ))}
          </ul>
          <p class="subtotal">
            Total: <Money cents={subtotalCents} currency={currency} />
          </p>
        </section>
        <ErrorAlert message={error} />
        <button type="submit" class="button button-primary" disabled={placing} aria-busy={placing}>
          {placing ? 'Placing your order…' : 'Place order'}
        </button>
      </form>
    </Page>
  );
}

/** An address input: required and at most 200 characters unless told otherwise. */
function AddressField(props: {
  name: string;
  label: string;
  autoComplete: string;
  defaultValue?: string;
  required?: boolean;
  maxLength?: number;
}) {
  return <Field id={props.name} required maxLength={200} {...props} />;
}
