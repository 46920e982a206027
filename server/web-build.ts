/** Builds the web app on start when dist/web is missing or older than its sources. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from './lib/log.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
// The .gz/.br copies beside the output are not inputs: only index.html's age against these counts.
const inputs = ['web', 'vite.config.ts', 'server/web-precompress.ts', 'svelte.config.js', 'data/sample/land.geojson', 'package-lock.json'];

async function newestMtime(p: string): Promise<number> {
  const s = await stat(p).catch(() => null);
  if (!s) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  const entries = await readdir(p, { withFileTypes: true });
  const times = await Promise.all(entries.map((e) => newestMtime(path.join(p, e.name))));
  return Math.max(s.mtimeMs, ...times);
}

/** True when dist/web/index.html is missing or older than any web source. */
export async function webBuildIsStale(webDir: string): Promise<boolean> {
  const built = await stat(path.join(webDir, 'index.html')).catch(() => null);
  if (!built) return true;
  const sources = await Promise.all(inputs.map((p) => newestMtime(path.join(root, p))));
  return Math.max(...sources) > built.mtimeMs;
}

/** Runs the vite build when needed; logs what it does and how long it took, and never stops the server. */
export async function ensureWebBuild(webDir: string, log: Logger): Promise<void> {
  if (!(await webBuildIsStale(webDir))) return;
  log.info('building the web app (first start or sources changed)…');
  const started = Date.now();
  try {
    const { build } = await import('vite');
    await build({ configFile: path.join(root, 'vite.config.ts'), root: path.join(root, 'web'), logLevel: 'warn' });
    log.info(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (err) {
    // The API stays useful without a fresh web build; the previous build (if any) keeps being served.
    log.error(`the web app could not be built; serving ${(await stat(path.join(webDir, 'index.html')).catch(() => null)) ? 'the previous build' : 'the API only'}`, {
      error: (err as Error).message.split('\n')[0],
    });
  }
}
