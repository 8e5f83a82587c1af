import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The storefront build: Preact, one entry (`index.html`), the admin split into its own chunk
 * by its dynamic import. `npm run dev -w frontend` serves it with `/graphql` proxied to the
 * platform of `npm start` on 127.0.0.1:4000.
 */
export default defineConfig({
  plugins: [preact()],
  build: {
    target: 'es2022',
    // No inline scripts or styles anywhere: the page runs under `script-src 'self'`.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true } },
  },
});
