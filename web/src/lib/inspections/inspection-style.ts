import { checkpointLayer, trackLayers } from '../coverage/coverage-style.ts';
import type { MapOverlay } from '../map/overlay.ts';

export const INSPECTION_SOURCE = { tracks: 'inspection-tracks', checkpoints: 'inspection-checkpoints' } as const;
export const INSPECTION_LAYER = {
  trackCasing: 'inspection-track-casing',
  track: 'inspection-track-line',
  checkpoints: 'inspection-checkpoints',
} as const;

/** One inspection's tracks and checkpoints, drawn as on the coverage map. */
export function inspectionOverlay(): MapOverlay {
  return {
    sources: Object.values(INSPECTION_SOURCE),
    layers: [
      ...trackLayers(INSPECTION_SOURCE.tracks, { casing: INSPECTION_LAYER.trackCasing, line: INSPECTION_LAYER.track }),
      checkpointLayer(INSPECTION_SOURCE.checkpoints, INSPECTION_LAYER.checkpoints),
    ],
  };
}

/** The bounding box of some coordinates (tracks and checkpoints), or null when there are none. */
export function coordinatesBbox(positions: Iterable<readonly number[]>): [number, number, number, number] | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of positions) {
    if (x === undefined || y === undefined) continue;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null;
}
