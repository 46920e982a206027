import type { Position } from 'geojson';
import { CoordinateTextError, parseCoordinateText, type CoordinateTextProblem } from '../../../../server/lib/coordinates.ts';
import type { FindingGeometry } from './types.ts';

/** Why a line of typed coordinates could not be read. */
export type CoordinateProblem = CoordinateTextProblem | 'twoPoints';

export type ParsedCoordinates = { ok: true; geometry: FindingGeometry } | { ok: false; problem: CoordinateProblem; line: number };

/**
 * Reads one position with the portal's one coordinate reader (server/lib/coordinates.ts: decimal or
 * 度分秒, N/E or 东经/北纬, full-width digits), in the datum the person chose: the server converts
 * GCJ-02/BD-09, so the numbers are kept as typed, rounded to 1 cm.
 */
export function parsePosition(line: string): Position | CoordinateTextProblem {
  try {
    const { lon, lat } = parseCoordinateText(line);
    return [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
  } catch (err) {
    if (err instanceof CoordinateTextError) return err.problem;
    throw err;
  }
}

/**
 * Reads typed coordinates: one position is a point, three or more (one per line, or separated by
 * semicolons, half- or full-width) the vertices of a polygon, closed here if the person did not repeat the first.
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
