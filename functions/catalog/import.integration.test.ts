import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { ObjectId } from 'mongodb';
import type { DomainEvent } from '../../shared/events/envelope.js';
import { buildKafkaLambdaEvent } from '../../shared/kafka-function/lambda-kafka-event.js';
import {
  type CatalogUnderTest,
  startCatalogUnderTest,
} from '../../test-support/catalog-under-test.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { createCatalogEventsHandler } from './handler.js';

const HEADER =
  'Handle,Title,Body,Category,Collections,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,Variant Price,Currency,Variant Inventory Qty';

const GOOD = [
  HEADER,
  'linen-shirt,Linen Shirt,"Light and breathable,\nmachine washable.",apparel,imported,Size,S,Colour,Sand,IMP-LS-S-SAND,49.90,EUR,4',
  'linen-shirt,,,,,,M,,Sand,IMP-LS-M-SAND,49.90,,7',
  'linen-shirt,,,,,,M,,Navy,IMP-LS-M-NAVY,52.00,,0',
  'canvas-tote,Canvas Tote,Sturdy.,bags,,,,,,IMP-TOTE,15,EUR,10',
].join('\n');

/**
 * Catalog CSV import and export on real servers: the file uploaded to LocalStack S3 through
 * a presigned URL, queued by the catalog function, run by catalog-events (its
 * ProductImportRequested handed over as a Lambda Kafka batch), with inventory's first stock.
 */
describe('catalog CSV import and export (LocalStack S3, real MongoDB and inventory)', () => {
  let catalog: CatalogUnderTest;
  let handler: ReturnType<typeof createCatalogEventsHandler>;

  before(async () => {
    catalog = await startCatalogUnderTest('import');
    handler = createCatalogEventsHandler(
      {
        runtime: { nodeEnv: 'test', logLevel: 'error' },
        mongo: { ...integrationConfig().mongo, dbName: catalog.dbName },
        kafka: integrationConfig().kafka,
        events: { topicPrefix: uniqueName('it.import.') },
        inventoryAddress: `127.0.0.1:${catalog.inventory.port}`,
        media: catalog.bucket.config,
      },
      testLogger(),
    );
    const collection = await admin('POST', '/collections', { title: 'Imported' });
    assert.equal(collection.statusCode, 201);
  });

  after(async () => {
    await handler?.close();
    await catalog?.close();
  });

  function admin(method: 'GET' | 'POST', url: string, payload?: object) {
    return catalog.app.inject({
      method,
      url,
      headers: catalog.as(catalog.tokens.admin),
      ...(payload ? { payload } : {}),
    });
  }

  /** Uploads a file as the admin page does and queues its import; runs it; returns the import. */
  async function importFile(text: string, beforeRun?: (importId: string) => Promise<unknown>) {
    const bytes = Buffer.from(text);
    const ticket = (
      await admin('POST', '/uploads', {
        kind: 'PRODUCT_CSV',
        contentType: 'text/csv',
        byteSize: bytes.length,
      })
    ).json();
    const put = await fetch(ticket.url, {
      method: 'PUT',
      body: new Uint8Array(bytes),
      headers: { 'content-type': 'text/csv' },
    });
    assert.equal(put.status, 200);
    const queued = await admin('POST', '/imports', { uploadId: ticket.id });
    assert.equal(queued.statusCode, 202, queued.body);
    assert.equal(queued.json().status, 'QUEUED');
    const doc = await catalog.mongo.db
      .collection('catalog_imports')
      .findOne({ uploadId: ticket.id });
    const event = doc?.outbox[0] as DomainEvent;
    assert.equal(event.type, 'ProductImportRequested');
    await beforeRun?.(queued.json().id);
    const deliver = () =>
      handler(
        buildKafkaLambdaEvent({ eventSource: 'SelfManagedKafka', bootstrapServers: 'test' }, [
          {
            topic: 'catalog',
            partition: 0,
            offset: 0,
            timestamp: Date.now(),
            key: Buffer.from(event.subject),
            value: Buffer.from(JSON.stringify(event)),
          },
        ]),
      );
    assert.deepEqual(await deliver(), { processed: 1, deadLettered: 0 });
    // Delivered again (a retried batch): the import is over, nothing runs twice.
    await deliver();
    return (await admin('GET', `/imports/${queued.json().id}`)).json();
  }

  it('imports products with variants and their first stock, and a second import only updates', async () => {
    const done = await importFile(GOOD);
    assert.deepEqual(
      [done.status, done.rows, done.processedRows, done.created, done.updated],
      ['SUCCEEDED', 4, 4, 2, 0],
    );
    const shirt = (await admin('GET', '/products/linen-shirt')).json();
    assert.equal(shirt.description, 'Light and breathable,\nmachine washable.');
    assert.deepEqual(
      shirt.variants.map((v: { sku: string; title: string; priceCents: number }) => [
        v.sku,
        v.title,
        v.priceCents,
      ]),
      [
        ['IMP-LS-S-SAND', 'S / Sand', 4990],
        ['IMP-LS-M-SAND', 'M / Sand', 4990],
        ['IMP-LS-M-NAVY', 'M / Navy', 5200],
      ],
    );
    assert.equal(shirt.collections[0].slug, 'imported');
    const levels = await catalog.stock.getStock([
      'IMP-LS-S-SAND',
      'IMP-LS-M-SAND',
      'IMP-LS-M-NAVY',
      'IMP-TOTE',
    ]);
    assert.deepEqual(
      levels.map((level) => level.available),
      [4, 7, 0, 10],
    );

    // The same file with a new price and a new variant: updated, never duplicated, and the
    // stock of existing SKUs left as it is.
    await catalog.stock.restock('IMP-TOTE', -3);
    // A picture the admin chose for a variant (the file has no picture column).
    const products = catalog.mongo.db.collection('products');
    await products.updateOne(
      { slug: 'linen-shirt', 'variants.sku': 'IMP-LS-M-NAVY' },
      { $set: { 'variants.$.imageId': 'picture-of-navy' } },
    );
    const idsBefore = (await products.findOne({ slug: 'linen-shirt' }))?.variants.map(
      (variant: { id: string }) => variant.id,
    );
    const again = await importFile(
      GOOD.replace('IMP-LS-M-NAVY,52.00', 'IMP-LS-M-NAVY,55.00').concat(
        '\nlinen-shirt,,,,,,L,,Navy,IMP-LS-L-NAVY,55,,2',
      ),
    );
    assert.deepEqual([again.status, again.created, again.updated], ['SUCCEEDED', 0, 2]);
    const updated = (await admin('GET', '/products/linen-shirt')).json();
    assert.equal(updated.variants.length, 4);
    assert.equal(updated.variants[2].priceCents, 5500);
    const count = await catalog.mongo.db
      .collection('products')
      .countDocuments({ slug: 'linen-shirt' });
    assert.equal(count, 1);
    const stored = await products.findOne({ slug: 'linen-shirt' });
    assert.deepEqual(
      stored?.variants.slice(0, 3).map((variant: { id: string }) => variant.id),
      idsBefore,
      'a SKU the product had keeps its variant id',
    );
    assert.equal(
      stored?.variants.find((variant: { sku: string }) => variant.sku === 'IMP-LS-M-NAVY').imageId,
      'picture-of-navy',
      'and its picture',
    );
    const [tote, large] = await catalog.stock.getStock(['IMP-TOTE', 'IMP-LS-L-NAVY']);
    assert.equal(tote?.available, 7, 'an existing SKU keeps its stock');
    assert.equal(large?.available, 2, 'a new SKU gets its first stock');
  });

  it('fails a file with mistakes, naming each row and column, and writes nothing of it', async () => {
    const bad = [
      HEADER,
      'mugs,Mug,,kitchen,,,,,,IMP-MUG-1,-4,EUR,1',
      'socks,Socks,,apparel,nope,,,,,"IMP-SOCK\n2",3,EUR,1',
      'bag,Bag,,bags,,,,,,IMP-TOTE,9,EUR,1',
      'cap,Cap,,apparel,,,,,,IMP-CAP,9,EUR,1',
      'cap2,Cap 2,,apparel,,,,,,IMP-CAP,9,EUR,1',
    ].join('\n');
    const failed = await importFile(bad);
    assert.equal(failed.status, 'FAILED');
    assert.deepEqual(
      failed.problems.map((p: { row: number; column: string }) => [p.row, p.column]),
      [
        [2, 'Variant Price'],
        [3, 'Variant SKU'],
        [6, 'Variant SKU'],
      ],
    );
    assert.match(failed.problems[0].message, /cannot be negative/);
    assert.match(failed.problems[2].message, /on row 5 already/);
    for (const slug of ['mugs', 'socks', 'bag', 'cap']) {
      assert.equal((await admin('GET', `/products/${slug}`)).statusCode, 404, slug);
    }

    // Only the catalog knows these: an unknown collection, a SKU of another product.
    const clash = await importFile(
      [HEADER, 'bag,Bag,,bags,winter,,,,,IMP-TOTE,9,EUR,1'].join('\n'),
    );
    assert.equal(clash.status, 'FAILED');
    assert.deepEqual(
      clash.problems.map((p: { column: string; message: string }) => [p.column, p.message]),
      [
        ['Collections', 'No collection winter; create it first'],
        ['Variant SKU', 'SKU IMP-TOTE belongs to the product canvas-tote'],
      ],
    );
    const missing = await importFile('Handle,Title\nx,X\n');
    assert.match(missing.problems[0].message, /no column Variant SKU/);
  });

  it('exports the catalog in the same layout, which imports back unchanged', async () => {
    const exported = await admin('POST', '/exports');
    assert.equal(exported.statusCode, 201, exported.body);
    const { url, products, variants } = exported.json();
    assert.deepEqual([products, variants], [2, 5]);
    const download = await fetch(url);
    assert.equal(download.status, 200);
    assert.match(
      download.headers.get('content-disposition') ?? '',
      /attachment; filename="catalog-/,
    );
    const text = await download.text();
    const rows = parse(text) as string[][];
    assert.equal(
      rows[0]?.join(','),
      HEADER.replace('Option2 Value', 'Option2 Value,Option3 Name,Option3 Value'),
    );
    assert.deepEqual(rows[1]?.slice(0, 5), [
      'linen-shirt',
      'Linen Shirt',
      'Light and breathable,\nmachine washable.',
      'apparel',
      'imported',
    ]);
    const back = await importFile(text);
    assert.deepEqual([back.status, back.created, back.updated], ['SUCCEEDED', 0, 2]);
  });

  it('lets only admins import and export', async () => {
    for (const token of [undefined, catalog.tokens.customer]) {
      const response = await catalog.app.inject({
        method: 'POST',
        url: '/exports',
        headers: catalog.as(token),
      });
      assert.equal(response.statusCode, token ? 403 : 401);
    }
  });

  it('goes on where a run that was cut off stopped, not from the start', async () => {
    const file = [
      HEADER,
      'resume-one,Resume One,,misc,,,,,,IMP-RES-1,5,EUR,1',
      'resume-two,Resume Two,,misc,,,,,,IMP-RES-2,6,EUR,1',
    ].join('\n');
    // As an earlier run left it when cut off after its first product (here it never wrote it,
    // so what the run writes shows where it began).
    const done = await importFile(file, (importId) =>
      catalog.mongo.db
        .collection('catalog_imports')
        .updateOne(
          { _id: new ObjectId(importId) },
          { $set: { status: 'RUNNING', writtenProducts: 1, processedRows: 1, created: 1 } },
        ),
    );
    assert.deepEqual(
      [done.status, done.processedRows, done.created, done.updated],
      ['SUCCEEDED', 2, 2, 0],
    );
    assert.equal((await admin('GET', '/products/resume-one')).statusCode, 404);
    assert.equal((await admin('GET', '/products/resume-two')).json().variants[0].sku, 'IMP-RES-2');
  });
});
