import { stringify } from 'csv-stringify/sync';
import { ObjectId } from 'mongodb';
import { formatPrice } from '../../shared/money/minor-units.js';
import type { ObjectStorage } from '../../shared/storage/object-storage.js';
import { CSV_HEADER, OPTION_COLUMNS } from './csv-layout.js';
import type { ProductDoc } from './product-document.js';
import type { ProductStore } from './product-store.js';

/** How long an export's download link works. */
export const EXPORT_TTL_SECONDS = 15 * 60;

export interface CatalogExport {
  url: string;
  expiresAt: string;
  products: number;
  variants: number;
}

/** One product's rows in the import layout: its own columns on the first row only. */
export function productRows(doc: ProductDoc, collectionSlugs: Map<string, string>): string[][] {
  return doc.variants.map((variant, i) => {
    const first = i === 0;
    const options = OPTION_COLUMNS.flatMap((_, j) => {
      const value = variant.options[j];
      return [first ? (doc.options[j]?.name ?? '') : '', value?.value ?? ''];
    });
    return [
      doc.slug,
      first ? doc.name : '',
      first ? doc.description : '',
      first ? doc.category : '',
      first ? doc.collectionIds.flatMap((id) => collectionSlugs.get(id) ?? []).join(', ') : '',
      ...options,
      variant.sku,
      formatPrice(variant.priceCents, doc.currency),
      first ? doc.currency : '',
      String(variant.available),
    ];
  });
}

/**
 * The whole catalog as one CSV file in the import's layout (so it can be edited and imported
 * back), stored in the media bucket and handed out as a download link that expires.
 */
export async function exportCatalog(
  store: ProductStore,
  storage: ObjectStorage,
): Promise<CatalogExport> {
  const collections = new Map(
    (await store.collections.list()).map((collection) => [collection.id, collection.slug]),
  );
  const chunks = [stringify([CSV_HEADER])];
  let products = 0;
  let variants = 0;
  for await (const page of store.allDocs()) {
    const rows = page.flatMap((doc) => productRows(doc, collections));
    chunks.push(stringify(rows));
    products += page.length;
    variants += rows.length;
  }
  const id = new ObjectId().toHexString();
  const key = `exports/${id}.csv`;
  await storage.put(key, chunks.join(''), {
    contentType: 'text/csv; charset=utf-8',
    cacheControl: 'private, no-store',
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return {
    url: await storage.presignGet(key, EXPORT_TTL_SECONDS, `catalog-${stamp}.csv`),
    expiresAt: new Date(Date.now() + EXPORT_TTL_SECONDS * 1000).toISOString(),
    products,
    variants,
  };
}
