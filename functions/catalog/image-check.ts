import { imageSize } from 'image-size';
import { badUserInput } from '../../shared/errors/catalogue.js';
import { CATALOG_LIMITS } from '../../shared/limits/limits.js';

/**
 * What an uploaded picture is, decided by its bytes and never by its name or the type the
 * browser claimed: a file renamed `.png` is whatever its first bytes say it is.
 */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** The extension a stored original gets, by its real type. */
export const EXTENSION_OF: Record<ImageType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  prefix.every((byte, i) => bytes[at + i] === byte);

/** The picture type the bytes begin with (JPEG, PNG or WebP), or null for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  // RIFF <size> WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return 'image/webp';
  return null;
}

export interface CheckedImage {
  contentType: ImageType;
  width: number;
  height: number;
  bytes: number;
}

/**
 * Checks an uploaded picture: a JPEG, PNG or WebP by its bytes, at most 10 MB, each side from
 * 16 to 8,000 pixels, and readable. Each refusal names why, under the `upload` field.
 */
export function checkImage(bytes: Uint8Array): CheckedImage {
  const { imageMaxBytes, imageMaxSide, imageMinSide } = CATALOG_LIMITS;
  if (bytes.length > imageMaxBytes) {
    throw badUserInput(
      `The picture is ${megabytes(bytes.length)}; at most ${megabytes(imageMaxBytes)} is taken`,
      { field: 'uploadId', reason: 'TOO_LARGE', limit: imageMaxBytes },
    );
  }
  const contentType = sniffImageType(bytes);
  if (!contentType) {
    throw badUserInput(
      'The file is not a JPEG, PNG or WebP picture (its contents say so, whatever its name)',
      { field: 'uploadId', reason: 'NOT_AN_IMAGE' },
    );
  }
  let size: { width?: number; height?: number; orientation?: number };
  try {
    size = imageSize(bytes);
  } catch {
    throw badUserInput('The picture is damaged: its size cannot be read', {
      field: 'uploadId',
      reason: 'UNREADABLE',
    });
  }
  // A phone's photo is often stored sideways with an EXIF orientation saying how to turn it
  // (5 to 8: a quarter turn): its size is the one it is shown at, as the resized copies are.
  const turned = (size.orientation ?? 1) >= 5;
  const width = (turned ? size.height : size.width) ?? 0;
  const height = (turned ? size.width : size.height) ?? 0;
  if (Math.max(width, height) > imageMaxSide || Math.min(width, height) < imageMinSide) {
    throw badUserInput(
      `The picture is ${width} × ${height} pixels; each side must be from ${imageMinSide} to ${imageMaxSide}`,
      { field: 'uploadId', reason: 'DIMENSIONS', limit: imageMaxSide },
    );
  }
  return { contentType, width, height, bytes: bytes.length };
}

/** Alt text is required: it is what a screen reader says and what shows when the picture cannot. */
export function checkAlt(alt: string): string {
  const trimmed = alt.trim();
  if (trimmed.length === 0) {
    throw badUserInput('Describe the picture in its alt text (what a screen reader will say)', {
      field: 'alt',
    });
  }
  if (trimmed.length > CATALOG_LIMITS.altMaxLength) {
    throw badUserInput(`Alt text has at most ${CATALOG_LIMITS.altMaxLength} characters`, {
      field: 'alt',
      limit: CATALOG_LIMITS.altMaxLength,
    });
  }
  return trimmed;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
