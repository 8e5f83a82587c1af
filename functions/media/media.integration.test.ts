import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { DomainEvent } from '../../shared/events/envelope.js';
import { buildKafkaLambdaEvent } from '../../shared/kafka-function/lambda-kafka-event.js';
import {
  type CatalogUnderTest,
  startCatalogUnderTest,
} from '../../test-support/catalog-under-test.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { createMediaHandler } from './handler.js';

/**
 * The media function on real servers: a picture added through the catalog (LocalStack S3,
 * mongod) and its ProductImageAdded handed to the function as a Lambda Kafka batch.
 */
describe('media function: resized copies of product pictures (LocalStack S3, real MongoDB)', () => {
  let catalog: CatalogUnderTest;
  let handler: ReturnType<typeof createMediaHandler>;
  let productId: string;

  before(async () => {
    catalog = await startCatalogUnderTest('media');
    handler = createMediaHandler(
      {
        runtime: { nodeEnv: 'test', logLevel: 'error' },
        mongo: { ...integrationConfig().mongo, dbName: catalog.dbName },
        kafka: integrationConfig().kafka,
        events: { topicPrefix: uniqueName('it.media.') },
        media: catalog.bucket.config,
      },
      testLogger(),
    );
    const created = await admin('POST', '/products', {
      sku: 'MEDIA-1',
      name: 'Framed Print',
      description: '',
      category: 'art',
      priceCents: 5000,
      currency: 'EUR',
    });
    productId = created.json().id;
  });

  after(async () => {
    await handler?.close();
    await catalog?.close();
  });

  function admin(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) {
    return catalog.app.inject({
      method,
      url,
      headers: catalog.as(catalog.tokens.admin),
      ...(payload ? { payload } : {}),
    });
  }

  /** Uploads a picture as a browser would and adds it; returns its ProductImageAdded. */
  async function addPicture(bytes: Buffer, contentType: string): Promise<DomainEvent> {
    const ticket = (
      await admin('POST', '/uploads', {
        kind: 'PRODUCT_IMAGE',
        contentType,
        byteSize: bytes.length,
      })
    ).json();
    const put = await fetch(ticket.url, {
      method: 'PUT',
      body: new Uint8Array(bytes),
      headers: { 'content-type': contentType },
    });
    assert.equal(put.status, 200);
    const added = await admin('POST', `/products/${productId}/images`, {
      uploadId: ticket.id,
      alt: 'A framed print on a white wall',
    });
    assert.equal(added.statusCode, 201, added.body);
    const doc = await catalog.mongo.db.collection('products').findOne({ sku: 'MEDIA-1' });
    return doc?.outbox.at(-1) as DomainEvent;
  }

  const deliver = (events: DomainEvent[]) =>
    handler(
      buildKafkaLambdaEvent(
        { eventSource: 'SelfManagedKafka', bootstrapServers: 'test' },
        events.map((event, offset) => ({
          topic: 'catalog',
          partition: 0,
          offset,
          timestamp: Date.now(),
          key: Buffer.from(event.subject),
          value: Buffer.from(JSON.stringify(event)),
        })),
      ),
    );

  it('makes WebP copies at the storefront widths below the original, and records them on the product', async () => {
    const original = await sharp({
      create: { width: 1000, height: 750, channels: 3, background: '#c0392b' },
    })
      .jpeg()
      .toBuffer();
    const event = await addPicture(original, 'image/jpeg');
    assert.equal(event.type, 'ProductImageAdded');
    const summary = await deliver([event]);
    assert.deepEqual(summary, { processed: 1, deadLettered: 0 });

    const product = (await admin('GET', `/products/${productId}`)).json();
    const { renditions } = product.images[0];
    assert.deepEqual(
      renditions.map((r: { width: number; height: number }) => [r.width, r.height]),
      [
        [320, 240],
        [640, 480],
      ],
    );
    for (const rendition of renditions) {
      const served = await fetch(rendition.url);
      assert.equal(served.headers.get('content-type'), 'image/webp');
      const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
      assert.deepEqual(
        [meta.format, meta.width, meta.height],
        ['webp', rendition.width, rendition.height],
      );
    }

    // Delivered again (a retried batch): the same copies, recorded once.
    await deliver([event]);
    const again = (await admin('GET', `/products/${productId}`)).json();
    assert.deepEqual(again.images[0].renditions, renditions);
  });

  it("turns a phone's sideways photo upright: its size and its copies are portrait", async () => {
    // Stored 1000 × 750, shown a quarter turn clockwise (EXIF orientation 6): 750 × 1000.
    const sideways = await sharp({
      create: { width: 1000, height: 750, channels: 3, background: '#2e86c1' },
    })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const event = await addPicture(sideways, 'image/jpeg');
    await deliver([event]);
    const product = (await admin('GET', `/products/${productId}`)).json();
    const image = product.images.at(-1);
    assert.deepEqual([image.width, image.height], [750, 1000]);
    const sizes = [];
    for (const rendition of image.renditions) {
      const served = await fetch(rendition.url);
      const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
      sizes.push([rendition.width, rendition.height, meta.width, meta.height]);
    }
    assert.deepEqual(sizes, [
      [320, 427, 320, 427],
      [640, 853, 640, 853],
    ]);
  });

  it('makes nothing for a picture removed before its copies were made', async () => {
    const small = await sharp({
      create: { width: 200, height: 100, channels: 3, background: '#222' },
    })
      .png()
      .toBuffer();
    const event = await addPicture(small, 'image/png');
    const imageId = (event.data as { imageId: string }).imageId;
    await admin('DELETE', `/products/${productId}/images/${imageId}`);
    assert.deepEqual(await deliver([event]), { processed: 1, deadLettered: 0 });
    const key = (event.data as { key: string }).key.replace(/original\.png$/, 'w200.webp');
    assert.equal(await catalog.bucket.storage.head(key), null);
  });
});
