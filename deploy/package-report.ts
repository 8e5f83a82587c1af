import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { zipEntries } from './zip-entries.js';

/** What one function's deployment package holds. */
export interface FunctionPackage {
  /** The function's key in serverless.yml (the zip's name). */
  name: string;
  zipBytes: number;
  /** The bundled handler (`.mjs`), uncompressed. */
  bundleBytes: number;
  sourceMapBytes: number;
  files: string[];
}

/** Reads every function zip that `serverless package` wrote into `dir`. */
export function readPackages(dir: string): FunctionPackage[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.zip'))
    .sort()
    .map((file) => {
      const entries = zipEntries(join(dir, file));
      const sum = (suffix: string) =>
        entries
          .filter((entry) => entry.name.endsWith(suffix))
          .reduce((total, entry) => total + entry.bytes, 0);
      return {
        name: file.replace(/\.zip$/, ''),
        zipBytes: statSync(join(dir, file)).size,
        bundleBytes: sum('.mjs'),
        sourceMapBytes: sum('.mjs.map'),
        files: entries.map((entry) => entry.name),
      };
    });
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/** A plain-text table of the packages: zip, bundle and source map sizes. */
export function formatPackages(packages: readonly FunctionPackage[]): string {
  const rows = [
    ['function', 'zip', 'bundle', 'source map'],
    ...packages.map((p) => [p.name, kib(p.zipBytes), kib(p.bundleBytes), kib(p.sourceMapBytes)]),
  ];
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
        )
        .join('  '),
    )
    .join('\n');
}
