import type { Db } from 'mongodb';
import { IMPORTS_COLLECTION } from './import-store.js';
import { PRODUCTS } from './product-document.js';
import { migrateProductsToVariants } from './product-migration.js';
import { ProductStore, type SkuOffer } from './product-store.js';

export { Product, VariantView } from './product-schemas.js';
/**
 * What the catalog module offers the rest of the platform; nothing else in functions/catalog/
 * is imported from outside it. The products collection is the catalog's: others read prices
 * and names through CatalogReader and never write it.
 */
export { CATALOG_INDEXES } from './product-store.js';

/** The catalog's collections whose documents carry an outbox (for the outbox relay). */
export const CATALOG_OUTBOX_COLLECTIONS: readonly string[] = [PRODUCTS, IMPORTS_COLLECTION];
export type { SkuOffer };

/** The catalog's data migrations, run by the migrate step before the indexes are made. */
export async function migrateCatalog(db: Db): Promise<{ productsToVariants: number }> {
  return { productsToVariants: await migrateProductsToVariants(db) };
}

/**
 * Variants by SKU with their products, for the cart's view and for pricing an order: never
 * from the client.
 */
export interface CatalogReader {
  getBySkus(skus: readonly string[]): Promise<Map<string, SkuOffer>>;
}

export function catalogReader(db: Db): CatalogReader {
  const products = new ProductStore(db);
  return { getBySkus: (skus) => products.getBySkus(skus) };
}

/** What the media function records on a product: the resized copies of one of its pictures. */
export interface CatalogMedia {
  /** False when the picture is gone (removed before its copies were made). */
  recordRenditions(
    productId: string,
    imageId: string,
    renditions: readonly { width: number; height: number; key: string }[],
  ): Promise<boolean>;
}

export function catalogMedia(db: Db): CatalogMedia {
  const products = new ProductStore(db);
  return {
    recordRenditions: (productId, imageId, renditions) =>
      products.recordRenditions(productId, imageId, renditions),
  };
}
