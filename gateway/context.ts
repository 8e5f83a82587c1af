import type { StockLevel } from '../shared/grpc/inventory-client.js';
import type { Logger } from '../shared/logger/logger.js';
import type { FunctionClient } from './function-client.js';

/** Reads stock levels from the inventory service (one gRPC GetStock per call). */
export interface StockReader {
  getStock(skus: readonly string[]): Promise<StockLevel[]>;
}

/** What every resolver gets, built per request. */
export interface GatewayContext {
  functions: FunctionClient;
  stock: StockReader;
  logger: Logger;
  /** The caller's token, if any; functions check it, the gateway only passes it on. */
  authorization: string | undefined;
}

/**
 * Mercurius's context is ours (its documented module augmentation), so the resolvers and
 * loaders it is given are type-checked against it with no cast.
 */
declare module 'mercurius' {
  interface MercuriusContext extends GatewayContext {}
}
