import { type Collection, type Db, ObjectId } from 'mongodb';
import { badUserInput, conflict, notFound } from '../../shared/errors/catalogue.js';
import { type CollectionIndexes, isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';
import { type CursorPosition, decodeCursor, encodeCursor } from '../../shared/pagination/cursor.js';
import type { Product, ProductInput, ProductUpdate } from './product-schemas.js';
import { slugify } from './slug.js';

interface ProductDoc {
  _id: ObjectId;
  sku: string;
  slug: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  currency: string;
  createdAt: Date;
  updatedAt: Date;
}

const PRODUCTS = 'products';

export const CATALOG_INDEXES: CollectionIndexes[] = [
  {
    collection: PRODUCTS,
    indexes: [
      { key: { sku: 1 }, name: 'sku_unique', unique: true },
      { key: { slug: 1 }, name: 'slug_unique', unique: true },
      { key: { createdAt: -1, _id: -1 }, name: 'newest_first' },
      { key: { category: 1, createdAt: -1, _id: -1 }, name: 'category_newest_first' },
    ],
  },
];

const OBJECT_ID = /^[0-9a-f]{24}$/;

function toProduct(doc: ProductDoc): Product {
  const { _id, createdAt, updatedAt, ...rest } = doc;
  return {
    id: _id.toHexString(),
    ...rest,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface ProductPage {
  edges: { cursor: string; node: Product }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Products in MongoDB. Inputs arrive validated; values only ever sit in equality or $regex positions. */
export class ProductStore {
  private readonly products: Collection<ProductDoc>;

  constructor(db: Db) {
    this.products = db.collection<ProductDoc>(PRODUCTS);
  }

  async list(query: {
    search?: string;
    category?: string;
    first: number;
    after?: string;
  }): Promise<ProductPage> {
    const filter: Record<string, unknown>[] = [];
    if (query.category !== undefined) filter.push({ category: query.category });
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
    const page = docs.slice(0, query.first).map(toProduct);
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

  async get(idOrSlug: string): Promise<Product> {
    const doc = OBJECT_ID.test(idOrSlug)
      ? await this.products.findOne({ _id: new ObjectId(idOrSlug) })
      : await this.products.findOne({ slug: idOrSlug });
    if (!doc) throw notFound(`No product ${idOrSlug}`, { idOrSlug });
    return toProduct(doc);
  }

  /** One entry per id, in order, null where absent; one query whatever the count. */
  async getMany(ids: readonly string[]): Promise<(Product | null)[]> {
    const valid = [...new Set(ids.filter((id) => OBJECT_ID.test(id)))].map(
      (id) => new ObjectId(id),
    );
    const docs =
      valid.length > 0 ? await this.products.find({ _id: { $in: valid } }).toArray() : [];
    const byId = new Map(docs.map((doc) => [doc._id.toHexString(), toProduct(doc)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Products by SKU (the carts and orders price from these), keyed by SKU. */
  async getBySkus(skus: readonly string[]): Promise<Map<string, Product>> {
    if (skus.length === 0) return new Map();
    const docs = await this.products.find({ sku: { $in: [...new Set(skus)] } }).toArray();
    return new Map(docs.map((doc) => [doc.sku, toProduct(doc)]));
  }

  async create(input: Omit<ProductInput, 'initialStock'>): Promise<Product> {
    const slug = slugify(input.name);
    if (!slug) throw conflict('The name needs letters or digits to make a slug', { field: 'name' });
    const now = new Date();
    const doc: ProductDoc = { _id: new ObjectId(), ...input, slug, createdAt: now, updatedAt: now };
    try {
      await this.products.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // Which unique index refused it: asked of the data, as servers word E11000 differently.
      const field = (await this.products.countDocuments({ sku: input.sku })) > 0 ? 'sku' : 'slug';
      const value = field === 'sku' ? input.sku : slug;
      throw conflict(`A product with ${field} "${value}" already exists`, { field });
    }
    return toProduct(doc);
  }

  /** The slug stays as created, so links to the product keep working after a rename. */
  async update(id: string, changes: ProductUpdate): Promise<Product> {
    const doc = await this.products.findOneAndUpdate(
      { _id: new ObjectId(id) },
      { $set: { ...changes, updatedAt: new Date() } },
      { returnDocument: 'after' },
    );
    if (!doc) throw notFound(`No product ${id}`, { id });
    return toProduct(doc);
  }

  async delete(id: string): Promise<void> {
    await this.products.deleteOne({ _id: new ObjectId(id) });
  }
}
