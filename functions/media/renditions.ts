/**
 * Which resized copies a picture gets, free of I/O: the storefront's widths narrower than the
 * original (a picture is never enlarged), or the original's own width when it is narrower
 * than them all. Heights keep the proportions.
 */
export const RENDITION_WIDTHS = [320, 640, 1280] as const;

export interface RenditionPlan {
  width: number;
  height: number;
  key: string;
}

export function planRenditions(original: {
  key: string;
  width: number;
  height: number;
}): RenditionPlan[] {
  const folder = original.key.slice(0, original.key.lastIndexOf('/'));
  const widths = RENDITION_WIDTHS.filter((width) => width < original.width);
  const chosen = widths.length > 0 ? widths : [original.width];
  return chosen.map((width) => ({
    width,
    height: Math.max(1, Math.round((original.height * width) / original.width)),
    key: `${folder}/w${width}.webp`,
  }));
}
