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
  /** Pictures, from demo-images/, uploaded as an admin's browser would. */
  images?: { file: string; alt: string; variants?: string[] }[];
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
  for (const { images: _images, ...product } of products) {
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
  const pictures = await seedPictures(graphqlUrl, token, products);
  logger.info(
    { created: result.created.length, existing: result.existing.length, pictures },
    'demo catalog seeded',
  );
  return result;
}

/**
 * Gives each demo product without pictures its own, the way the admin page does: a presigned
 * upload, the bytes PUT straight to object storage, then addProductImage. Returns how many.
 */
async function seedPictures(
  graphqlUrl: string,
  token: string,
  products: readonly DemoProduct[],
): Promise<number> {
  const listed = await postGraphql<{
    products: { edges: { node: { id: string; sku: string; images: { id: string }[] } }[] };
  }>(graphqlUrl, '{ products(first: 100) { edges { node { id sku images { id } } } } }', {}, token);
  const bySku = new Map((listed.data?.products.edges ?? []).map(({ node }) => [node.sku, node]));
  let added = 0;
  for (const product of products) {
    const node = bySku.get(product.sku);
    if (!node || node.images.length > 0) continue;
    for (const image of product.images ?? []) {
      const bytes = readFileSync(new URL(`./demo-images/${image.file}`, import.meta.url));
      const ticket = await postGraphql<{
        createUpload: { id: string; url: string; headers: { name: string; value: string }[] };
      }>(
        graphqlUrl,
        'mutation($input: UploadInput!) { createUpload(input: $input) { id url headers { name value } } }',
        { input: { kind: 'PRODUCT_IMAGE', contentType: 'image/jpeg', byteSize: bytes.length } },
        token,
      );
      const upload = ticket.data?.createUpload;
      if (!upload) throw new Error(`demo catalog: no upload: ${ticket.errors?.[0]?.message}`);
      const put = await fetch(upload.url, {
        method: 'PUT',
        body: new Uint8Array(bytes),
        headers: Object.fromEntries(upload.headers.map((header) => [header.name, header.value])),
      });
      if (!put.ok) throw new Error(`demo catalog: ${image.file} not uploaded: ${put.status}`);
      const answer = await postGraphql<{ addProductImage: { id: string } }>(
        graphqlUrl,
        'mutation($id: ID!, $input: ProductImageInput!) { addProductImage(productId: $id, input: $input) { id } }',
        {
          id: node.id,
          input: { uploadId: upload.id, alt: image.alt, variantSkus: image.variants ?? [] },
        },
        token,
      );
      if (!answer.data?.addProductImage) {
        throw new Error(`demo catalog: ${image.file} not added: ${answer.errors?.[0]?.message}`);
      }
      added += 1;
    }
  }
  return added;
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
