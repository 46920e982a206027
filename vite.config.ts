import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { precompress } from './server/web-precompress.ts';

// The web app lives in web/; the tests and the global setup are addressed from the repo root.
const repoRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: 'web',
  plugins: [svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) }), precompress()],
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
    environment: 'node',
    pool: 'forks',
    // Builds the web app and the seeded database fixtures once for both projects.
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'db',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The browser suites run last, one file at a time and beside nothing else: Chromium's
        // software WebGL takes both cores, and a step starved by a database suite beside it is a flake.
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          maxWorkers: 1,
          fileParallelism: false,
          // Limits are at least three times what each step takes with the browser alone on a busy
          // 2-core machine (a page step 0.3–3 s, a test up to 14 s, a suite's start-up 10 s); the
          // 31–53 s workflow test sets its own. vitest's expect.poll gives up after 1 s by default,
          // less than one server round trip under load.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          expect: { poll: { timeout: 15_000 } },
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
