import { type Static, Type } from '@sinclair/typebox';
import { ORDER_LIMITS, SKU_PATTERN } from '../../shared/limits/limits.js';

const Sku = Type.String({
  minLength: 1,
  maxLength: ORDER_LIMITS.skuMaxLength,
  pattern: SKU_PATTERN.source,
});
const Name = Type.String({ minLength: 1, maxLength: ORDER_LIMITS.productNameMaxLength });
const Description = Type.String({ maxLength: 5000 });
const Category = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^$]' });
const PriceCents = Type.Integer({ minimum: 0, maximum: 100_000_000 });

export const Product = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  category: Type.String(),
  priceCents: Type.Integer(),
  currency: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Product = Static<typeof Product>;

export const ProductInput = Type.Object(
  {
    sku: Sku,
    name: Name,
    description: Description,
    category: Category,
    priceCents: PriceCents,
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    initialStock: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
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
});

export const CategoryList = Type.Object({
  categories: Type.Array(
    Type.Object({ name: Type.String(), productCount: Type.Integer({ minimum: 1 }) }),
  ),
});
