import type { FeatureCollection, MultiLineString } from 'geojson';
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

export const PREVIEW_SOURCE = { tracks: 'inspection-preview-tracks', checkpoints: 'inspection-preview-checkpoints' } as const;
export const PREVIEW_LAYER = {
  trackCasing: 'inspection-preview-track-casing',
  track: 'inspection-preview-track-line',
  checkpoints: 'inspection-preview-checkpoints',
} as const;

/**
 * An orange (ColorBrewer Dark2, beside the saved tracks' magenta) that still reads over the area
 * fills: the preview must never be mistaken for a stored track, hence also the dashes and hollow dots.
 */
export const PREVIEW_COLOR = '#D95F02';

/** A track file not saved yet: dashed over a white casing, its waypoints as hollow rings. */
export function trackPreviewOverlay(): MapOverlay {
  return {
    sources: Object.values(PREVIEW_SOURCE),
    layers: [
      {
        id: PREVIEW_LAYER.trackCasing,
        type: 'line',
        source: PREVIEW_SOURCE.tracks,
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#FFFFFF', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 3, 14, 7], 'line-opacity': 0.85 },
      },
      {
        id: PREVIEW_LAYER.track,
        type: 'line',
        source: PREVIEW_SOURCE.tracks,
        // Butt caps: round ones would fill the gaps and the dashes would read as a solid line.
        layout: { 'line-join': 'round', 'line-cap': 'butt' },
        paint: {
          'line-color': PREVIEW_COLOR,
          'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.8, 14, 4],
          'line-dasharray': [2, 1.5],
        },
      },
      {
        id: PREVIEW_LAYER.checkpoints,
        type: 'circle',
        source: PREVIEW_SOURCE.checkpoints,
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 3.5, 14, 7],
          'circle-color': '#FFFFFF',
          'circle-stroke-color': PREVIEW_COLOR,
          'circle-stroke-width': 2,
        },
      },
    ],
  };
}

/** A preview's lines as the collection its map source takes (none when the file has waypoints only). */
export function previewTrackCollection(lines: MultiLineString | null): FeatureCollection<MultiLineString> {
  return { type: 'FeatureCollection', features: lines ? [{ type: 'Feature', geometry: lines, properties: {} }] : [] };
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
