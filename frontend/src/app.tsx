import { ErrorBoundary, LocationProvider, lazy, Route, Router } from 'preact-iso';
import { CartProvider } from './cart/cart.js';
import { Header } from './components/header.js';
import { focusNextHeading, Page } from './components/page.js';
import { CartPage } from './pages/cart.js';
import { CatalogPage } from './pages/catalog.js';
import { CheckoutPage } from './pages/checkout.js';
import { CollectionPage, CollectionsPage } from './pages/collections.js';
import { OrderPage } from './pages/order.js';
import { OrdersPage } from './pages/orders.js';
import { ProductPage } from './pages/product.js';
import { SearchPage } from './pages/search.js';
import { SignInPage } from './pages/sign-in.js';
import { SessionProvider } from './session/session.js';

/** The admin is loaded only when opened: shoppers never download it. */
const AdminPage = lazy(() => import('./admin/admin-page.js'));
// Pages few visits need, loaded when opened.
const ForgotPasswordPage = lazy(() =>
  import('./pages/password.js').then((page) => page.ForgotPasswordPage),
);
const ResetPasswordPage = lazy(() =>
  import('./pages/password.js').then((page) => page.ResetPasswordPage),
);
const AccountPage = lazy(() => import('./pages/password.js').then((page) => page.AccountPage));

function NotFound() {
  return (
    <Page title="Page not found">
      <p>
        There is nothing here. <a href="/">Back to the shop</a>
      </p>
    </Page>
  );
}

export function App() {
  return (
    <LocationProvider>
      <SessionProvider>
        <CartProvider>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <Header />
          <main id="main" tabIndex={-1}>
            <ErrorBoundary>
              <Router onRouteChange={focusNextHeading}>
                <Route path="/" component={CatalogPage} />
                <Route path="/products/:slug" component={ProductPage} />
                <Route path="/search" component={SearchPage} />
                <Route path="/collections" component={CollectionsPage} />
                <Route path="/collections/:slug" component={CollectionPage} />
                <Route path="/cart" component={CartPage} />
                <Route path="/checkout" component={CheckoutPage} />
                <Route path="/orders" component={OrdersPage} />
                <Route path="/orders/:id" component={OrderPage} />
                <Route path="/sign-in" component={SignInPage} />
                <Route path="/forgot-password" component={ForgotPasswordPage} />
                <Route path="/reset-password" component={ResetPasswordPage} />
                <Route path="/account" component={AccountPage} />
                <Route path="/admin" component={AdminPage} />
                <Route path="/admin/:section" component={AdminPage} />
                <Route default component={NotFound} />
              </Router>
            </ErrorBoundary>
          </main>
          <footer class="site-footer">
            <p>Orderly: stock and order status update live on every page.</p>
          </footer>
        </CartProvider>
      </SessionProvider>
    </LocationProvider>
  );
}
