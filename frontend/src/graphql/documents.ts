import { graphql } from './graphql.js';

/** A picture with its resized copies, for `srcset`. */
export const ImageFields = graphql(`
  fragment ImageFields on Image {
    id
    url
    alt
    width
    height
    renditions {
      url
      width
      height
    }
  }
`);

/** Every field of a product the pages show: its variants with their stock and pictures. */
export const ProductFields = graphql(
  `
    fragment ProductFields on Product {
      id
      sku
      slug
      name
      description
      category
      priceCents
      currency
      stock {
        sku
        available
        reserved
      }
      options {
        name
        values
      }
      variants {
        id
        sku
        title
        options {
          name
          value
        }
        priceCents
        currency
        stock {
          sku
          available
          reserved
        }
        image {
          ...ImageFields
        }
      }
      images {
        ...ImageFields
      }
      collections {
        slug
        title
      }
    }
  `,
  [ImageFields],
);

export const CatalogQuery = graphql(
  `
    query Catalog($search: String, $category: String, $first: Int, $after: String) {
      products(search: $search, category: $category, first: $first, after: $after) {
        edges {
          cursor
          node {
            ...ProductFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [ProductFields],
);

export const CategoriesQuery = graphql(`
  query Categories {
    categories {
      name
      productCount
    }
  }
`);

export const ProductQuery = graphql(
  `
    query Product($slug: String!) {
      product(slug: $slug) {
        ...ProductFields
        createdAt
      }
    }
  `,
  [ProductFields],
);

export const StockQuery = graphql(`
  query Stock($skus: [String!]!) {
    stock(skus: $skus) {
      sku
      available
      reserved
    }
  }
`);

export const StockChanged = graphql(`
  subscription StockChanged($skus: [String!]!) {
    stockChanged(skus: $skus) {
      sku
      available
      reserved
    }
  }
`);

export const UserFields = graphql(`
  fragment UserFields on User {
    id
    email
    name
    role
  }
`);

export const MeQuery = graphql(
  `
    query Me {
      me {
        ...UserFields
      }
    }
  `,
  [UserFields],
);

export const LoginMutation = graphql(
  `
    mutation Login($email: String!, $password: String!) {
      login(email: $email, password: $password) {
        token
        user {
          ...UserFields
        }
      }
    }
  `,
  [UserFields],
);

export const RegisterMutation = graphql(
  `
    mutation Register($input: RegisterInput!) {
      register(input: $input) {
        token
        user {
          ...UserFields
        }
      }
    }
  `,
  [UserFields],
);

export const CartFields = graphql(
  `
    fragment CartFields on Cart {
      subtotalCents
      currency
      items {
        sku
        quantity
        lineTotalCents
        product {
          ...ProductFields
        }
        variant {
          sku
          title
          priceCents
          currency
        }
      }
    }
  `,
  [ProductFields],
);

export const CartQuery = graphql(
  `
    query Cart {
      cart {
        ...CartFields
      }
    }
  `,
  [CartFields],
);

export const AddToCartMutation = graphql(
  `
    mutation AddToCart($sku: String!, $quantity: Int!) {
      addToCart(sku: $sku, quantity: $quantity) {
        ...CartFields
      }
    }
  `,
  [CartFields],
);

export const UpdateCartItemMutation = graphql(
  `
    mutation UpdateCartItem($sku: String!, $quantity: Int!) {
      updateCartItem(sku: $sku, quantity: $quantity) {
        ...CartFields
      }
    }
  `,
  [CartFields],
);

export const ClearCartMutation = graphql(
  `
    mutation ClearCart {
      clearCart {
        ...CartFields
      }
    }
  `,
  [CartFields],
);

export const OrderFields = graphql(`
  fragment OrderFields on Order {
    id
    status
    totalCents
    currency
    cancellationReason
    createdAt
    updatedAt
    items {
      sku
      name
      variantTitle
      quantity
      unitPriceCents
    }
    history {
      status
      at
      reason
    }
  }
`);

export const CheckoutMutation = graphql(
  `
    mutation Checkout($input: CheckoutInput!) {
      checkout(input: $input) {
        ...OrderFields
      }
    }
  `,
  [OrderFields],
);

export const OrderQuery = graphql(
  `
    query Order($id: ID!) {
      order(id: $id) {
        ...OrderFields
      }
    }
  `,
  [OrderFields],
);

export const OrdersQuery = graphql(
  `
    query Orders($first: Int, $after: String) {
      orders(first: $first, after: $after) {
        edges {
          cursor
          node {
            ...OrderFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [OrderFields],
);

export const OrderUpdated = graphql(
  `
    subscription OrderUpdated($id: ID!) {
      orderUpdated(id: $id) {
        ...OrderFields
      }
    }
  `,
  [OrderFields],
);

export const CancelOrderMutation = graphql(
  `
    mutation CancelOrder($id: ID!) {
      cancelOrder(id: $id) {
        ...OrderFields
      }
    }
  `,
  [OrderFields],
);

export const CreateProductMutation = graphql(
  `
    mutation CreateProduct($input: ProductInput!) {
      createProduct(input: $input) {
        ...ProductFields
      }
    }
  `,
  [ProductFields],
);

export const UpdateProductMutation = graphql(
  `
    mutation UpdateProduct($id: ID!, $input: ProductUpdateInput!) {
      updateProduct(id: $id, input: $input) {
        ...ProductFields
      }
    }
  `,
  [ProductFields],
);

export const RestockMutation = graphql(`
  mutation Restock($sku: String!, $quantity: Int!) {
    restock(sku: $sku, quantity: $quantity) {
      sku
      available
      reserved
    }
  }
`);

export const SearchQuery = graphql(
  `
    query Search(
      $query: String
      $filters: [FacetFilter!]
      $inStockOnly: Boolean
      $sort: ProductSort
      $first: Int
      $after: String
    ) {
      search(
        query: $query
        filters: $filters
        inStockOnly: $inStockOnly
        sort: $sort
        first: $first
        after: $after
      ) {
        total
        facets {
          name
          values {
            value
            count
          }
        }
        products {
          edges {
            cursor
            node {
              ...ProductFields
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  `,
  [ProductFields],
);

export const CollectionsQuery = graphql(`
  query Collections {
    collections {
      id
      slug
      title
      description
    }
  }
`);

export const CollectionQuery = graphql(
  `
    query Collection($slug: String!, $first: Int, $after: String) {
      collection(slug: $slug) {
        id
        slug
        title
        description
        products(first: $first, after: $after) {
          edges {
            cursor
            node {
              ...ProductFields
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  `,
  [ProductFields],
);

export const AddVariantMutation = graphql(
  `
    mutation AddVariant($productId: ID!, $input: VariantInput!) {
      addVariant(productId: $productId, input: $input) {
        ...ProductFields
      }
    }
  `,
  [ProductFields],
);

export const UpdateVariantMutation = graphql(
  `
    mutation UpdateVariant($sku: String!, $input: VariantUpdateInput!) {
      updateVariant(sku: $sku, input: $input) {
        ...ProductFields
      }
    }
  `,
  [ProductFields],
);

export const RemoveVariantMutation = graphql(
  `
    mutation RemoveVariant($sku: String!) {
      removeVariant(sku: $sku) {
        ...ProductFields
      }
    }
  `,
  [ProductFields],
);

export const CreateCollectionMutation = graphql(`
  mutation CreateCollection($input: CollectionInput!) {
    createCollection(input: $input) {
      id
      slug
      title
      description
    }
  }
`);

export const CreateUploadMutation = graphql(`
  mutation CreateUpload($input: UploadInput!) {
    createUpload(input: $input) {
      id
      url
      method
      headers {
        name
        value
      }
      expiresAt
      maxBytes
    }
  }
`);

export const AddProductImageMutation = graphql(
  `
    mutation AddProductImage($productId: ID!, $input: ProductImageInput!) {
      addProductImage(productId: $productId, input: $input) {
        ...ProductFields
      }
    }
  `,
  [ProductFields],
);

export const RemoveProductImageMutation = graphql(
  `
    mutation RemoveProductImage($productId: ID!, $imageId: ID!) {
      removeProductImage(productId: $productId, imageId: $imageId) {
        ...ProductFields
      }
    }
  `,
  [ProductFields],
);

export const ImportFields = graphql(`
  fragment ImportFields on ProductImport {
    id
    status
    rows
    processedRows
    created
    updated
    problemCount
    problems {
      row
      column
      message
    }
    createdAt
    finishedAt
  }
`);

export const ImportProductsMutation = graphql(
  `
    mutation ImportProducts($uploadId: ID!) {
      importProducts(uploadId: $uploadId) {
        ...ImportFields
      }
    }
  `,
  [ImportFields],
);

export const ProductImportQuery = graphql(
  `
    query ProductImport($id: ID!) {
      productImport(id: $id) {
        ...ImportFields
      }
    }
  `,
  [ImportFields],
);

export const ExportProductsMutation = graphql(`
  mutation ExportProducts {
    exportProducts {
      url
      expiresAt
      products
      variants
    }
  }
`);

export const LogoutMutation = graphql(`
  mutation Logout {
    logout
  }
`);

export const RequestPasswordResetMutation = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`);

export const ResetPasswordMutation = graphql(`
  mutation ResetPassword($token: String!, $newPassword: String!) {
    resetPassword(token: $token, newPassword: $newPassword)
  }
`);

export const ChangePasswordMutation = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

export const ApiKeysQuery = graphql(`
  query ApiKeys {
    apiKeys {
      id
      name
      permissions
      createdAt
      lastUsedAt
    }
  }
`);

export const CreateApiKeyMutation = graphql(`
  mutation CreateApiKey($name: String!, $permissions: [String!]!) {
    createApiKey(name: $name, permissions: $permissions) {
      id
      name
      key
    }
  }
`);

export const RevokeApiKeyMutation = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id)
  }
`);
