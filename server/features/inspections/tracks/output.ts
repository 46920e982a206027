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

/** What the server needs from a parsed file, compact enough to cross from the worker thread cheaply. */
export interface TrackImport {
  format: ParsedTracks['format'];
  pointCount: number;
  checkpointCount: number;
  timeRange: ParsedTracks['timeRange'];
  warnings: ParsedTracks['warnings'];
  /** The MultiLineString as GeoJSON text (a string is copied in one piece, 200,000 positions as objects are not), or null. */
  linesJson: string | null;
  checkpointFeatures: Array<Feature<Point, CheckpointProperties>>;
}

/** The parsed file as the server stores it. */
export function toTrackImport(parsed: ParsedTracks): TrackImport {
  const lines = toMultiLineString(parsed);
  return {
    format: parsed.format,
    pointCount: parsed.pointCount,
    checkpointCount: parsed.checkpoints.length,
    timeRange: parsed.timeRange,
    warnings: parsed.warnings,
    linesJson: lines ? JSON.stringify(lines) : null,
    checkpointFeatures: checkpointsToFeatures(parsed),
  };
}
