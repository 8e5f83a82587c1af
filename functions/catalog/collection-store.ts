import { type Collection, type Db, ObjectId } from 'mongodb';
import { badUserInput, conflict, notFound } from '../../shared/errors/catalogue.js';
import { CATALOG_LIMITS } from '../../shared/limits/limits.js';
import { type CollectionIndexes, isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';
import type { CollectionView } from './product-schemas.js';
import { slugify } from './slug.js';

/** An admin-curated group of products with a page of its own; products name the ones they are in. */
interface CollectionDoc {
  _id: ObjectId;
  slug: string;
  title: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

const PRODUCT_COLLECTIONS = 'product_collections';

export const COLLECTION_INDEXES: CollectionIndexes = {
  collection: PRODUCT_COLLECTIONS,
  indexes: [{ key: { slug: 1 }, name: 'slug_unique', unique: true }],
};

const OBJECT_ID = /^[0-9a-f]{24}$/;

function toView(doc: CollectionDoc): CollectionView {
  return {
    id: doc._id.toHexString(),
    slug: doc.slug,
    title: doc.title,
    description: doc.description,
  };
}

export interface CollectionInput {
  title: string;
  description?: string;
  /** Made from the title when omitted. */
  slug?: string;
}

/** Collections in MongoDB: the catalog's own, read by slug or id. */
export class CollectionStore {
  private readonly collections: Collection<CollectionDoc>;

  constructor(db: Db) {
    this.collections = db.collection<CollectionDoc>(PRODUCT_COLLECTIONS);
  }

  async list(): Promise<CollectionView[]> {
    const docs = await this.collections.find().sort({ title: 1, _id: 1 }).toArray();
    return docs.map(toView);
  }

  async get(slugOrId: string): Promise<CollectionView> {
    const doc = OBJECT_ID.test(slugOrId)
      ? await this.collections.findOne({ _id: new ObjectId(slugOrId) })
      : await this.collections.findOne({ slug: slugOrId });
    if (!doc) throw notFound(`No collection ${slugOrId}`, { slug: slugOrId });
    return toView(doc);
  }

  /** Collections by id (one query), for the products that name them. */
  async byIds(ids: readonly string[]): Promise<Map<string, CollectionView>> {
    const valid = [...new Set(ids)]
      .filter((id) => OBJECT_ID.test(id))
      .map((id) => new ObjectId(id));
    if (valid.length === 0) return new Map();
    const docs = await this.collections.find({ _id: { $in: valid } }).toArray();
    return new Map(docs.map((doc) => [doc._id.toHexString(), toView(doc)]));
  }

  /** The ids of the collections named by slug, in order; an unknown slug is bad input. */
  async idsOf(slugs: readonly string[], field = 'collections'): Promise<string[]> {
    const unique = [...new Set(slugs)];
    if (unique.length > CATALOG_LIMITS.maxCollectionsPerProduct) {
      throw badUserInput(
        `A product is in at most ${CATALOG_LIMITS.maxCollectionsPerProduct} collections`,
        { field, limit: CATALOG_LIMITS.maxCollectionsPerProduct },
      );
    }
    if (unique.length === 0) return [];
    const docs = await this.collections.find({ slug: { $in: unique } }).toArray();
    const bySlug = new Map(docs.map((doc) => [doc.slug, doc._id.toHexString()]));
    const unknown = unique.filter((slug) => !bySlug.has(slug));
    if (unknown.length > 0) {
      throw badUserInput(`No collection ${unknown.join(', ')}; create it first`, {
        field,
        unknown,
      });
    }
    return unique.map((slug) => bySlug.get(slug) as string);
  }

  /** The ids of the collections named by slug that exist (a search for an unknown one finds nothing). */
  async idsOfKnown(slugs: readonly string[]): Promise<string[]> {
    const docs = await this.collections
      .find({ slug: { $in: [...new Set(slugs)] } }, { projection: { _id: 1 } })
      .toArray();
    return docs.map((doc) => doc._id.toHexString());
  }

  /** The ids of the collections that exist among these slugs, by slug. */
  async idsBySlug(slugs: readonly string[]): Promise<Map<string, string>> {
    if (slugs.length === 0) return new Map();
    const docs = await this.collections
      .find({ slug: { $in: [...new Set(slugs)] } }, { projection: { slug: 1 } })
      .toArray();
    return new Map(docs.map((doc) => [doc.slug, doc._id.toHexString()]));
  }

  async create(input: CollectionInput): Promise<CollectionView> {
    const slug = slugify(input.slug ?? input.title);
    if (!slug) throw badUserInput('The slug needs letters or digits', { field: 'slug' });
    const now = new Date();
    const doc: CollectionDoc = {
      _id: new ObjectId(),
      slug,
      title: input.title.trim(),
      description: input.description?.trim() ?? '',
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.collections.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      throw conflict(`A collection with slug "${slug}" already exists`, { field: 'slug' });
    }
    return toView(doc);
  }

  /** The slug stays as created, so links to the collection keep working. */
  async update(
    id: string,
    changes: { title?: string; description?: string },
  ): Promise<CollectionView> {
    const set: Partial<CollectionDoc> = { updatedAt: new Date() };
    if (changes.title !== undefined) set.title = changes.title.trim();
    if (changes.description !== undefined) set.description = changes.description.trim();
    const doc = OBJECT_ID.test(id)
      ? await this.collections.findOneAndUpdate(
          { _id: new ObjectId(id) },
          { $set: set },
          { returnDocument: 'after' },
        )
      : null;
    if (!doc) throw notFound(`No collection ${id}`, { id });
    return toView(doc);
  }
}
