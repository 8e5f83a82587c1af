import { loadConfig } from '../shared/config/config.js';
import { createInventoryClient } from '../shared/grpc/inventory-client.js';
import { createLambdaHandler } from '../shared/http/lambda-handler.js';
import { createLogger } from '../shared/logger/logger.js';
import { buildGateway } from './app.js';
import { readGatewayConfig } from './config.js';
import { createRemoteInvoker } from './invokers/remote-invoker.js';

/**
 * The gateway as a Lambda function behind API Gateway; it reaches the functions remotely. Its
 * configuration is read when the first invocation builds the app.
 */
export const handler = createLambdaHandler(async () => {
  const config = loadConfig(readGatewayConfig);
  const logger = createLogger({ name: 'gateway', level: config.runtime.logLevel });
  const invoker = createRemoteInvoker(config);
  const inventory = createInventoryClient({ address: config.inventoryAddress });
  const app = await buildGateway({
    logger,
    invoker,
    stock: inventory,
    settings: config.settings,
    hopSecret: config.hopSecret,
  });
  app.addHook('onClose', async () => {
    inventory.close();
    await invoker.close?.();
  });
  return app;
});
