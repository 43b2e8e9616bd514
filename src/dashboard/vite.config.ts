import { defineConfig } from 'vite';

// The dashboard is built into dist/dashboard, which the server serves at `/` (src/server/http/dashboard-assets.ts).
// esbuild compiles the JSX itself (automatic runtime), so no React plugin is needed for a production build.
const root = new URL('.', import.meta.url).pathname;

export default defineConfig({
  root,
  base: '/',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: new URL('../../dist/dashboard', import.meta.url).pathname,
    emptyOutDir: true,
    // Everything is bundled: the page loads nothing from another origin.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
});
