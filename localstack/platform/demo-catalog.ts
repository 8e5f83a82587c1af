import { readFileSync } from 'node:fs';
import type { Logger } from '../../shared/logger/logger.js';
import { postGraphql } from './graphql-client.js';

/** One product of the demo catalog, in the contract's `ProductInput` shape. */
export interface DemoProduct {
  sku: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  currency: string;
  initialStock: number;
}

export const DEMO_CATALOG: readonly DemoProduct[] = JSON.parse(
  readFileSync(new URL('./demo-catalog.json', import.meta.url), 'utf8'),
) as DemoProduct[];

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
