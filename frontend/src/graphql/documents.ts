import { graphql } from './graphql.js';

/** Every field of a product the pages show. */
export const ProductFields = graphql(`
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
  }
`);

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
