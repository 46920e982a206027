import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// The web app lives in web/; the tests and the global setup are addressed from the repo root.
const repoRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: 'web',
  plugins: [svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) })],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // maplibre-gl is one ~1 MB module that cannot be split further; its size is expected.
    chunkSizeWarningLimit: 1600,
  },
  server: {
    fs: {
      // land.geojson is imported from data/sample/, outside the web root.
      allow: [repoRoot],
    },
    proxy: {
      '/api': 'http://localhost:8080',
    },
  },
  test: {
    root: repoRoot,
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
