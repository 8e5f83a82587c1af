import { useLocation } from 'preact-iso';
import { useCart } from '../cart/cart.js';
import { LogoutMutation } from '../graphql/documents.js';
import { useSession } from '../session/session.js';

/** The site's header: the shop's name, the navigation, the cart with its count, the account. */
export function Header() {
  const { user, signOut, client } = useSession();
  const { cart, ready } = useCart();
  const units = cart.units;
  const { path, route } = useLocation();
  const current = (href: string) => (path === href ? 'page' : undefined);
  return (
    <header class="site-header">
      <a class="brand" href="/">
        Orderly
      </a>
      <nav aria-label="Main">
        <ul>
          <li>
            <a href="/" aria-current={current('/')}>
              Shop
            </a>
          </li>
          <li>
            <a href="/search" aria-current={current('/search')}>
              Search
            </a>
          </li>
          <li>
            <a href="/collections" aria-current={current('/collections')}>
              Collections
            </a>
          </li>
          {user && (
            <li>
              <a href="/orders" aria-current={current('/orders')}>
                My orders
              </a>
            </li>
          )}
          {user && (
            <li>
              <a href="/account" aria-current={current('/account')}>
                Account
              </a>
            </li>
          )}
          {user?.role === 'ADMIN' && (
            <li>
              <a href="/admin" aria-current={current('/admin')}>
                Admin
              </a>
            </li>
          )}
          <li>
            <a
              href="/cart"
              aria-current={current('/cart')}
              class="cart-link"
              aria-label={`Cart, ${units} ${units === 1 ? 'item' : 'items'}`}
            >
              Cart{' '}
              <span class="cart-count" aria-hidden="true">
                {units}
              </span>
            </a>
            <span class="visually-hidden" aria-live="polite">
              {ready ? `${units} ${units === 1 ? 'item' : 'items'} in your cart` : ''}
            </span>
          </li>
          <li>
            {user ? (
              <button
                type="button"
                class="button button-link"
                onClick={async () => {
                  // The platform revokes the token first; the browser forgets it either way.
                  await client.urql.mutation(LogoutMutation, {}).toPromise();
                  signOut();
                  route('/');
                }}
              >
                Log out
              </button>
            ) : (
              <a href="/sign-in" aria-current={current('/sign-in')}>
                Sign in
              </a>
            )}
          </li>
        </ul>
      </nav>
    </header>
  );
}
