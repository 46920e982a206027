import type { Feature, MultiLineString, Point } from 'geojson';
import type { ParsedTracks } from './types.ts';

export interface CheckpointProperties {
  name: string | null;
  note: string | null;
  ele: number | null;
  time: string | null;
}

/** The tracks as one WGS84 MultiLineString (a line per segment, 7 decimals ≈ 1 cm), or null for checkpoints only. */
export function toMultiLineString(parsed: ParsedTracks): MultiLineString | null {
  const coordinates: number[][][] = [];
  for (const track of parsed.tracks) {
    for (const segment of track.segments) {
      const line: number[][] = [];
      for (const point of segment) {
        const position = [round7(point.lon), round7(point.lat)];
        const last = line[line.length - 1];
        // Repeated positions (a logger standing still) add nothing to a line and would make it invalid if alone.
        if (last && last[0] === position[0] && last[1] === position[1]) continue;
        line.push(position);
      }
      if (line.length >= 2) coordinates.push(line);
    }
  }
  return coordinates.length > 0 ? { type: 'MultiLineString', coordinates } : null;
}

/** The checkpoints as WGS84 Point features (7 decimals) with name, note, elevation and time, one per database row. */
export function checkpointsToFeatures(parsed: ParsedTracks): Array<Feature<Point, CheckpointProperties>> {
  return parsed.checkpoints.map((checkpoint) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [round7(checkpoint.lon), round7(checkpoint.lat)] },
    properties: { name: checkpoint.name, note: checkpoint.note, ele: checkpoint.ele, time: checkpoint.time },
  }));
}

function round7(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}
