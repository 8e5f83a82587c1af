import type { Permission } from '../shared/auth/permissions.js';

/**
 * Who may use a field: anyone; any signed-in caller (a customer acts on their own cart and
 * orders); an admin *person* (keys are made by people, never by keys); or whoever holds a
 * permission (every admin, and the API keys given it).
 */
export type FieldAccess = 'anyone' | 'signed-in' | 'admin-person' | Permission;

/**
 * The one table of what every query, mutation and subscription needs. The functions enforce it
 * (`requirePermission`, `requireRole`, `authenticate` on each route); `permissions.test.ts`
 * walks the served schema, fails on a field missing here, and checks each protected field's
 * function refuses a caller without its permission.
 */
export const FIELD_ACCESS: Record<string, FieldAccess> = {
  'Query.products': 'anyone',
  'Query.product': 'anyone',
  'Query.me': 'anyone',
  'Query.cart': 'signed-in',
  // Their own order to a customer; any order with orders:read.
  'Query.order': 'signed-in',
  // Their own orders to a person; the shop's to an API key with orders:read.
  'Query.orders': 'signed-in',
  'Query.stock': 'anyone',
  'Query.categories': 'anyone',
  'Query.collections': 'anyone',
  'Query.collection': 'anyone',
  'Query.search': 'anyone',
  'Query.productImport': 'catalog:write',
  'Query.productImports': 'catalog:write',
  'Query.apiKeys': 'admin-person',

  'Mutation.register': 'anyone',
  'Mutation.login': 'anyone',
  'Mutation.addToCart': 'signed-in',
  'Mutation.updateCartItem': 'signed-in',
  'Mutation.clearCart': 'signed-in',
  'Mutation.checkout': 'signed-in',
  'Mutation.cancelOrder': 'signed-in',
  'Mutation.createProduct': 'catalog:write',
  'Mutation.updateProduct': 'catalog:write',
  'Mutation.restock': 'catalog:write',
  'Mutation.addVariant': 'catalog:write',
  'Mutation.updateVariant': 'catalog:write',
  'Mutation.removeVariant': 'catalog:write',
  'Mutation.createCollection': 'catalog:write',
  'Mutation.updateCollection': 'catalog:write',
  'Mutation.createUpload': 'catalog:write',
  'Mutation.addProductImage': 'catalog:write',
  'Mutation.updateProductImage': 'catalog:write',
  'Mutation.removeProductImage': 'catalog:write',
  'Mutation.importProducts': 'catalog:write',
  'Mutation.exportProducts': 'catalog:write',
  'Mutation.requestPasswordReset': 'anyone',
  'Mutation.resetPassword': 'anyone',
  'Mutation.changePassword': 'signed-in',
  'Mutation.logout': 'signed-in',
  'Mutation.createApiKey': 'admin-person',
  'Mutation.revokeApiKey': 'admin-person',

  'Subscription.orderUpdated': 'signed-in',
  'Subscription.stockChanged': 'anyone',
};
