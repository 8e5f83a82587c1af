/**
 * A URL slug from a product name: lower case ASCII letters and digits separated by single
 * hyphens ("Café Crème 250g!" -> "cafe-creme-250g"). Empty when the name has no such characters.
 */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 96)
    .replace(/-+$/g, '');
}
