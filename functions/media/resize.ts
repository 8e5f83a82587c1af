import type sharpFunction from 'sharp';
import type { RenditionPlan } from './renditions.js';

type Sharp = typeof sharpFunction;
let library: Promise<Sharp> | undefined;

/**
 * sharp, loaded on the first picture: libvips takes about 19 MB of memory, which a local
 * platform that never resizes anything (most `npm start` sessions) need not hold.
 */
function loadSharp(): Promise<Sharp> {
  library ??= import('sharp').then((module) => module.default as Sharp);
  return library;
}

/**
 * One resized copy as WebP, with libvips through sharp. The picture is turned as its EXIF
 * orientation says and its metadata is dropped (a phone's GPS position stays private).
 */
export async function resize(original: Buffer, plan: RenditionPlan): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(original, { limitInputPixels: 8_000 * 8_000 })
    .rotate()
    .resize({ width: plan.width, height: plan.height, fit: 'fill' })
    .webp({ quality: 80 })
    .toBuffer();
}
