import { useEffect, useState } from 'preact/hooks';
import { type ImageData, ProductImage } from './product-image.js';

/**
 * A product's pictures: the one shown large (the chosen variant's, until the shopper picks
 * another thumbnail), and every picture as a thumbnail button. Only the large one loads at
 * once; thumbnails load lazily, all with their sizes set, so nothing moves as they arrive.
 */
export function Gallery({
  images,
  shown,
  name,
}: {
  images: readonly ImageData[];
  /** The picture to show first (the chosen variant's). */
  shown: ImageData | undefined;
  name: string;
}) {
  const [picked, setPicked] = useState<string>();
  // Choosing another variant shows its picture again.
  useEffect(() => setPicked(undefined), [shown?.id]);
  const main = images.find((image) => image.id === picked) ?? shown ?? images[0];
  return (
    <div class="gallery">
      <div class="gallery-main">
        <ProductImage
          image={main}
          name={name}
          sizes="(min-width: 40rem) 24rem, 100vw"
          eager
          className="product-art-large"
        />
      </div>
      {images.length > 1 && (
        <ul class="gallery-thumbs" aria-label={`Pictures of ${name}`}>
          {images.map((image) => (
            <li key={image.id}>
              <button
                type="button"
                class="gallery-thumb"
                aria-pressed={image.id === main?.id}
                aria-label={`Show picture: ${image.alt}`}
                onClick={() => setPicked(image.id)}
              >
                <ProductImage image={image} name={name} sizes="5rem" decorative />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
