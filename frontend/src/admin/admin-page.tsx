import { useLocation, useRoute } from 'preact-iso';
import { Page } from '../components/page.js';
import { useSession } from '../session/session.js';
import { ApiKeysSection } from './admin-api-keys.js';
import { CollectionsSection } from './admin-collections.js';
import { ImportSection } from './admin-import.js';
import { ProductsSection } from './admin-products.js';

const SECTIONS = {
  products: { title: 'Admin: products', link: 'Products', path: '/admin' },
  collections: { title: 'Admin: collections', link: 'Collections', path: '/admin/collections' },
  import: { title: 'Admin: import and export', link: 'Import and export', path: '/admin/import' },
  'api-keys': { title: 'Admin: API keys', link: 'API keys', path: '/admin/api-keys' },
} as const;

type Section = keyof typeof SECTIONS;

/**
 * The admin: products with their variants, pictures and collections; the collections; the
 * catalog's CSV import and export; API keys for programs. Loaded only when an admin opens it (its own chunk).
 */
export default function AdminPage() {
  const { user } = useSession();
  const { params } = useRoute();
  const { path } = useLocation();
  const section: Section =
    params.section && params.section in SECTIONS ? (params.section as Section) : 'products';
  if (user?.role !== 'ADMIN') {
    return (
      <Page title="Admin">
        <p>
          This page is for the shop's administrators.{' '}
          {user ? 'Your account is not one.' : <a href="/sign-in?next=/admin">Sign in</a>}
        </p>
      </Page>
    );
  }
  return (
    <Page title={SECTIONS[section].title}>
      <nav aria-label="Admin sections" class="admin-nav">
        <ul>
          {(Object.keys(SECTIONS) as Section[]).map((key) => (
            <li key={key}>
              <a
                href={SECTIONS[key].path}
                aria-current={path === SECTIONS[key].path ? 'page' : undefined}
              >
                {SECTIONS[key].link}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {section === 'products' && <ProductsSection />}
      {section === 'collections' && <CollectionsSection />}
      {section === 'import' && <ImportSection />}
      {section === 'api-keys' && <ApiKeysSection />}
    </Page>
  );
}
