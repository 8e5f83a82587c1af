import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * Checks the data-ownership table of docs/architecture.md against the code: each collection is
 * named only by its owner, and runtime code imports another function module only through the
 * port files the table lists (or, from outside functions/, its entry points).
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Folders of code that runs (in a function, a service, the local platform or a tool). */
const RUNTIME_FOLDERS = [
  'functions',
  'gateway',
  'services',
  'shared',
  'localstack',
  'deploy',
  'tools',
];
const SKIP = new Set(['node_modules', '.cache', '.build', '.esbuild', '.serverless', 'generated']);
/** What the local platform composes a function from: its entry points. */
const ENTRY_POINTS = new Set(['app.ts', 'handler.ts', 'lambda.ts', 'config.ts']);
/**
 * Infrastructure that reaches collections by a name it is handed (docs/architecture.md, below
 * the table): index creation, and the outbox relay over the owners' outbox collections.
 */
const BY_NAME_FROM_OWNERS = new Set([
  'shared/mongo/mongo-client.ts',
  'functions/outbox-relay/handler.ts',
]);

interface Ownership {
  collection: string;
  owner: string;
  ports: string[];
}

function ownershipTable(): Ownership[] {
  const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Data ownership'));
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').map((cell) => cell.trim()));
  return rows.flatMap((cells) => {
    const ticks = (cell = '') => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
    const [collections, owner] = [ticks(cells[1]), ticks(cells[2])[0] ?? ''];
    const ports = ticks(cells[4]).filter((path) => path.endsWith('.ts'));
    return collections.map((collection) => ({ collection, owner, ports }));
  });
}

function runtimeFiles(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) runtimeFiles(path, found);
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
      found.push(relative(ROOT, path).split(sep).join('/'));
    }
  }
  return found;
}

const files = RUNTIME_FOLDERS.flatMap((folder) => runtimeFiles(join(ROOT, folder)));
const source = new Map(files.map((file) => [file, readFileSync(join(ROOT, file), 'utf8')]));
const table = ownershipTable();

/** functions/<module>/ of a path, or null outside functions/. */
const functionModule = (path: string) => /^functions\/([^/]+)\//.exec(path)?.[1] ?? null;
const inside = (path: string, folder: string) => path.startsWith(`${folder}/`);

/** The string constants every runtime file declares, by name, to resolve `collection(NAME)`. */
const constants = new Map<string, string>();
for (const text of source.values()) {
  for (const match of text.matchAll(/const ([A-Z_]+) = '([a-z_]+)';/g)) {
    constants.set(match[1] ?? '', match[2] ?? '');
  }
}

describe('data ownership (docs/architecture.md)', () => {
  it('lists an owner and the ports of each collection', () => {
    assert.ok(table.length >= 8, `the table has ${table.length} rows`);
    for (const row of table) {
      assert.ok(row.owner, `${row.collection} has an owner`);
      for (const port of row.ports) assert.ok(source.has(port), `${port} exists`);
    }
  });

  it('names each collection only in its owner', () => {
    const owners = new Map(table.map((row) => [row.collection, row.owner]));
    const problems: string[] = [];
    for (const [file, text] of source) {
      for (const match of text.matchAll(/\.collection(?:<[^>]*>)?\(\s*([^),]+)/g)) {
        const argument = (match[1] ?? '').trim();
        const literal = /^'([^']+)'$/.exec(argument)?.[1];
        const name = literal ?? constants.get(argument);
        if (name === undefined) {
          if (!BY_NAME_FROM_OWNERS.has(file)) problems.push(`${file}: collection(${argument})`);
          continue;
        }
        const owner = owners.get(name);
        if (!owner) problems.push(`${file}: ${name} is in no row of the table`);
        else if (!inside(file, owner)) problems.push(`${file} names ${name}, owned by ${owner}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('imports another function module only through its ports or entry points', () => {
    const ports = new Set(table.flatMap((row) => row.ports));
    const problems: string[] = [];
    for (const [file, text] of source) {
      for (const match of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = normalize(join(dirname(file), match[1] ?? ''))
          .split(sep)
          .join('/')
          .replace(/\.js$/, '.ts');
        const module = functionModule(target);
        if (!module || functionModule(file) === module) continue;
        const fromOutside = !inside(file, 'functions');
        const name = target.slice(target.lastIndexOf('/') + 1);
        if (ports.has(target) || (fromOutside && ENTRY_POINTS.has(name))) continue;
        problems.push(`${file} imports ${target}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('gives every function module that owns data a port file', () => {
    for (const row of table.filter((entry) => inside(entry.owner, 'functions'))) {
      if (row.ports.length === 0) continue; // read by nobody else (the test provider's charges)
      assert.ok(
        row.ports.some((port) => inside(port, row.owner)),
        `${row.collection}: its ports are in ${row.owner}`,
      );
    }
  });
});
