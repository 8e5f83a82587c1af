import { badUserInput, isAppError } from '../../shared/errors/catalogue.js';
import { derivedEventId, newEvent } from '../../shared/events/envelope.js';
import { CATALOG_LIMITS } from '../../shared/limits/limits.js';
import type { ObjectStorage } from '../../shared/storage/object-storage.js';
import { checkAlt, checkImage, EXTENSION_OF } from './image-check.js';
import type { ImageDoc } from './product-document.js';
import type { Product } from './product-schemas.js';
import type { ProductStore } from './product-store.js';
import type { UploadStore } from './upload-store.js';

/** Where a product picture's original is kept once it is checked. */
export function originalKey(productId: string, imageId: string, extension: string): string {
  return `media/products/${productId}/${imageId}/original.${extension}`;
}

/**
 * A product's pictures: an upload becomes a picture only after its bytes are checked (type by
 * content, size, dimensions) and its alt text given. Each step is safe to repeat: the copy to
 * the picture's own key, the product's write (guarded by the upload id, carrying the event
 * that has it resized) and the upload's removal. A crash between them is finished by the
 * admin's retry of the same request, which answers the same product.
 */
export class ProductImages {
  constructor(
    private readonly products: ProductStore,
    private readonly uploads: UploadStore,
    private readonly storage: ObjectStorage,
  ) {}

  async add(
    productId: string,
    input: { uploadId: string; alt: string; variantSkus?: readonly string[] },
  ): Promise<Product> {
    const alt = checkAlt(input.alt);
    const upload = await this.uploads.usable(input.uploadId, 'PRODUCT_IMAGE', productId);
    if (upload.status === 'USED') return this.products.get(productId);
    const head = await this.storage.head(upload.key);
    if (!head) {
      throw badUserInput(
        'Nothing was uploaded for this upload yet: PUT the file to its URL first',
        {
          field: 'uploadId',
          reason: 'EMPTY',
        },
      );
    }
    if (head.bytes > CATALOG_LIMITS.imageMaxBytes) {
      await this.uploads.reject(upload, 'larger than 10 MB');
      throw badUserInput('The picture is larger than 10 MB', {
        field: 'uploadId',
        reason: 'TOO_LARGE',
        limit: CATALOG_LIMITS.imageMaxBytes,
      });
    }
    const bytes = (await this.storage.get(upload.key)) ?? Buffer.alloc(0);
    let checked: ReturnType<typeof checkImage>;
    try {
      checked = checkImage(bytes);
    } catch (err) {
      // Refused for good: the upload is marked so, and its bytes go.
      if (isAppError(err)) await this.uploads.reject(upload, err.message);
      throw err;
    }
    // The picture's id is the upload's: a repeat after a crash writes the same keys.
    const imageId = upload.id;
    const key = originalKey(productId, imageId, EXTENSION_OF[checked.contentType]);
    await this.storage.copy(upload.key, key, checked.contentType);
    const image: ImageDoc = {
      id: imageId,
      key,
      alt,
      width: checked.width,
      height: checked.height,
      contentType: checked.contentType,
      bytes: checked.bytes,
      uploadId: upload.id,
      renditions: [],
      createdAt: new Date(),
    };
    const event = newEvent(
      'ProductImageAdded',
      {
        productId,
        imageId,
        key,
        contentType: checked.contentType,
        width: checked.width,
        height: checked.height,
      },
      {
        source: 'catalog',
        subject: productId,
        id: derivedEventId(`image:${imageId}`, 'ProductImageAdded'),
      },
    );
    const product = await this.products.addImage(productId, image, input.variantSkus ?? [], event);
    await this.uploads.markUsed(upload.id, productId);
    await this.storage.delete([upload.key]);
    return product;
  }

  async update(productId: string, imageId: string, alt: string): Promise<Product> {
    return this.products.updateImage(productId, imageId, checkAlt(alt));
  }

  /** Removes the picture from the product, then its objects (a crash in between leaves orphans). */
  async remove(productId: string, imageId: string): Promise<Product> {
    const { product, keys } = await this.products.removeImage(productId, imageId);
    await this.storage.delete(keys);
    return product;
  }
}
