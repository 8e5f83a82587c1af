import { useState } from 'preact/hooks';
import { CATALOG_LIMITS } from '../../../shared/limits/limits.js';
import type { Product } from '../cart/cart.js';
import { Field } from '../components/field.js';
import { ErrorAlert } from '../components/messages.js';
import { imageOf, ProductImage } from '../components/product-image.js';
import {
  AddProductImageMutation,
  ProductFields,
  RemoveProductImageMutation,
} from '../graphql/documents.js';
import { readFragment } from '../graphql/graphql.js';
import { useSession } from '../session/session.js';
import { errorMessage } from '../utils/errors.js';
import { uploadFile } from './upload.js';

type Saved = (next: Product, message: string) => void;

type Step =
  | { kind: 'idle' }
  | { kind: 'sending'; sent: number; total: number }
  | { kind: 'checking' }
  | { kind: 'failed'; message: string };

const ACCEPTED = 'image/jpeg,image/png,image/webp';

/**
 * A product's pictures, each with its alt text and a removal, and a form to add one: the
 * file goes straight from this browser to object storage, then the platform checks it (its
 * bytes, size and dimensions) and adds it, for the variants ticked.
 */
export function ImagesEditor({ product, onSaved }: { product: Product; onSaved: Saved }) {
  const { client } = useSession();
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const id = (what: string) => `picture-${what}-${product.id}`;
  const images = product.images
    .map((masked) => imageOf(masked))
    .filter((image) => image !== undefined);

  const add = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const file = data.get('file');
    const alt = String(data.get('alt') ?? '').trim();
    if (!(file instanceof File) || file.size === 0) {
      setStep({ kind: 'failed', message: 'Choose a picture first' });
      return;
    }
    if (file.size > CATALOG_LIMITS.imageMaxBytes) {
      setStep({ kind: 'failed', message: 'A picture has at most 10 MB; this one is larger' });
      return;
    }
    try {
      setStep({ kind: 'sending', sent: 0, total: file.size });
      const uploadId = await uploadFile(client, 'PRODUCT_IMAGE', file, (sent, total) =>
        setStep({ kind: 'sending', sent, total }),
      );
      setStep({ kind: 'checking' });
      const result = await client.urql
        .mutation(AddProductImageMutation, {
          productId: product.id,
          input: { uploadId, alt, variantSkus: data.getAll('variant').map(String) },
        })
        .toPromise();
      if (!result.data) throw new Error(errorMessage(result.error));
      setStep({ kind: 'idle' });
      form.reset();
      onSaved(
        readFragment(ProductFields, result.data.addProductImage),
        `Added the picture “${alt}”`,
      );
    } catch (err) {
      setStep({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <div class="admin-images">
      {images.length > 0 && (
        <ul class="admin-image-list" aria-label={`Pictures of ${product.name}`}>
          {images.map((image) => (
            <li key={image.id}>
              <ProductImage image={image} name={product.name} sizes="6rem" decorative />
              <span class="admin-image-alt">{image.alt}</span>
              <button
                type="button"
                class="button button-link"
                aria-label={`Remove the picture “${image.alt}”`}
                onClick={async () => {
                  const result = await client.urql
                    .mutation(RemoveProductImageMutation, {
                      productId: product.id,
                      imageId: image.id,
                    })
                    .toPromise();
                  if (!result.data)
                    setStep({ kind: 'failed', message: errorMessage(result.error) });
                  else
                    onSaved(
                      readFragment(ProductFields, result.data.removeProductImage),
                      'Picture removed',
                    );
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <details class="add-picture">
        <summary>Add a picture to {product.name}</summary>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void add(event.currentTarget);
          }}
        >
          <div class="field">
            <label for={id('file')}>
              Picture file for {product.name} (JPEG, PNG or WebP, at most 10 MB)
            </label>
            <input id={id('file')} name="file" type="file" accept={ACCEPTED} required />
          </div>
          <Field
            id={id('alt')}
            name="alt"
            label="What the picture shows (alt text)"
            required
            maxLength={CATALOG_LIMITS.altMaxLength}
            hint="Read aloud by screen readers, and shown when the picture cannot load"
          />
          {product.variants.length > 1 && (
            <fieldset>
              <legend>Shown for the variants</legend>
              {product.variants.map((variant) => {
                const box = id(`variant-${variant.sku}`);
                return (
                  <div key={variant.sku} class="facet-value">
                    <input id={box} type="checkbox" name="variant" value={variant.sku} />
                    <label for={box}>{variant.title}</label>
                  </div>
                );
              })}
            </fieldset>
          )}
          {step.kind === 'sending' && (
            <p role="status">
              <label for={id('progress')}>Sending the picture </label>
              <progress id={id('progress')} max={step.total} value={step.sent} />
            </p>
          )}
          {step.kind === 'checking' && <p role="status">Checking the picture…</p>}
          <ErrorAlert message={step.kind === 'failed' ? step.message : undefined} />
          <button
            type="submit"
            class="button button-primary"
            disabled={step.kind === 'sending' || step.kind === 'checking'}
          >
            Add picture
          </button>
        </form>
      </details>
    </div>
  );
}
