import { ImageFields } from '../graphql/documents.js';
import { type FragmentOf, type ResultOf, readFragment } from '../graphql/graphql.js';

export type ImageData = ResultOf<typeof ImageFields>;

/** A picture as a query answers it (masked), read. */
export function imageOf(
  image: FragmentOf<typeof ImageFields> | null | undefined,
): ImageData | undefined {
  return image ? readFragment(ImageFields, image) : undefined;
}

/**
 * A product picture: its resized copies in `srcset` (the browser picks the smallest that
 * fills `sizes`), its width and height set so the page never shifts while it loads, lazy
 * unless it is the first thing on screen. Without a picture, the product's initial.
 */
export function ProductImage({
  image,
  name,
  sizes,
  eager = false,
  decorative = false,
  className = '',
}: {
  image: ImageData | undefined;
  /** Inside a control that names it: the picture itself says nothing more. */
  decorative?: boolean;
  /** The product's name: its initial stands in for a missing picture. */
  name: string;
  sizes: string;
  eager?: boolean;
  className?: string;
}) {
  if (!image) {
    return (
      <div class={`product-art ${className}`} aria-hidden="true">
        {name.slice(0, 1)}
      </div>
    );
  }
  const candidates = image.renditions.map((copy) => `${copy.url} ${copy.width}w`);
  if (image.width) candidates.push(`${image.url} ${image.width}w`);
  // Before its copies are made (a moment after an upload) the original serves alone.
  const src = image.renditions.find((copy) => copy.width >= 640)?.url ?? image.url;
  return (
    <img
      class={`product-photo ${className}`}
      src={src}
      srcset={candidates.length > 1 ? candidates.join(', ') : undefined}
      sizes={sizes}
      alt={decorative ? '' : image.alt}
      width={image.width ?? undefined}
      height={image.height ?? undefined}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
      // biome-ignore lint/suspicious/noExplicitAny: fetchpriority is not in Preact's types yet
      {...({ fetchpriority: eager ? 'high' : 'auto' } as any)}
    />
  );
}
