import { readFileSync } from 'node:fs';
import type { Logger } from '../../shared/logger/logger.js';
import { postGraphql } from './graphql-client.js';

/** One product of the demo catalog, in the contract's `ProductInput` shape (with variants). */
export interface DemoProduct {
  sku: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  currency: string;
  initialStock: number;
  options?: { name: string; values: string[] }[];
  variantOptions?: { name: string; value: string }[];
  variants?: {
    sku: string;
    options: { name: string; value: string }[];
    priceCents: number;
    initialStock?: number;
  }[];
  collections?: string[];
}

export interface DemoCollection {
  slug: string;
  title: string;
  description: string;
}

const DEMO = JSON.parse(readFileSync(new URL('./demo-catalog.json', import.meta.url), 'utf8')) as {
  collections: DemoCollection[];
  products: DemoProduct[];
};

export const DEMO_CATALOG: readonly DemoProduct[] = DEMO.products;
export const DEMO_COLLECTIONS: readonly DemoCollection[] = DEMO.collections;

export interface SeedResult {
  created: string[];
  existing: string[];
}

/**
 * Creates the demo products that are not there yet, through the public GraphQL API as the
 * admin. Idempotent: a product whose SKU exists (CONFLICT) is left as it is, stock included,
 * so running it again never adds stock twice.
 */
export async function seedDemoCatalog(
  graphqlUrl: string,
  admin: { email: string; password: string },
  logger: Logger,
  products: readonly DemoProduct[] = DEMO_CATALOG,
  collections: readonly DemoCollection[] = DEMO_COLLECTIONS,
): Promise<SeedResult> {
  const login = await postGraphql<{ login: { token: string } }>(
    graphqlUrl,
    'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
    admin,
  );
  const token = login.data?.login.token;
  if (!token) {
    throw new Error(
      `demo catalog: the admin ${admin.email} cannot log in (${login.errors?.[0]?.message ?? 'no token'}); ` +
        'an account with this email and another password may already exist',
    );
  }
  // Collections first: products name them. One that exists is left as it is.
  for (const collection of collections) {
    const answer = await postGraphql<{ createCollection: { slug: string } }>(
      graphqlUrl,
      'mutation($input: CollectionInput!) { createCollection(input: $input) { slug } }',
      { input: collection },
      token,
    );
    const code = answer.errors?.[0]?.extensions?.code;
    if (!answer.data?.createCollection && code !== 'CONFLICT') {
      throw new Error(
        `demo catalog: collection ${collection.slug} not created: ${code ?? ''} ${answer.errors?.[0]?.message ?? ''}`,
      );
    }
  }
  const result: SeedResult = { created: [], existing: [] };
  for (const product of products) {
    const answer = await postGraphql<{ createProduct: { sku: string } }>(
      graphqlUrl,
      'mutation($input: ProductInput!) { createProduct(input: $input) { sku } }',
      { input: product },
      token,
    );
    const code = answer.errors?.[0]?.extensions?.code;
    if (answer.data?.createProduct) result.created.push(product.sku);
    else if (code === 'CONFLICT') result.existing.push(product.sku);
    else
      throw new Error(
        `demo catalog: ${product.sku} not created: ${code ?? ''} ${answer.errors?.[0]?.message ?? ''}`,
      );
  }
  logger.info(
    { created: result.created.length, existing: result.existing.length },
    'demo catalog seeded',
  );
  return result;
}

/** The stock the demo catalog gives a SKU, a product's or a variant's (0 when it names none). */
export function demoInitialStock(sku: string): number {
  for (const product of DEMO_CATALOG) {
    if (product.sku === sku) return product.initialStock;
    const variant = product.variants?.find((v) => v.sku === sku);
    if (variant) return variant.initialStock ?? 0;
  }
  return 0;
}
