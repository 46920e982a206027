/** Stable, diff-friendly file writing: fixed key order, one feature per line, trailing newline. */
import { writeFileSync } from 'node:fs';
import type { Geometry } from 'geojson';

export interface OutFeature {
  properties: Record<string, unknown>;
  geometry: Geometry | null;
}

/** Serialises a FeatureCollection with one feature per line so a changed area is a one-line diff. */
export function featureCollectionText(features: OutFeature[]): string {
  const lines = features.map((f) => JSON.stringify({ type: 'Feature', properties: f.properties, geometry: f.geometry }));
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}

/** Writes a FeatureCollection file (see featureCollectionText). */
export function writeFeatureCollection(file: string, features: OutFeature[]): void {
  writeFileSync(file, featureCollectionText(features));
}

/** Writes pretty JSON (2-space indent) with a trailing newline. */
export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Pairs stay on one line each, which reads better than the default pretty-printer's nesting. */
export function writePairs(file: string, pairs: [string, string][]): void {
  writeFileSync(file, `[\n${pairs.map((p) => `  ${JSON.stringify(p)}`).join(',\n')}\n]\n`);
}
