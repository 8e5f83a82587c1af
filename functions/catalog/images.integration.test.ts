import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import {
  type CatalogUnderTest,
  startCatalogUnderTest,
} from '../../test-support/catalog-under-test.js';

/** A real picture, made here: `width` × `height` pixels of one colour. */
function picture(format: 'png' | 'jpeg' | 'webp', width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 30, g: 90, b: 200 } } })
    .toFormat(format)
    .toBuffer();
}

interface Ticket {
  id: string;
  url: string;
  method: string;
  headers: { name: string; value: string }[];
  expiresAt: string;
  maxBytes: number;
}

describe('product pictures: presigned uploads to LocalStack S3, checked by their bytes', () => {
  let catalog: CatalogUnderTest;
  let productId: string;

  before(async () => {
    catalog = await startCatalogUnderTest('images', { uploadTtlSeconds: 3 });
    const created = await send('POST', '/products', {
      sku: 'PIC-S',
      name: 'Pictured Tee',
      description: '',
      category: 'apparel',
      priceCents: 1000,
      currency: 'EUR',
      variantOptions: [{ name: 'Size', value: 'S' }],
      variants: [{ sku: 'PIC-M', options: [{ name: 'Size', value: 'M' }], priceCents: 1000 }],
    });
    assert.equal(created.statusCode, 201, created.body);
    productId = created.json().id;
  });

  after(() => catalog.close());

  function send(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) {
    return catalog.app.inject({
      method,
      url,
      headers: catalog.as(catalog.tokens.admin),
      ...(payload ? { payload } : {}),
    });
  }

  async function ticket(contentType: string, byteSize: number): Promise<Ticket> {
    const response = await send('POST', '/uploads', {
      kind: 'PRODUCT_IMAGE',
      contentType,
      byteSize,
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json();
  }

  /** The browser's part: the bytes straight to storage, with the signed headers. */
  function put(upload: Ticket, body: Buffer, contentType = upload.headers[0]?.value ?? '') {
    return fetch(upload.url, {
      method: 'PUT',
      body: new Uint8Array(body),
      headers: { 'content-type': contentType },
    });
  }

  it('takes a picture uploaded straight to storage, with its size and alt text, served at an absolute URL', async () => {
    const bytes = await picture('png', 64, 48);
    const upload = await ticket('image/png', bytes.length);
    assert.equal(upload.method, 'PUT');
    assert.match(upload.url, /^http:\/\/127\.0\.0\.1:\d+\//);
    // A checksum signed into the URL would be the empty body's, which S3 (unlike LocalStack)
    // holds every upload to: the URL must sign the type and length, never a checksum.
    const signed = new URL(upload.url).searchParams;
    assert.deepEqual(
      [...signed.keys()].filter((name) => /checksum/i.test(name)),
      [],
      upload.url,
    );
    assert.equal(signed.get('X-Amz-SignedHeaders'), 'content-length;content-type;host');
    assert.equal((await put(upload, bytes)).status, 200);

    const added = await send('POST', `/products/${productId}/images`, {
      uploadId: upload.id,
      alt: 'A blue tee, folded',
      variantSkus: ['PIC-M'],
    });
    assert.equal(added.statusCode, 201, added.body);
    const product = added.json();
    assert.equal(product.images.length, 1);
    const [image] = product.images;
    assert.deepEqual([image.alt, image.width, image.height], ['A blue tee, folded', 64, 48]);
    assert.match(image.url, /^http:\/\/127\.0\.0\.1:\d+\/.+\/original\.png$/);
    assert.equal(product.variants[1].image.url, image.url, 'M shows the picture');
    assert.equal(product.variants[0].image, null, 'S shows none');

    const served = await fetch(image.url);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), bytes);

    // The event that has it resized waits in the product's outbox (no publisher here).
    const doc = await catalog.mongo.db.collection('products').findOne({ sku: 'PIC-S' });
    assert.deepEqual(
      doc?.outbox.map((event: { type: string; data: { imageId: string } }) => [
        event.type,
        event.data.imageId,
      ]),
      [['ProductImageAdded', image.id]],
    );
    // The same request again (a retry after a lost answer) adds nothing.
    const again = await send('POST', `/products/${productId}/images`, {
      uploadId: upload.id,
      alt: 'A blue tee, folded',
    });
    assert.equal(again.statusCode, 201);
    assert.equal(again.json().images.length, 1);
  });

  it('refuses an executable renamed .png by its bytes, and keeps nothing of it', async () => {
    const elf = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
      Buffer.alloc(4_000),
    ]);
    const upload = await ticket('image/png', elf.length);
    assert.equal(
      (await put(upload, elf)).status,
      200,
      'storage takes any bytes of the signed size',
    );
    const refused = await send('POST', `/products/${productId}/images`, {
      uploadId: upload.id,
      alt: 'Not a picture',
    });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error.code, 'BAD_USER_INPUT');
    assert.equal(refused.json().error.details.reason, 'NOT_AN_IMAGE');
    assert.match(refused.json().error.message, /not a JPEG, PNG or WebP picture/);
    assert.equal((await send('GET', `/products/${productId}`)).json().images.length, 1);
    const retried = await send('POST', `/products/${productId}/images`, {
      uploadId: upload.id,
      alt: 'Not a picture',
    });
    assert.equal(retried.json().error.details.reason, 'REJECTED');
    assert.equal(await catalog.bucket.storage.head(`media/uploads/${upload.id}`), null);
  });

  it('refuses a 50 MB picture before any URL exists, and storage refuses bytes beyond the signed size', async () => {
    const big = await send('POST', '/uploads', {
      kind: 'PRODUCT_IMAGE',
      contentType: 'image/jpeg',
      byteSize: 50 * 1024 * 1024,
    });
    assert.equal(big.statusCode, 400);
    assert.match(big.json().error.message, /at most 10 MB; this one has 50\.0 MB/);
    assert.equal(big.json().error.details.field, 'byteSize');

    const small = await ticket('image/jpeg', 1_000);
    const tooMany = await put(small, Buffer.alloc(50 * 1024 * 1024));
    assert.equal(tooMany.status, 403, 'the signed length is enforced by storage');
    const wrongType = await put(small, Buffer.alloc(1_000), 'image/png');
    assert.equal(wrongType.status, 403, 'so is the signed type');
    const other = await send('POST', '/uploads', {
      kind: 'PRODUCT_IMAGE',
      contentType: 'application/x-msdownload',
      byteSize: 100,
    });
    assert.equal(other.statusCode, 400);
    assert.equal(other.json().error.details.field, 'contentType');
  });

  it('refuses an upload URL used after it expired, and the expired upload itself', async () => {
    const bytes = await picture('jpeg');
    const upload = await ticket('image/jpeg', bytes.length);
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    const late = await put(upload, bytes);
    assert.equal(late.status, 403);
    assert.match(await late.text(), /expired/i);
    const refused = await send('POST', `/products/${productId}/images`, {
      uploadId: upload.id,
      alt: 'Too late',
    });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error.details.reason, 'EXPIRED');
  });

  it('requires alt text, and refuses tiny, unknown and already used uploads', async () => {
    const bytes = await picture('webp');
    const upload = await ticket('image/webp', bytes.length);
    await put(upload, bytes);
    const noAlt = await send('POST', `/products/${productId}/images`, {
      uploadId: upload.id,
      alt: '  ',
    });
    assert.equal(noAlt.statusCode, 400);
    assert.equal(noAlt.json().error.details.field, 'alt');

    const tiny = await picture('png', 8, 8);
    const tinyUpload = await ticket('image/png', tiny.length);
    await put(tinyUpload, tiny);
    const refused = await send('POST', `/products/${productId}/images`, {
      uploadId: tinyUpload.id,
      alt: 'A dot',
    });
    assert.equal(refused.json().error.details.reason, 'DIMENSIONS');
    assert.match(refused.json().error.message, /8 × 8 pixels/);

    const empty = await ticket('image/png', 100);
    const nothing = await send('POST', `/products/${productId}/images`, {
      uploadId: empty.id,
      alt: 'x',
    });
    assert.equal(nothing.json().error.details.reason, 'EMPTY');

    const unknown = await send('POST', `/products/${productId}/images`, {
      uploadId: '000000000000000000000000',
      alt: 'x',
    });
    assert.equal(unknown.statusCode, 404);

    const other = await send('POST', '/products', {
      sku: 'PIC-OTHER',
      name: 'Other Product',
      description: '',
      category: 'apparel',
      priceCents: 1,
      currency: 'EUR',
    });
    assert.equal(
      (await send('POST', `/products/${productId}/images`, { uploadId: upload.id, alt: 'ok' }))
        .statusCode,
      201,
    );
    const reused = await send('POST', `/products/${other.json().id}/images`, {
      uploadId: upload.id,
      alt: 'ok',
    });
    assert.equal(reused.json().error.details.reason, 'USED');
  });

  it('changes alt text, shows a picture for a variant, and removes a picture with its objects', async () => {
    const product = (await send('GET', `/products/${productId}`)).json();
    const [first, second] = product.images;
    const alt = await send('PATCH', `/products/${productId}/images/${second.id}`, {
      alt: 'Green, flat',
    });
    assert.equal(alt.json().images[1].alt, 'Green, flat');
    const shown = await send('PATCH', '/variants/PIC-S', { imageId: second.id });
    assert.equal(shown.json().variants[0].image.id, second.id);

    const removed = await send('DELETE', `/products/${productId}/images/${first.id}`);
    assert.equal(removed.statusCode, 200);
    assert.deepEqual(
      removed.json().images.map((image: { id: string }) => image.id),
      [second.id],
    );
    assert.equal(removed.json().variants[1].image, null, 'M no longer shows the removed picture');
    assert.equal((await fetch(first.url)).status, 404);
  });

  it('lets only admins upload and change pictures', async () => {
    for (const token of [undefined, catalog.tokens.customer]) {
      const response = await catalog.app.inject({
        method: 'POST',
        url: '/uploads',
        headers: catalog.as(token),
        payload: { kind: 'PRODUCT_IMAGE', contentType: 'image/png', byteSize: 10 },
      });
      assert.equal(response.statusCode, token ? 403 : 401);
    }
  });
});
