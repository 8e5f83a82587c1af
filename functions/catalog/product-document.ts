import type { ObjectId } from 'mongodb';
import type { CollectionIndexes } from '../../shared/mongo/mongo-client.js';
import type { OutboxEvent } from '../../shared/outbox/outbox.js';
import type { ProductOption, VariantRecord } from './variants.js';

/**
 * A variant as stored: what the rules hold (variants.ts), and the stock the search sees. The
 * stock is a projection of inventory's StockChanged events (and of its GetStock, when a
 * sync runs): the level with the highest inventory version seen, never an older one.
 */
export interface VariantDoc extends VariantRecord {
  /** Units available, as inventory last reported them. */
  available: number;
  /** Inventory's version of that level; 0 before any report. */
  stockVersion: number;
}

/** A resized copy of a picture, made by the media function after the upload. */
export interface RenditionDoc {
  width: number;
  height: number;
  key: string;
}

/** A picture of the product: its object in storage, checked when it was added. */
export interface ImageDoc {
  id: string;
  /** The object key of the original in the media bucket. */
  key: string;
  alt: string;
  width: number;
  height: number;
  contentType: string;
  bytes: number;
  /** The upload it came from: adding the same upload twice adds it once. */
  uploadId: string;
  /** Narrowest first; empty until the media function made them. */
  renditions: RenditionDoc[];
  createdAt: Date;
}

/**
 * A product as stored: one document with its options and variants (each its own SKU, price
 * and stock), its collections, and the search fields derived from its variants. Every write
 * bumps `revision`; a change that reads the document first writes only if the revision is
 * still the one it read, so no change (a stock report included) is ever lost to another.
 */
export interface ProductDoc {
  _id: ObjectId;
  /** The first variant's SKU and price, for the published contract. */
  sku: string;
  priceCents: number;
  slug: string;
  name: string;
  description: string;
  category: string;
  currency: string;
  options: ProductOption[];
  variants: VariantDoc[];
  images: ImageDoc[];
  /** Ids of the collections the product is in. */
  collectionIds: string[];
  /** The lowest and highest variant price: search sorts and filters on these. */
  priceMin: number;
  priceMax: number;
  revision: number;
  /**
   * Events the product caused that are not on Kafka yet (a picture to resize): written with
   * the change that caused them, published right after it or by the outbox relay.
   */
  outbox: OutboxEvent[];
  outboxLeaseUntil?: Date | null;
  outboxAttempts?: number;
  createdAt: Date;
  updatedAt: Date;
}

export const PRODUCTS = 'products';

export const PRODUCT_INDEXES: CollectionIndexes = {
  collection: PRODUCTS,
  indexes: [
    { key: { sku: 1 }, name: 'sku_unique', unique: true },
    { key: { slug: 1 }, name: 'slug_unique', unique: true },
    // A SKU belongs to one variant of one product. Partial, so documents from before
    // variants (no `variants` yet) never collide on a missing value while they are migrated.
    {
      key: { 'variants.sku': 1 },
      name: 'variant_sku_unique',
      unique: true,
      partialFilterExpression: { 'variants.sku': { $exists: true } },
    },
    { key: { createdAt: -1, _id: -1 }, name: 'newest_first' },
    { key: { category: 1, createdAt: -1, _id: -1 }, name: 'category_newest_first' },
    { key: { collectionIds: 1, createdAt: -1, _id: -1 }, name: 'collection_newest_first' },
    { key: { priceMin: 1, _id: 1 }, name: 'price_min' },
    { key: { 'outbox.0.time': 1 }, name: 'outbox_pending' },
    // Free text for search: the name counts most, then the category and variant titles.
    {
      key: { name: 'text', category: 'text', 'variants.title': 'text', description: 'text' },
      name: 'search_text',
      weights: { name: 10, category: 4, 'variants.title': 2, description: 1 },
      default_language: 'english',
    },
  ],
};

/** The fields every write derives from the variants. */
export function derivedFields(variants: readonly VariantDoc[]) {
  const prices = variants.map((variant) => variant.priceCents);
  const first = variants[0] as VariantDoc;
  return {
    sku: first.sku,
    priceCents: first.priceCents,
    priceMin: Math.min(...prices),
    priceMax: Math.max(...prices),
  };
}
