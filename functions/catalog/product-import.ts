import { ObjectId } from 'mongodb';
import type { Logger } from '../../shared/logger/logger.js';
import type { ObjectStorage } from '../../shared/storage/object-storage.js';
import type { StockPort } from './app.js';
import { type ImportProblem, type ImportProduct, planImport } from './csv-import-plan.js';
import { CSV_COLUMNS } from './csv-layout.js';
import type { ImportStore } from './import-store.js';
import type { ProductStore } from './product-store.js';

/** Products written per step; progress is recorded after each. */
const CHUNK = 200;
/** Inventory's bound of SKUs per call. */
const STOCK_CALL = 200;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const newId = () => new ObjectId().toHexString();

/**
 * Runs a catalog import: reads the file, checks all of it (the file's own rules, then what the
 * catalog holds: collections, SKUs of other products), and only then writes, product by
 * product (by handle, so importing the same file again updates and never duplicates), with the
 * first stock of new SKUs. A crash part-way is finished by the event's redelivery: every write
 * is an upsert by handle and every first stock an InitStock, so running it again is safe.
 */
export class ProductImporter {
  constructor(
    private readonly products: ProductStore,
    private readonly imports: ImportStore,
    private readonly stock: StockPort,
    private readonly storage: ObjectStorage,
    private readonly logger: Logger,
  ) {}

  async run(importId: string): Promise<void> {
    const started = await this.imports.start(importId);
    if (!started) return; // over already: a repeated event
    const began = performance.now();
    const bytes = await this.storage.get(started.key);
    if (!bytes) {
      await this.imports.fail(importId, 0, [problem('The file is gone; upload it again')]);
      return;
    }
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      await this.imports.fail(importId, 0, [problem('The file is not UTF-8 text')]);
      return;
    }
    const plan = planImport(text, newId);
    if (!plan.ok) {
      await this.imports.fail(importId, plan.rows, plan.problems);
      return;
    }
    const { problems, collectionIds } = await this.checkAgainstCatalog(plan.products);
    if (problems.length > 0) {
      await this.imports.fail(importId, plan.rows, problems);
      return;
    }

    // Products are written in file order, and each step records how far it got: a run cut off
    // (a crash, the function's time limit) goes on after the last step recorded. A step cut
    // off part-way is written again, as updates.
    const { done } = started;
    const counts = {
      rows: plan.rows,
      processedRows: done.processedRows,
      created: done.created,
      updated: done.updated,
    };
    if (done.products > 0) {
      this.logger.info({ importId, products: done.products }, 'catalog import goes on');
    }
    for (let i = done.products; i < plan.products.length; i += CHUNK) {
      const chunk = plan.products.slice(i, i + CHUNK);
      const written = await this.products.importProducts(
        chunk.map((product) => ({
          ...product,
          collectionIds: product.collections.map((slug) => collectionIds.get(slug) as string),
        })),
      );
      await this.firstStock(chunk);
      counts.created += written.created;
      counts.updated += written.updated;
      counts.processedRows += chunk.reduce((sum, product) => sum + product.variants.length, 0);
      await this.imports.progress(importId, { ...counts, writtenProducts: i + chunk.length });
    }
    await this.imports.succeed(importId, counts);
    const seconds = (performance.now() - began) / 1000;
    this.logger.info(
      { importId, ...counts, productsPerSecond: Math.round(plan.products.length / seconds) },
      'catalog import done',
    );
  }

  /** What only the catalog can tell: the collections exist, no SKU is another product's. */
  private async checkAgainstCatalog(products: readonly ImportProduct[]) {
    const problems: ImportProblem[] = [];
    const slugs = [...new Set(products.flatMap((product) => product.collections))];
    const collectionIds = await this.products.collections.idsBySlug(slugs);
    for (const product of products) {
      const unknown = product.collections.filter((slug) => !collectionIds.has(slug));
      if (unknown.length > 0) {
        problems.push({
          row: product.row,
          column: CSV_COLUMNS.collections,
          message: `No collection ${unknown.join(', ')}; create it first`,
        });
      }
    }
    const owners = new Map<string, string>();
    const skus = products.flatMap((product) => product.variants.map((variant) => variant.sku));
    for (let i = 0; i < skus.length; i += 5_000) {
      for (const [sku, handle] of await this.products.handlesOfSkus(skus.slice(i, i + 5_000))) {
        owners.set(sku, handle);
      }
    }
    for (const product of products) {
      for (const variant of product.variants) {
        const owner = owners.get(variant.sku);
        if (owner && owner !== product.handle) {
          problems.push({
            row: variant.row,
            column: CSV_COLUMNS.sku,
            message: `SKU ${variant.sku} belongs to the product ${owner}`,
          });
        }
      }
    }
    return { problems, collectionIds };
  }

  /** Inventory's first stock for the chunk's SKUs that have none, and search's view of it. */
  private async firstStock(products: readonly ImportProduct[]): Promise<void> {
    const lines = products.flatMap((product) =>
      product.variants
        .filter((variant) => variant.initialStock > 0)
        .map((variant) => ({ sku: variant.sku, quantity: variant.initialStock })),
    );
    for (let i = 0; i < lines.length; i += STOCK_CALL) {
      const levels = await this.stock.initStock(lines.slice(i, i + STOCK_CALL));
      await this.products.applyStock(levels);
    }
  }
}

function problem(message: string): ImportProblem {
  return { row: null, column: null, message };
}
