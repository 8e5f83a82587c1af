import { type Db, ObjectId } from 'mongodb';
import { derivedFields, PRODUCTS, type ProductDoc, type VariantDoc } from './product-document.js';
import { DEFAULT_VARIANT_TITLE } from './variants.js';

/** A product stored before variants: one SKU and one price on the product itself. */
type LegacyProduct = Pick<ProductDoc, '_id' | 'sku' | 'priceCents'>;

const BATCH = 500;

/** The one variant a product from before variants becomes: its SKU and price, titled Default. */
export function defaultVariantOf(product: LegacyProduct): VariantDoc {
  return {
    id: new ObjectId().toHexString(),
    sku: product.sku,
    title: DEFAULT_VARIANT_TITLE,
    options: [],
    optionKeys: [],
    priceCents: product.priceCents,
    imageId: null,
    available: 0,
    stockVersion: 0,
  };
}

/**
 * Turns products from before variants into one-variant products. Idempotent: each write is
 * guarded by the product still having no variants, so a second run (or two at once) changes
 * nothing. Their stock is filled in by the next stock sync. Returns how many it changed.
 */
export async function migrateProductsToVariants(db: Db): Promise<number> {
  const products = db.collection<ProductDoc>(PRODUCTS);
  let migrated = 0;
  for (;;) {
    const legacy = await products
      .find({ variants: { $exists: false } }, { projection: { sku: 1, priceCents: 1 } })
      .limit(BATCH)
      .toArray();
    if (legacy.length === 0) return migrated;
    const result = await products.bulkWrite(
      legacy.map((product) => {
        const variants = [defaultVariantOf(product)];
        return {
          updateOne: {
            filter: { _id: product._id, variants: { $exists: false } },
            update: {
              $set: {
                options: [],
                variants,
                images: [],
                collectionIds: [],
                ...derivedFields(variants),
                revision: 0,
                outbox: [],
              },
            },
          },
        };
      }),
      { ordered: false },
    );
    migrated += result.modifiedCount;
  }
}
