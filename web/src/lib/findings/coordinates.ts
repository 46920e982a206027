import type { Position } from 'geojson';
import type { FindingGeometry } from './types.ts';

/** Why a line of typed coordinates could not be read. */
export type CoordinateProblem = 'empty' | 'format' | 'minutes' | 'range' | 'twoPoints';

export type ParsedCoordinates = { ok: true; geometry: FindingGeometry } | { ok: false; problem: CoordinateProblem; line: number };

// Officers copy coordinates from GPS units, 奥维/高德 screenshots and Word reports: 度分秒 in several
// spellings. Everything is first brought to one spelling: ° ' " and N/S/E/W.
const SPELLINGS: [RegExp, string][] = [
  [/东经/g, 'E'],
  [/西经/g, 'W'],
  [/北纬/g, 'N'],
  [/南纬/g, 'S'],
  [/度/g, '°'],
  [/[分′’‘]/g, "'"],
  [/(?:秒|″|”|“|'')/g, '"'],
  [/，/g, ','],
];

const VALUE = /([NSEW])?\s*(-?\d+(?:\.\d+)?)\s*(?:°\s*(?:(\d+(?:\.\d+)?)\s*'\s*)?(?:(\d+(?:\.\d+)?)\s*"\s*)?)?([NSEW])?/gi;

interface Value {
  number: number;
  axis: 'lon' | 'lat' | null;
}

function readLine(line: string): Value[] | CoordinateProblem {
  let text = line;
  for (const [pattern, replacement] of SPELLINGS) text = text.replace(pattern, replacement);
  const values: Value[] = [];
  for (const m of text.matchAll(VALUE)) {
    const [, before, degrees, minutes, seconds, after] = m;
    const hemisphere = (before ?? after ?? '').toUpperCase();
    const min = minutes ? Number(minutes) : 0;
    const sec = seconds ? Number(seconds) : 0;
    if (min >= 60 || sec >= 60) return 'minutes';
    const magnitude = Math.abs(Number(degrees)) + min / 60 + sec / 3600;
    const negative = Number(degrees) < 0 || degrees!.startsWith('-') || hemisphere === 'S' || hemisphere === 'W';
    values.push({ number: negative ? -magnitude : magnitude, axis: hemisphere === 'E' || hemisphere === 'W' ? 'lon' : hemisphere === 'N' || hemisphere === 'S' ? 'lat' : null });
  }
  return values;
}

/**
 * Reads one position ("lon, lat" in decimal degrees or 度分秒, with or without N/E or 东经/北纬).
 * Without hemisphere letters the order is longitude first, unless only the second number can be a
 * longitude (people often write latitude first): in Weifang both readings cannot be valid at once.
 */
export function parsePosition(line: string): Position | CoordinateProblem {
  const values = readLine(line);
  if (typeof values === 'string') return values;
  if (values.length !== 2) return 'format';
  let [a, b] = values as [Value, Value];
  if (a.axis === 'lat' || b.axis === 'lon' || (a.axis === null && b.axis === null && Math.abs(a.number) <= 90 && Math.abs(b.number) > 90)) {
    [a, b] = [b, a];
  }
  const lon = a.number;
  const lat = b.number;
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return 'range';
  return [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
}

/**
 * Reads typed coordinates: one position is a point, three or more (one per line, or separated by
 * semicolons) the vertices of a polygon, closed here if the person did not repeat the first.
 */
export function parseCoordinates(text: string): ParsedCoordinates {
  const lines = text.split(/[\n;；]/).map((l) => l.trim());
  const positions: Position[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line) continue;
    const position = parsePosition(line);
    if (typeof position === 'string') return { ok: false, problem: position, line: i + 1 };
    positions.push(position);
  }
  if (positions.length === 0) return { ok: false, problem: 'empty', line: 0 };
  if (positions.length === 1) return { ok: true, geometry: { type: 'Point', coordinates: positions[0]! } };
  if (positions.length === 2) return { ok: false, problem: 'twoPoints', line: 0 };
  return { ok: true, geometry: { type: 'Polygon', coordinates: [closeRing(positions)] } };
}

/** A ring that ends where it starts, as GeoJSON requires. */
export function closeRing(positions: readonly Position[]): Position[] {
  const first = positions[0];
  const last = positions[positions.length - 1];
  const closed = first && last && first[0] === last[0] && first[1] === last[1];
  return closed ? [...positions] : [...positions, [...first!]];
}

/** A geometry written back as text, one position per line (what the coordinate box shows after drawing). */
export function formatGeometry(geometry: FindingGeometry): string {
  const positions = geometry.type === 'Point' ? [geometry.coordinates] : (geometry.coordinates[0] ?? []).slice(0, -1);
  return positions.map(([lon = 0, lat = 0]) => `${lon.toFixed(6)}, ${lat.toFixed(6)}`).join('\n');
}
