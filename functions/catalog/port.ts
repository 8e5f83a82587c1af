import type { Db } from 'mongodb';
import type { Product } from './product-schemas.js';
import { ProductStore } from './product-store.js';

export { Product } from './product-schemas.js';
/**
 * What the catalog module offers the rest of the platform; nothing else in functions/catalog/
 * is imported from outside it. The products collection is the catalog's: others read prices
 * and names through CatalogReader and never write it.
 */
export { CATALOG_INDEXES } from './product-store.js';

/** Products by SKU, for the cart's view and for pricing an order: never from the client. */
export interface CatalogReader {
  getBySkus(skus: readonly string[]): Promise<Map<string, Product>>;
}

export function catalogReader(db: Db): CatalogReader {
  const products = new ProductStore(db);
  return { getBySkus: (skus) => products.getBySkus(skus) };
}
