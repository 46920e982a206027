/**
 * Security headers (CSP with frame-ancestors), the same-origin check with its scheme, Secure cookies
 * over HTTPS, and the built assets served precompressed by Accept-Encoding with a plain fallback.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createLogger } from '../../server/lib/log.ts';
import { precompress, precompressDir } from '../../server/web-precompress.ts';
import { DEMO_PASSWORD_FOR_TESTS, describeEachBackend, freshPglite, testConfig } from '../helpers/backends.ts';
import { freshIp } from '../helpers/auth.ts';

const login = { username: 'coord', password: DEMO_PASSWORD_FOR_TESTS };
const crossSite = { error: { code: 'forbidden', message: '拒绝跨站请求：写操作只能来自本系统页面' } };

describeEachBackend('origin check and session cookie', (ctx) => {
  const post = (app: ReturnType<typeof createApp>, headers: Record<string, string>) =>
    app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp(), ...headers },
      body: JSON.stringify(login),
    });

  it('refuses a write whose Origin has the right host but the wrong scheme', async () => {
    const res = await post(ctx().app, { origin: 'https://localhost' });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual(crossSite);
  });

  it('takes the scheme from X-Forwarded-Proto behind a trusted proxy, and only there', async () => {
    const proxied = await post(ctx().app, { origin: 'https://portal.example', 'x-forwarded-host': 'portal.example', 'x-forwarded-proto': 'https' });
    expect(proxied.status).toBe(200);
    const wrongScheme = await post(ctx().app, { origin: 'http://portal.example', 'x-forwarded-host': 'portal.example', 'x-forwarded-proto': 'https' });
    expect(wrongScheme.status).toBe(403);
    expect(await wrongScheme.json()).toEqual(crossSite);

    const direct = createApp({ database: ctx().database, config: testConfig({ trustProxy: false }), log: createLogger('silent') });
    const ignored = await post(direct, { origin: 'https://localhost', 'x-forwarded-proto': 'https' });
    expect(ignored.status).toBe(403);
  });

  it('marks the session cookie Secure over HTTPS or when COOKIE_SECURE is set, and not over plain HTTP', async () => {
    const overHttp = await post(ctx().app, { origin: 'http://localhost' });
    expect(overHttp.status).toBe(200);
    expect(overHttp.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);

    const overHttps = await post(ctx().app, { origin: 'https://localhost', 'x-forwarded-proto': 'https' });
    expect(overHttps.status).toBe(200);
    expect(overHttps.headers.get('set-cookie')).toMatch(/^portal_session=[^;]+;.*\bSecure\b/);

    const configured = createApp({ database: ctx().database, config: testConfig({ cookieSecure: true }), log: createLogger('silent') });
    const secure = await post(configured, { origin: 'http://localhost' });
    expect(secure.status).toBe(200);
    expect(secure.headers.get('set-cookie')).toMatch(/\bSecure\b/);
  });
});

describe('security headers and precompressed assets', () => {
  let dir = '';
  let app: ReturnType<typeof createApp>;
  let dispose: () => Promise<void>;
  const script = `export const areas = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ code: `WF-PA-${i}`, name: '自然保护地' })))};\n`;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'portal-web-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>t</title><div id="app"></div>');
    await writeFile(path.join(dir, 'assets', 'index-abc123.js'), script);
    await writeFile(path.join(dir, 'assets', 'land-abc123.geojson'), JSON.stringify({ type: 'FeatureCollection', features: Array(200).fill({ type: 'Feature', geometry: null, properties: { n: 1 } }) }));
    await writeFile(path.join(dir, 'assets', 'tiny-abc123.css'), 'body{margin:0}');
    await precompressDir(dir);
    const opened = await freshPglite();
    dispose = opened.dispose;
    app = createApp({ database: opened.database, config: testConfig(), log: createLogger('silent'), webDir: dir });
  });
  afterAll(async () => {
    await dispose?.();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends a Content-Security-Policy with frame-ancestors none on pages and on the API', async () => {
    for (const url of ['/', '/findings/1', '/api/health']) {
      const res = await app.request(url);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp.split(/;\s*/)).toEqual(
        expect.arrayContaining([
          "default-src 'self'",
          "script-src 'self'",
          "worker-src 'self'",
          "style-src 'self'",
          "img-src 'self' data:",
          "object-src 'none'",
          "frame-ancestors 'none'",
        ]),
      );
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('writes .gz and .br copies only where they pay off', async () => {
    expect((await readdir(path.join(dir, 'assets'))).sort()).toEqual([
      'index-abc123.js',
      'index-abc123.js.br',
      'index-abc123.js.gz',
      'land-abc123.geojson',
      'land-abc123.geojson.br',
      'land-abc123.geojson.gz',
      'tiny-abc123.css',
    ]);
  });

  it('serves brotli, gzip or the plain file by Accept-Encoding, each varying on it and cached for a year', async () => {
    const get = (encoding: string | null) =>
      app.request('/assets/index-abc123.js', { headers: encoding === null ? {} : { 'accept-encoding': encoding } });

    const br = await get('gzip, deflate, br, zstd');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(script);

    const gz = await get('gzip, deflate');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(script);

    const plain = await get(null);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);

    for (const res of [br, gz, plain]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(res.headers.get('vary')).toBe('Accept-Encoding');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect(Number(gz.headers.get('content-length'))).toBeLessThan(script.length / 3);
  });

  it('gives GeoJSON its media type and serves small files plain', async () => {
    const land = await app.request('/assets/land-abc123.geojson', { headers: { 'accept-encoding': 'gzip' } });
    expect(land.headers.get('content-type')).toBe('application/geo+json');
    expect(land.headers.get('content-encoding')).toBe('gzip');
    const css = await app.request('/assets/tiny-abc123.css', { headers: { 'accept-encoding': 'br' } });
    expect(css.status).toBe(200);
    expect(css.headers.get('content-encoding')).toBeNull();
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toBe('body{margin:0}');
  });

  it('answers a missing asset with 404, not with the page', async () => {
    const res = await app.request('/assets/gone-000000.js', { headers: { 'accept-encoding': 'br' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: '没有这个地址：/assets/gone-000000.js' } });
  });
});

describe('the web build', () => {
  it('runs the precompression plugin after every build, over the whole output folder', async () => {
    const config = (await import('../../vite.config.ts')).default as { plugins: { name: string }[] };
    expect(config.plugins.flat().map((p) => p.name)).toContain('portal-precompress');

    const out = await mkdtemp(path.join(os.tmpdir(), 'portal-build-'));
    try {
      await writeFile(path.join(out, 'favicon.svg'), `<svg xmlns="http://www.w3.org/2000/svg">${'<g/>'.repeat(400)}</svg>`);
      const plugin = precompress() as unknown as {
        configResolved(c: unknown): void;
        closeBundle(): Promise<void>;
      };
      const logged: string[] = [];
      plugin.configResolved({ root: out, build: { outDir: '.' }, logger: { info: (m: string) => logged.push(m) } });
      await plugin.closeBundle();
      expect((await readdir(out)).sort()).toEqual(['favicon.svg', 'favicon.svg.br', 'favicon.svg.gz']);
      expect(logged).toEqual([expect.stringMatching(/^precompressed 1 files: /)]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
