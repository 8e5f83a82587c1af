import { type Static, Type } from '@sinclair/typebox';
import { CATALOG_LIMITS, ORDER_LIMITS, SKU_PATTERN } from '../../shared/limits/limits.js';

const Sku = Type.String({
  minLength: 1,
  maxLength: ORDER_LIMITS.skuMaxLength,
  pattern: SKU_PATTERN.source,
});
const Name = Type.String({ minLength: 1, maxLength: ORDER_LIMITS.productNameMaxLength });
const Description = Type.String({ maxLength: 5000 });
const Category = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^$]' });
const PriceCents = Type.Integer({ minimum: 0, maximum: 100_000_000 });

const OptionValueView = Type.Object({ name: Type.String(), value: Type.String() });

export const ImageView = Type.Object({
  id: Type.String(),
  url: Type.String(),
  alt: Type.String(),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  /** Resized copies, narrowest first; empty until they are made. */
  renditions: Type.Array(
    Type.Object({ url: Type.String(), width: Type.Integer(), height: Type.Integer() }),
  ),
});

export const VariantView = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  title: Type.String(),
  options: Type.Array(OptionValueView),
  priceCents: Type.Integer(),
  currency: Type.String(),
  image: Type.Union([ImageView, Type.Null()]),
});
export type VariantView = Static<typeof VariantView>;

export const CollectionView = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
});
export type CollectionView = Static<typeof CollectionView>;

export const Product = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  category: Type.String(),
  priceCents: Type.Integer(),
  currency: Type.String(),
  options: Type.Array(Type.Object({ name: Type.String(), values: Type.Array(Type.String()) })),
  variants: Type.Array(VariantView),
  images: Type.Array(ImageView),
  /** The ids of the collections the product is in. */
  collectionIds: Type.Array(Type.String()),
  /** Those collections; in a single product's answer only (lists name the ids). */
  collections: Type.Optional(Type.Array(CollectionView)),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Product = Static<typeof Product>;

// Loose bounds against oversized bodies; the catalog's rules (variants.ts, CATALOG_LIMITS)
// give the precise refusals, with the field and the limit.
const OptionText = Type.String({ minLength: 1, maxLength: 200 });
const OptionValueInput = Type.Object(
  { name: OptionText, value: OptionText },
  { additionalProperties: false },
);
const ProductOptionInput = Type.Object(
  { name: OptionText, values: Type.Array(OptionText, { maxItems: 200 }) },
  { additionalProperties: false },
);
const InitialStock = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const CollectionSlug = Type.String({ minLength: 1, maxLength: 100 });

export const VariantInput = Type.Object(
  {
    sku: Sku,
    options: Type.Array(OptionValueInput, { maxItems: 10 }),
    priceCents: PriceCents,
    initialStock: Type.Optional(InitialStock),
  },
  { additionalProperties: false },
);
export type VariantInput = Static<typeof VariantInput>;

export const VariantUpdate = Type.Object(
  {
    priceCents: Type.Optional(PriceCents),
    options: Type.Optional(Type.Array(OptionValueInput, { maxItems: 10 })),
    imageId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type VariantUpdate = Static<typeof VariantUpdate>;

export const ProductInput = Type.Object(
  {
    sku: Sku,
    name: Name,
    description: Description,
    category: Category,
    priceCents: PriceCents,
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    initialStock: Type.Optional(InitialStock),
    /** The product's options, values in display order (at most 3). */
    options: Type.Optional(Type.Array(ProductOptionInput, { maxItems: 10 })),
    /** The first variant's values, one per option. */
    variantOptions: Type.Optional(Type.Array(OptionValueInput, { maxItems: 10 })),
    /** Variants besides the first one (which `sku`, `priceCents` and `initialStock` describe). */
    variants: Type.Optional(Type.Array(VariantInput, { maxItems: 200 })),
    /** Slugs of the collections the product is in. */
    collections: Type.Optional(Type.Array(CollectionSlug, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type ProductInput = Static<typeof ProductInput>;

export const ProductUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    category: Type.Optional(Category),
    priceCents: Type.Optional(PriceCents),
    /** Slugs of the collections the product is in (replaces the list). */
    collections: Type.Optional(Type.Array(CollectionSlug, { maxItems: 50 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ProductUpdate = Static<typeof ProductUpdate>;

export const ProductListQuery = Type.Object(
  {
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    category: Type.Optional(Category),
    first: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ProductListQuery = Static<typeof ProductListQuery>;

export const ProductConnection = Type.Object({
  edges: Type.Array(Type.Object({ cursor: Type.String(), node: Product })),
  pageInfo: Type.Object({
    hasNextPage: Type.Boolean(),
    endCursor: Type.Union([Type.String(), Type.Null()]),
  }),
});

export const ProductLookup = Type.Object(
  {
    ids: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);

export const ProductLookupResult = Type.Object({
  /** One entry per requested id, in order; null where no product has that id. */
  products: Type.Array(Type.Union([Product, Type.Null()])),
});

export const IdOrSlugParams = Type.Object({
  idOrSlug: Type.String({ minLength: 1, maxLength: 100 }),
});
export const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{24}$' }) });

export const SkuParams = Type.Object({ sku: Sku });

export const RestockInput = Type.Object(
  { quantity: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000, not: { const: 0 } }) },
  { additionalProperties: false },
);

export const StockLevel = Type.Object({
  sku: Type.String(),
  available: Type.Integer(),
  reserved: Type.Integer(),
  sold: Type.Integer(),
  version: Type.Integer(),
});

export const CollectionInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: CATALOG_LIMITS.collectionTitleMaxLength }),
    description: Type.Optional(
      Type.String({ maxLength: CATALOG_LIMITS.collectionDescriptionMaxLength }),
    ),
    /** Made from the title when omitted. */
    slug: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const CollectionUpdate = Type.Object(
  {
    title: Type.Optional(
      Type.String({ minLength: 1, maxLength: CATALOG_LIMITS.collectionTitleMaxLength }),
    ),
    description: Type.Optional(
      Type.String({ maxLength: CATALOG_LIMITS.collectionDescriptionMaxLength }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CollectionList = Type.Object({ collections: Type.Array(CollectionView) });

/** The gateway's batch look-up of the collections a page of products is in. */
export const CollectionLookup = Type.Object(
  {
    ids: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
);

export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 100 }) });

export const CollectionProductsQuery = Type.Object(
  {
    first: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const SearchInput = Type.Object(
  {
    query: Type.Optional(Type.String({ maxLength: 200 })),
    filters: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 64 }),
            values: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
              minItems: 1,
              maxItems: 100,
            }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
    inStockOnly: Type.Optional(Type.Boolean()),
    sort: Type.Optional(
      Type.Union([
        Type.Literal('RELEVANCE'),
        Type.Literal('NEWEST'),
        Type.Literal('PRICE_ASC'),
        Type.Literal('PRICE_DESC'),
      ]),
    ),
    first: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  },
  { additionalProperties: false },
);

export const SearchResult = Type.Object({
  products: ProductConnection,
  facets: Type.Array(
    Type.Object({
      name: Type.String(),
      values: Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() })),
    }),
  ),
  total: Type.Integer(),
});

export const UploadInput = Type.Object(
  {
    kind: Type.Union([Type.Literal('PRODUCT_IMAGE'), Type.Literal('PRODUCT_CSV')]),
    contentType: Type.String({ minLength: 1, maxLength: 100 }),
    byteSize: Type.Integer({ minimum: 1, maximum: 1024 * 1024 * 1024 }),
  },
  { additionalProperties: false },
);

export const UploadTicket = Type.Object({
  id: Type.String(),
  url: Type.String(),
  method: Type.Literal('PUT'),
  headers: Type.Array(Type.Object({ name: Type.String(), value: Type.String() })),
  expiresAt: Type.String({ format: 'date-time' }),
  maxBytes: Type.Integer(),
});

export const ImageInput = Type.Object(
  {
    uploadId: Type.String({ minLength: 1, maxLength: 64 }),
    alt: Type.String({ maxLength: 1_000 }),
    /** Variants that show this picture. */
    variantSkus: Type.Optional(Type.Array(Sku, { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export const ImageUpdate = Type.Object(
  { alt: Type.String({ maxLength: 1_000 }) },
  { additionalProperties: false },
);

export const ImageParams = Type.Object({
  id: Type.String({ pattern: '^[0-9a-f]{24}$' }),
  imageId: Type.String({ minLength: 1, maxLength: 64 }),
});

export const ImportInput = Type.Object(
  { uploadId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export const ImportView = Type.Object({
  id: Type.String(),
  status: Type.Union([
    Type.Literal('QUEUED'),
    Type.Literal('RUNNING'),
    Type.Literal('SUCCEEDED'),
    Type.Literal('FAILED'),
  ]),
  rows: Type.Integer(),
  processedRows: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  problems: Type.Array(
    Type.Object({
      row: Type.Union([Type.Integer(), Type.Null()]),
      column: Type.Union([Type.String(), Type.Null()]),
      message: Type.String(),
    }),
  ),
  problemCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const ImportList = Type.Object({ imports: Type.Array(ImportView) });

export const ExportView = Type.Object({
  url: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  products: Type.Integer(),
  variants: Type.Integer(),
});

export const CategoryList = Type.Object({
  categories: Type.Array(
    Type.Object({ name: Type.String(), productCount: Type.Integer({ minimum: 1 }) }),
  ),
});
