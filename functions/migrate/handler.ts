import type { MongoConfig } from '../../shared/config/config.js';
import type { Logger } from '../../shared/logger/logger.js';
import { connectMongo, ensureIndexes, indexNames } from '../../shared/mongo/mongo-client.js';
import { migrateCatalog } from '../catalog/port.js';
import { DATABASE_INDEXES } from './database-indexes.js';

export interface MigrationResult {
  /** Per collection, the names of the indexes it now has (declared ones included). */
  collections: Record<string, string[]>;
}

/**
 * Brings the database in line with what the functions need: first the data (products from
 * before variants become one-variant products), then every declared index that is missing
 * (an existing identical one is left alone). Running it again changes nothing. Run when the
 * stack is deployed (the `migrate` function, invoked after `serverless deploy`), by
 * `npm start`, and by `npm run migrate`; never on a cold start.
 */
export async function migrateDatabase(
  config: MongoConfig,
  logger: Logger,
): Promise<MigrationResult> {
  const mongo = await connectMongo(config, { logger, appName: 'orderly-migrate' });
  try {
    const catalog = await migrateCatalog(mongo.db);
    if (catalog.productsToVariants > 0) {
      logger.info(
        { products: catalog.productsToVariants },
        'products from before variants now have one variant each',
      );
    }
    await ensureIndexes(mongo.db, DATABASE_INDEXES);
    const collections = await indexNames(mongo.db, DATABASE_INDEXES);
    logger.info(
      { db: config.dbName, collections: Object.keys(collections).length },
      'database indexes are in place',
    );
    return { collections };
  } finally {
    await mongo.close();
  }
}
