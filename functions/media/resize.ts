import sharp from 'sharp';
import type { RenditionPlan } from './renditions.js';

/**
 * One resized copy as WebP, with libvips through sharp. The picture is turned as its EXIF
 * orientation says and its metadata is dropped (a phone's GPS position stays private).
 */
export function resize(original: Buffer, plan: RenditionPlan): Promise<Buffer> {
  return sharp(original, { limitInputPixels: 8_000 * 8_000 })
    .rotate()
    .resize({ width: plan.width, height: plan.height, fit: 'fill' })
    .webp({ quality: 80 })
    .toBuffer();
}
