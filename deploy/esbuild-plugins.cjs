// esbuild plugins of the function bundles (serverless.yml: custom.esbuild.plugins), also used by
// the cold-start benchmark so that it measures what is deployed.
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/**
 * Bundles OpenTelemetry's packages from their ES module builds (`module`) rather than their
 * CommonJS ones (`main`, esbuild's first choice on the node platform): from ES modules esbuild
 * keeps only what is used, and the semantic conventions are imported, not required whole. It
 * takes about 100 KB out of every function, and about 30 ms out of importing it. Packages
 * with an `exports` map (the API, the semantic conventions) already resolve to theirs.
 */
const openTelemetryEsm = {
  name: 'opentelemetry-esm',
  setup(build) {
    const root = join(__dirname, '..', 'node_modules');
    build.onResolve({ filter: /^@opentelemetry\/[^/]+$/ }, (args) => {
      const manifest = join(root, args.path, 'package.json');
      if (!existsSync(manifest)) return undefined;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
      if (!pkg.module || pkg.exports) return undefined;
      return { path: join(dirname(manifest), pkg.module) };
    });
  },
};

module.exports = [openTelemetryEsm];
