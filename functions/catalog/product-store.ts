import { type Collection, type Db, type Document, ObjectId } from 'mongodb';
import { GroupCall } from '../../shared/async/group-commit.js';
import { badUserInput, conflict, notFound } from '../../shared/errors/catalogue.js';
import type { DomainEvent } from '../../shared/events/envelope.js';
import { CATALOG_LIMITS } from '../../shared/limits/limits.js';
import { type CollectionIndexes, isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';
import { type OutboxSender, relayOnly } from '../../shared/outbox/aggregate-store.js';
import { outboxEntries, outboxStoreOf } from '../../shared/outbox/outbox.js';
import { type CursorPosition, decodeCursor, encodeCursor } from '../../shared/pagination/cursor.js';
import { COLLECTION_INDEXES, CollectionStore } from './collection-store.js';
import { IMPORT_INDEXES } from './import-store.js';
import {
  derivedFields,
  type ImageDoc,
  PRODUCT_INDEXES,
  PRODUCTS,
  type ProductDoc,
  type RenditionDoc,
  type VariantDoc,
} from './product-document.js';
import type { CollectionView, Product, ProductUpdate, VariantView } from './product-schemas.js';
import { slugify } from './slug.js';
import { UPLOAD_INDEXES } from './upload-store.js';
import {
  type OptionValue,
  type ProductOption,
  type ProductShape,
  planAddVariant,
  planNewProduct,
  planRemoveVariant,
  planUpdateVariant,
  type VariantChanges,
  type VariantRecord,
  type VariantSpec,
} from './variants.js';

export const CATALOG_INDEXES: CollectionIndexes[] = [
  PRODUCT_INDEXES,
  COLLECTION_INDEXES,
  UPLOAD_INDEXES,
  IMPORT_INDEXES,
];

const OBJECT_ID = /^[0-9a-f]{24}$/;
/** Attempts of a read-then-write change before it gives up on a document that keeps changing. */
const CHANGE_ATTEMPTS = 20;

/** Where a stored object (a picture) is served from, as an absolute URL. */
export type MediaUrl = (key: string) => string;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface ProductPage {
  edges: { cursor: string; node: Product }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A product to create: the first variant is the product's own SKU and price. */
export interface NewProduct {
  sku: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  currency: string;
  options?: readonly ProductOption[];
  /** The first variant's values. */
  variantOptions?: readonly OptionValue[];
  /** More variants. */
  variants?: readonly VariantSpec[];
  collectionIds?: readonly string[];
}

/** What carts and orders price from: a SKU's variant and its product. */
export interface SkuOffer {
  product: Product;
  variant: VariantView;
}

/** A stock level as inventory reports it, with its version. */
export interface StockReport {
  sku: string;
  available: number;
  version: number;
}

const newId = () => new ObjectId().toHexString();

/**
 * Products in MongoDB. Inputs arrive validated; values only ever sit in equality or $regex
 * positions. Changes to options and variants are planned by the rules in variants.ts and
 * written as one update guarded by the revision the plan was made from.
 */
export class ProductStore {
  private readonly products: Collection<ProductDoc>;
  /**
   * Offers asked for while a read is in flight (checkouts under load, each pricing its cart) go
   * out together as one find of every SKU they name; each caller gets its own SKUs' offers.
   */
  private readonly offerReads = new GroupCall<readonly string[], Map<string, SkuOffer>>(
    async (asked) => {
      const offers = await this.readOffers(new Set(asked.flat()));
      return asked.map((skus) => ({
        ok: true,
        value: new Map(
          skus.flatMap((sku) => {
            const offer = offers.get(sku);
            return offer ? [[sku, offer] as const] : [];
          }),
        ),
      }));
    },
  );
  readonly collections: CollectionStore;

  constructor(
    db: Db,
    private readonly mediaUrl: MediaUrl = (key) => key,
    /** How a product's events leave after its write (else the outbox relay sends them). */
    private readonly sender: OutboxSender = relayOnly,
  ) {
    this.products = db.collection<ProductDoc>(PRODUCTS);
    this.collections = new CollectionStore(db);
  }

  /**
   * Product views of documents. Each names its collections' ids; with `collections`, their
   * summaries too, looked up in one query. Lists and the carts' and checkout's prices go
   * without (a read per page that a listing rarely shows); the gateway looks them up, batched,
   * only when a query selects them.
   */
  async views(docs: readonly ProductDoc[], options = { collections: true }): Promise<Product[]> {
    const collections = options.collections
      ? await this.collections.byIds(docs.flatMap((doc) => doc.collectionIds))
      : undefined;
    return docs.map((doc) => this.toView(doc, collections));
  }

  private toView(doc: ProductDoc, collections?: Map<string, CollectionView>): Product {
    const images = doc.images.map((image) => this.imageView(image));
    return {
      id: doc._id.toHexString(),
      sku: doc.sku,
      slug: doc.slug,
      name: doc.name,
      description: doc.description,
      category: doc.category,
      priceCents: doc.priceCents,
      currency: doc.currency,
      options: doc.options,
      variants: doc.variants.map((variant) => ({
        id: variant.id,
        sku: variant.sku,
        title: variant.title,
        options: variant.options,
        priceCents: variant.priceCents,
        currency: doc.currency,
        image: images.find((image) => image.id === variant.imageId) ?? null,
      })),
      images,
      collectionIds: doc.collectionIds,
      ...(collections
        ? { collections: doc.collectionIds.flatMap((id) => collections.get(id) ?? []) }
        : {}),
      createdAt: doc.createdAt.toISOString(),
      updatedAt: doc.updatedAt.toISOString(),
    };
  }

  private imageView(image: ImageDoc): Product['images'][number] {
    return {
      id: image.id,
      url: this.mediaUrl(image.key),
      alt: image.alt,
      width: image.width,
      height: image.height,
      renditions: image.renditions.map((rendition) => ({
        url: this.mediaUrl(rendition.key),
        width: rendition.width,
        height: rendition.height,
      })),
    };
  }

  async list(query: {
    search?: string;
    category?: string;
    collectionId?: string;
    first: number;
    after?: string;
  }): Promise<ProductPage> {
    const filter: Document[] = [];
    if (query.category !== undefined) filter.push({ category: query.category });
    if (query.collectionId !== undefined) filter.push({ collectionIds: query.collectionId });
    if (query.search !== undefined) {
      const pattern = { $regex: escapeRegex(query.search), $options: 'i' };
      filter.push({ $or: [{ name: pattern }, { description: pattern }] });
    }
    if (query.after !== undefined) {
      const position: CursorPosition = decodeCursor(query.after);
      if (!OBJECT_ID.test(position.id))
        throw badUserInput('after is not a cursor this API returned', { field: 'after' });
      const id = new ObjectId(position.id);
      filter.push({
        $or: [
          { createdAt: { $lt: position.createdAt } },
          { createdAt: position.createdAt, _id: { $lt: id } },
        ],
      });
    }
    const docs = await this.products
      .find(filter.length > 0 ? { $and: filter } : {})
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.first + 1)
      .toArray();
    const page = await this.views(docs.slice(0, query.first), { collections: false });
    const edges = page.map((node) => ({
      cursor: encodeCursor({ createdAt: new Date(node.createdAt), id: node.id }),
      node,
    }));
    return {
      edges,
      pageInfo: { hasNextPage: docs.length > query.first, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  /** Every category with products, by name, with how many products each has. */
  async categories(): Promise<{ name: string; productCount: number }[]> {
    const groups = await this.products
      .aggregate<{ _id: string; productCount: number }>([
        { $group: { _id: '$category', productCount: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    return groups.map(({ _id, productCount }) => ({ name: _id, productCount }));
  }

  private findDoc(idOrSlug: string): Promise<ProductDoc | null> {
    return OBJECT_ID.test(idOrSlug)
      ? this.products.findOne({ _id: new ObjectId(idOrSlug) })
      : this.products.findOne({ slug: idOrSlug });
  }

  async get(idOrSlug: string): Promise<Product> {
    const doc = await this.findDoc(idOrSlug);
    if (!doc) throw notFound(`No product ${idOrSlug}`, { idOrSlug });
    return (await this.views([doc]))[0] as Product;
  }

  /** One entry per id, in order, null where absent; one query whatever the count. */
  async getMany(ids: readonly string[]): Promise<(Product | null)[]> {
    const valid = [...new Set(ids.filter((id) => OBJECT_ID.test(id)))].map(
      (id) => new ObjectId(id),
    );
    const docs =
      valid.length > 0 ? await this.products.find({ _id: { $in: valid } }).toArray() : [];
    const views = await this.views(docs, { collections: false });
    const byId = new Map(views.map((view) => [view.id, view]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** The variants of these SKUs with their products (carts and orders price from these). */
  async getBySkus(skus: readonly string[]): Promise<Map<string, SkuOffer>> {
    if (skus.length === 0) return new Map();
    return this.offerReads.submit(skus);
  }

  private async readOffers(wanted: ReadonlySet<string>): Promise<Map<string, SkuOffer>> {
    const docs = await this.products.find({ 'variants.sku': { $in: [...wanted] } }).toArray();
    const offers = new Map<string, SkuOffer>();
    for (const product of await this.views(docs, { collections: false })) {
      for (const variant of product.variants) {
        if (wanted.has(variant.sku)) offers.set(variant.sku, { product, variant });
      }
    }
    return offers;
  }

  async create(input: NewProduct): Promise<Product> {
    const slug = slugify(input.name);
    if (!slug) throw conflict('The name needs letters or digits to make a slug', { field: 'name' });
    const shape = planNewProduct(
      {
        ...(input.options ? { options: input.options } : {}),
        variants: [
          { sku: input.sku, options: input.variantOptions ?? [], priceCents: input.priceCents },
          ...(input.variants ?? []),
        ],
      },
      newId,
    );
    const doc = newProductDoc({
      slug,
      name: input.name,
      description: input.description,
      category: input.category,
      currency: input.currency,
      shape,
      collectionIds: input.collectionIds ?? [],
    });
    try {
      await this.products.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      throw await this.duplicateOf(doc);
    }
    return (await this.views([doc]))[0] as Product;
  }

  /** Which unique value refused a product: asked of the data, as servers word E11000 differently. */
  private async duplicateOf(doc: Pick<ProductDoc, '_id' | 'slug' | 'variants'>) {
    const skus = doc.variants.map((variant) => variant.sku);
    const holder = await this.products.findOne(
      { _id: { $ne: doc._id }, 'variants.sku': { $in: skus } },
      { projection: { 'variants.sku': 1 } },
    );
    const taken = holder?.variants.find((variant) => skus.includes(variant.sku))?.sku;
    if (taken) {
      return conflict(`A product with sku "${taken}" already exists`, { field: 'sku', sku: taken });
    }
    return conflict(`A product with slug "${doc.slug}" already exists`, { field: 'slug' });
  }

  /** The slug stays as created, so links to the product keep working after a rename. */
  async update(
    id: string,
    changes: Omit<ProductUpdate, 'collections'> & { collectionIds?: readonly string[] },
  ): Promise<Product> {
    const { priceCents, collectionIds, ...fields } = changes;
    return this.change({ _id: objectId(id) }, `No product ${id}`, (doc) => {
      const set: Partial<ProductDoc> = { ...fields };
      if (collectionIds !== undefined) set.collectionIds = [...new Set(collectionIds)];
      if (priceCents !== undefined) {
        // The product's price is its first variant's.
        const variants = doc.variants.map((variant, i) =>
          i === 0 ? { ...variant, priceCents } : variant,
        );
        Object.assign(set, { variants, ...derivedFields(variants) });
      }
      return set;
    });
  }

  async addVariant(productId: string, spec: VariantSpec): Promise<Product> {
    return this.change({ _id: objectId(productId) }, `No product ${productId}`, (doc) =>
      this.shapeChange(doc, planAddVariant(shapeOf(doc), spec, newId)),
    );
  }

  async updateVariant(sku: string, changes: VariantChanges): Promise<Product> {
    return this.change({ 'variants.sku': sku }, `No variant with SKU ${sku}`, (doc) =>
      this.shapeChange(
        doc,
        planUpdateVariant(
          shapeOf(doc),
          sku,
          changes,
          doc.images.map((image) => image.id),
        ),
      ),
    );
  }

  async removeVariant(sku: string): Promise<Product> {
    return this.change({ 'variants.sku': sku }, `No variant with SKU ${sku}`, (doc) =>
      this.shapeChange(doc, planRemoveVariant(shapeOf(doc), sku)),
    );
  }

  /**
   * Creates or updates products from a checked catalog file, by handle (the slug): a new one
   * is inserted, an existing one takes the file's fields, options and variants (a variant that
   * stays keeps its stock). Returns how many were created and how many updated.
   */
  async importProducts(
    products: readonly ImportedProduct[],
  ): Promise<{ created: number; updated: number }> {
    const existing = await this.products
      .find(
        { slug: { $in: products.map((product) => product.handle) } },
        { projection: { slug: 1 } },
      )
      .toArray();
    const known = new Set(existing.map((doc) => doc.slug));
    let fresh = products.filter((product) => !known.has(product.handle));
    if (fresh.length > 0) {
      const docs = fresh.map((product) =>
        newProductDoc({
          slug: product.handle,
          name: product.title,
          description: product.body,
          category: product.category,
          currency: product.currency,
          shape: product.shape,
          collectionIds: product.collectionIds,
        }),
      );
      try {
        await this.products.insertMany(docs, { ordered: false });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        // Some inserts were refused. A product made meanwhile under the same handle (this
        // import, repeated) is updated below; a SKU another product took meanwhile fails it.
        const there = new Map(
          (
            await this.products
              .find({ slug: { $in: docs.map((doc) => doc.slug) } }, { projection: { slug: 1 } })
              .toArray()
          ).map((doc) => [doc.slug, doc._id.toHexString()]),
        );
        const taken = docs.find((doc) => !there.has(doc.slug));
        if (taken) {
          throw conflict(`A SKU of ${taken.slug} was given to another product meanwhile`, {
            handle: taken.slug,
          });
        }
        const ours = new Set(
          docs
            .filter((doc) => there.get(doc.slug) === doc._id.toHexString())
            .map((doc) => doc.slug),
        );
        for (const doc of docs) if (!ours.has(doc.slug)) known.add(doc.slug);
        fresh = fresh.filter((product) => ours.has(product.handle));
      }
    }
    const changed = products.filter((product) => known.has(product.handle));
    await forEachLimited(changed, 16, (product) =>
      this.change({ slug: product.handle }, `No product ${product.handle}`, (doc) => ({
        name: product.title,
        description: product.body,
        category: product.category,
        currency: product.currency,
        collectionIds: [...product.collectionIds],
        ...this.shapeChange(doc, keepVariantIdentity(doc, product.shape)),
      })),
    );
    return { created: fresh.length, updated: changed.length };
  }

  /** Products by page, oldest first, for an export of the whole catalog. */
  async *allDocs(batch = 500): AsyncGenerator<ProductDoc[]> {
    let page: ProductDoc[] = [];
    for await (const doc of this.products
      .find({})
      .sort({ createdAt: 1, _id: 1 })
      .batchSize(batch)) {
      page.push(doc);
      if (page.length === batch) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  /** The handles (slugs) of the products that hold any of these SKUs. */
  async handlesOfSkus(skus: readonly string[]): Promise<Map<string, string>> {
    const docs = await this.products
      .find({ 'variants.sku': { $in: [...skus] } }, { projection: { slug: 1, 'variants.sku': 1 } })
      .toArray();
    const owners = new Map<string, string>();
    for (const doc of docs) for (const variant of doc.variants) owners.set(variant.sku, doc.slug);
    return owners;
  }

  /** The product holding this SKU, if any. */
  async findBySku(sku: string): Promise<Product | null> {
    const doc = await this.products.findOne({ 'variants.sku': sku });
    return doc ? ((await this.views([doc]))[0] as Product) : null;
  }

  /** A new shape as a change of the document, each variant keeping the stock it had. */
  private shapeChange(doc: ProductDoc, shape: ProductShape): Partial<ProductDoc> {
    const stockOf = new Map(doc.variants.map((variant) => [variant.sku, variant]));
    const variants = shape.variants.map((variant) => {
      const had = stockOf.get(variant.sku);
      return had
        ? { ...variant, available: had.available, stockVersion: had.stockVersion }
        : withNoStockYet(variant);
    });
    return { options: shape.options, variants, ...derivedFields(variants) };
  }

  /**
   * Reads the document, plans the change from it and writes it only if nothing changed it
   * meanwhile (its revision), else plans again on what is there now.
   */
  private async change(
    filter: Document,
    missing: string,
    plan: (doc: ProductDoc) => Partial<ProductDoc>,
  ): Promise<Product> {
    for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
      const doc = await this.products.findOne(filter);
      if (!doc) throw notFound(missing);
      const set = plan(doc);
      try {
        const after = await this.products.findOneAndUpdate(
          { _id: doc._id, revision: doc.revision },
          { $set: { ...set, updatedAt: new Date() }, $inc: { revision: 1 } },
          { returnDocument: 'after' },
        );
        if (after) return (await this.views([after]))[0] as Product;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        throw await this.duplicateOf({ ...doc, ...set });
      }
    }
    throw new Error(`product ${JSON.stringify(filter)} changed too often to change it`);
  }

  /**
   * Adds a picture (and shows it for the variants named), with the event that has it resized,
   * in one write. Adding the same upload again changes nothing and answers the product.
   */
  async addImage(
    productId: string,
    image: ImageDoc,
    variantSkus: readonly string[],
    event: DomainEvent,
  ): Promise<Product> {
    for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
      const doc = await this.products.findOne({ _id: objectId(productId) });
      if (!doc) throw notFound(`No product ${productId}`, { id: productId });
      if (doc.images.some((other) => other.uploadId === image.uploadId)) {
        await this.sendOutbox(doc);
        return (await this.views([doc]))[0] as Product;
      }
      if (doc.images.length >= CATALOG_LIMITS.maxImages) {
        throw badUserInput(`A product has at most ${CATALOG_LIMITS.maxImages} pictures`, {
          field: 'productId',
          limit: CATALOG_LIMITS.maxImages,
        });
      }
      const unknown = variantSkus.filter((sku) => !doc.variants.some((v) => v.sku === sku));
      if (unknown.length > 0) {
        throw badUserInput(`The product has no variant ${unknown.join(', ')}`, {
          field: 'variantSkus',
        });
      }
      const variants = doc.variants.map((variant) =>
        variantSkus.includes(variant.sku) ? { ...variant, imageId: image.id } : variant,
      );
      const after = await this.products.findOneAndUpdate(
        { _id: doc._id, revision: doc.revision },
        {
          $push: { images: image, outbox: { $each: outboxEntries([event]) } },
          $set: { variants, updatedAt: new Date() },
          $inc: { revision: 1 },
        },
        { returnDocument: 'after' },
      );
      if (after) {
        await this.sendOutbox(after);
        return (await this.views([after]))[0] as Product;
      }
    }
    throw new Error(`product ${productId} changed too often to add a picture`);
  }

  /** Changes a picture's alt text. */
  async updateImage(productId: string, imageId: string, alt: string): Promise<Product> {
    const after = await this.products.findOneAndUpdate(
      { _id: objectId(productId), 'images.id': imageId },
      { $set: { 'images.$.alt': alt, updatedAt: new Date() }, $inc: { revision: 1 } },
      { returnDocument: 'after' },
    );
    if (!after) throw notFound(`The product has no picture ${imageId}`, { field: 'imageId' });
    return (await this.views([after]))[0] as Product;
  }

  /** Removes a picture (and from the variants that showed it); returns its object keys. */
  async removeImage(
    productId: string,
    imageId: string,
  ): Promise<{ product: Product; keys: string[] }> {
    let keys: string[] = [];
    const product = await this.change(
      { _id: objectId(productId) },
      `No product ${productId}`,
      (doc) => {
        const image = doc.images.find((candidate) => candidate.id === imageId);
        if (!image) throw notFound(`The product has no picture ${imageId}`, { field: 'imageId' });
        keys = [image.key, ...image.renditions.map((rendition) => rendition.key)];
        return {
          images: doc.images.filter((candidate) => candidate.id !== imageId),
          variants: doc.variants.map((variant) =>
            variant.imageId === imageId ? { ...variant, imageId: null } : variant,
          ),
        };
      },
    );
    return { product, keys };
  }

  /**
   * Records a picture's resized copies. False when the picture is gone (removed meanwhile):
   * the caller may then delete the copies it made.
   */
  async recordRenditions(
    productId: string,
    imageId: string,
    renditions: readonly RenditionDoc[],
  ): Promise<boolean> {
    if (!OBJECT_ID.test(productId)) return false;
    const result = await this.products.updateOne(
      { _id: new ObjectId(productId), 'images.id': imageId },
      { $set: { 'images.$.renditions': [...renditions] }, $inc: { revision: 1 } },
    );
    return result.matchedCount > 0;
  }

  private sendOutbox(doc: ProductDoc): Promise<void> {
    if (doc.outbox.length === 0) return Promise.resolve();
    return this.sender.send(outboxStoreOf(this.products), doc._id, doc.outbox);
  }

  async delete(id: string): Promise<void> {
    await this.products.deleteOne({ _id: new ObjectId(id) });
  }

  /**
   * Applies inventory's stock levels to the variants that sell these SKUs, each only if it is
   * newer than the level the variant has (so a late or repeated report never goes back).
   * Returns how many variants changed.
   */
  async applyStock(reports: readonly StockReport[]): Promise<number> {
    if (reports.length === 0) return 0;
    const result = await this.products.bulkWrite(
      reports.map((report) => ({
        updateOne: {
          filter: olderStockOf(report),
          update: {
            $set: {
              'variants.$.available': report.available,
              'variants.$.stockVersion': report.version,
            },
            $inc: { revision: 1 },
          },
        },
      })),
      { ordered: false },
    );
    return result.modifiedCount;
  }
}

/**
 * The product whose variant `report.sku` holds an older stock level than the report's. The
 * plain equality lets the planner use the partial `variants.sku` index: an $elemMatch alone
 * does not imply the index's `$exists`, and would scan the whole catalog for every report.
 */
export function olderStockOf(report: Pick<StockReport, 'sku' | 'version'>) {
  return {
    'variants.sku': report.sku,
    variants: { $elemMatch: { sku: report.sku, stockVersion: { $lt: report.version } } },
  };
}

function objectId(id: string): ObjectId {
  if (!OBJECT_ID.test(id)) throw notFound(`No product ${id}`, { id });
  return new ObjectId(id);
}

/**
 * A file's variants as the product has them: a SKU it had keeps its id and its picture (the
 * file has no picture column), so importing an export back changes neither.
 */
function keepVariantIdentity(doc: ProductDoc, shape: ProductShape): ProductShape {
  const had = new Map(doc.variants.map((variant) => [variant.sku, variant]));
  return {
    ...shape,
    variants: shape.variants.map((variant) => {
      const before = had.get(variant.sku);
      return before ? { ...variant, id: before.id, imageId: before.imageId } : variant;
    }),
  };
}

function shapeOf(doc: ProductDoc): ProductShape {
  return { options: doc.options, variants: doc.variants };
}

function withNoStockYet(variant: VariantRecord): VariantDoc {
  return { ...variant, available: 0, stockVersion: 0 };
}

/** A product from a catalog file, checked: its handle is its slug. */
export interface ImportedProduct {
  handle: string;
  title: string;
  body: string;
  category: string;
  currency: string;
  collectionIds: readonly string[];
  shape: ProductShape;
}

/** A new product as stored: no stock seen yet, no pictures, nothing in its outbox. */
function newProductDoc(fields: {
  slug: string;
  name: string;
  description: string;
  category: string;
  currency: string;
  shape: ProductShape;
  collectionIds: readonly string[];
}): ProductDoc {
  const now = new Date();
  const variants = fields.shape.variants.map(withNoStockYet);
  return {
    _id: new ObjectId(),
    slug: fields.slug,
    name: fields.name,
    description: fields.description,
    category: fields.category,
    currency: fields.currency,
    options: fields.shape.options,
    variants,
    images: [],
    collectionIds: [...new Set(fields.collectionIds)],
    ...derivedFields(variants),
    revision: 0,
    outbox: [],
    createdAt: now,
    updatedAt: now,
  };
}

/** Runs `work` on every item, at most `limit` at a time. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}
