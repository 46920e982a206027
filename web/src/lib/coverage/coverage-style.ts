/**
 * How coverage looks: the class of each area, its colour, the legend, the due badges and the map
 * layers of the coverage view. Pure, so the unit tests and the browser test read the same colours
 * the map is painted with.
 */
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import type { Feature, FeatureCollection, LineString, MultiLineString, Point } from 'geojson';
import type { AreaCollection } from '../api/types.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { SOURCE } from '../map/style.ts';
import type { AreaPaint, MapOverlay } from '../map/overlay.ts';
import type { AreaCoverage, DueStatus } from './types.ts';

/** Classes of spatial coverage, plus "not visited at all", which is not the same as 0 %. */
export type CoverageClass = 'unvisited' | 'zero' | 'lt25' | 'lt50' | 'lt75' | 'ge75';
export const COVERAGE_CLASSES: readonly CoverageClass[] = ['unvisited', 'zero', 'lt25', 'lt50', 'lt75', 'ge75'];

/**
 * A sequential yellow–green–blue ramp (ColorBrewer YlGnBu, 5 classes) for the share seen, light to
 * dark; unvisited areas get a grey-red outside the ramp, so "nobody went" never reads as "a little".
 */
export const COVERAGE_COLORS: Readonly<Record<CoverageClass, string>> = {
  unvisited: '#C2847A',
  zero: '#EDF8B1',
  lt25: '#C7E9B4',
  lt50: '#7FCDBB',
  lt75: '#2C7FB8',
  ge75: '#253494',
};

/** Opaque enough that the class reads clearly over land and sea, light enough to see the basemap. */
export const COVERAGE_FILL_OPACITY = 0.8;
export const COVERAGE_OUTLINE_COLOR = '#4A4A4A';
export const OVERDUE_COLOR = '#B2182B';
export const TRACK_COLOR = '#E7298A';
export const CHECKPOINT_COLOR = '#FFFFFF';
export const UNCOVERED_COLOR = '#D7301F';

/** Effort grid: inspections per cell, in four steps of a purple ramp (ColorBrewer Purples). */
export const GRID_STEPS: readonly { min: number; color: string; label: string }[] = [
  { min: 1, color: '#CBC9E2', label: '1' },
  { min: 2, color: '#9E9AC8', label: '2' },
  { min: 3, color: '#756BB1', label: '3–4' },
  { min: 5, color: '#54278F', label: '≥5' },
];
export const GRID_OPACITY = 0.7;

/** The class of an area's coverage row (no row: treated as unvisited). */
export function coverageClass(row: Pick<AreaCoverage, 'visited' | 'coverage'> | undefined): CoverageClass {
  if (!row || !row.visited) return 'unvisited';
  const c = row.coverage;
  if (c <= 0) return 'zero';
  if (c < 0.25) return 'lt25';
  if (c < 0.5) return 'lt50';
  if (c < 0.75) return 'lt75';
  return 'ge75';
}

/** The legend rows of the coverage classes, in reading order (unvisited first, then the ramp). */
export function coverageLegend(): { cls: CoverageClass; color: string; key: MessageKey }[] {
  return COVERAGE_CLASSES.map((cls) => ({ cls, color: COVERAGE_COLORS[cls], key: `coverage.class.${cls}` as MessageKey }));
}

/** A `match` expression colouring an area by the `coverageClass` property the page joins in. */
export function coverageColorExpression(): ExpressionSpecification {
  const pairs = COVERAGE_CLASSES.flatMap((c) => [c, COVERAGE_COLORS[c]]);
  return ['match', ['get', 'coverageClass'], ...pairs, COVERAGE_COLORS.unvisited] as unknown as ExpressionSpecification;
}

/** A `step` expression colouring a grid cell by its inspection count. */
export function gridColorExpression(): ExpressionSpecification {
  const [first, ...rest] = GRID_STEPS;
  return ['step', ['get', 'count'], first!.color, ...rest.flatMap((s) => [s.min, s.color])] as unknown as ExpressionSpecification;
}

/** The badge of a due status: its words and its colours (text on background, readable). */
export function dueBadge(due: DueStatus): { key: MessageKey; color: string; background: string } {
  switch (due) {
    case 'ok':
      return { key: 'coverage.due.ok', color: '#1F6B3A', background: '#E2F3E7' };
    case 'due_soon':
      return { key: 'coverage.due.due_soon', color: '#7A4B00', background: '#FDF0D5' };
    case 'overdue':
      return { key: 'coverage.due.overdue', color: '#FFFFFF', background: OVERDUE_COLOR };
  }
}

/** How the base area fill is painted in the coverage view. */
export function coverageAreaPaint(): AreaPaint {
  return { fillColor: coverageColorExpression(), fillOpacity: COVERAGE_FILL_OPACITY, lineColor: COVERAGE_OUTLINE_COLOR, lineWidth: 0.8 };
}

/** The areas with their coverage joined in as properties the layers read (`coverageClass`, `due`). */
export function withCoverage(areas: AreaCollection, rows: readonly AreaCoverage[] | null): AreaCollection {
  const byCode = new Map((rows ?? []).map((r) => [r.code, r]));
  return {
    type: 'FeatureCollection',
    features: areas.features.map((f) => {
      const row = byCode.get(f.properties.code);
      return {
        ...f,
        properties: { ...f.properties, coverageClass: rows ? coverageClass(row) : 'unvisited', due: row?.due ?? null, coverage: row?.coverage ?? 0 },
      };
    }),
  };
}

export const COVERAGE_SOURCE = {
  grid: 'coverage-grid',
  uncovered: 'coverage-uncovered',
  tracks: 'coverage-tracks',
  checkpoints: 'coverage-checkpoints',
} as const;

export const COVERAGE_LAYER = {
  grid: 'coverage-grid-fill',
  uncoveredFill: 'coverage-uncovered-fill',
  uncoveredLine: 'coverage-uncovered-line',
  overdue: 'coverage-overdue-line',
  trackCasing: 'coverage-track-casing',
  track: 'coverage-track-line',
  checkpoints: 'coverage-checkpoints',
} as const;

/** The layers a person can switch on and off, and which map layers each one stands for. */
export const TOGGLES = {
  tracks: [COVERAGE_LAYER.trackCasing, COVERAGE_LAYER.track, COVERAGE_LAYER.checkpoints],
  grid: [COVERAGE_LAYER.grid],
  uncovered: [COVERAGE_LAYER.uncoveredFill, COVERAGE_LAYER.uncoveredLine],
} as const;
export type LayerToggle = keyof typeof TOGGLES;
export const LAYER_TOGGLES = Object.keys(TOGGLES) as LayerToggle[];

/** Track lines over a white casing, so they read over every coverage colour. */
export function trackLayers(source: string, ids: { casing: string; line: string }): LayerSpecification[] {
  return [
    {
      id: ids.casing,
      type: 'line',
      source,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#FFFFFF', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 2.5, 14, 6], 'line-opacity': 0.85 },
    },
    {
      id: ids.line,
      type: 'line',
      source,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': TRACK_COLOR, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.2, 14, 3.5] },
    },
  ];
}

/** Checkpoints as small white-ringed dots in the track colour. */
export function checkpointLayer(source: string, id: string): LayerSpecification {
  return {
    id,
    type: 'circle',
    source,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 3, 14, 6],
      'circle-color': TRACK_COLOR,
      'circle-stroke-color': CHECKPOINT_COLOR,
      'circle-stroke-width': 1.5,
    },
  };
}

/**
 * The coverage view's own layers, bottom to top: the effort grid, the selected area's uncovered
 * part, the overdue outline (on the base areas source), the tracks and checkpoints.
 */
export function coverageOverlay(): MapOverlay {
  return {
    sources: Object.values(COVERAGE_SOURCE),
    layers: [
      {
        id: COVERAGE_LAYER.grid,
        type: 'fill',
        source: COVERAGE_SOURCE.grid,
        layout: { visibility: 'none' },
        paint: { 'fill-color': gridColorExpression(), 'fill-opacity': GRID_OPACITY, 'fill-outline-color': 'rgba(255,255,255,0.6)' },
      },
      {
        id: COVERAGE_LAYER.uncoveredFill,
        type: 'fill',
        source: COVERAGE_SOURCE.uncovered,
        paint: { 'fill-color': UNCOVERED_COLOR, 'fill-opacity': 0.45 },
      },
      {
        id: COVERAGE_LAYER.uncoveredLine,
        type: 'line',
        source: COVERAGE_SOURCE.uncovered,
        paint: { 'line-color': UNCOVERED_COLOR, 'line-width': 1.2, 'line-dasharray': [2, 1] },
      },
      {
        id: COVERAGE_LAYER.overdue,
        type: 'line',
        source: SOURCE.areas,
        filter: ['==', ['get', 'due'], 'overdue'],
        paint: { 'line-color': OVERDUE_COLOR, 'line-width': ['interpolate', ['linear'], ['zoom'], 7, 1.6, 12, 3], 'line-dasharray': [2, 1.2] },
      },
      ...trackLayers(COVERAGE_SOURCE.tracks, { casing: COVERAGE_LAYER.trackCasing, line: COVERAGE_LAYER.track }),
      checkpointLayer(COVERAGE_SOURCE.checkpoints, COVERAGE_LAYER.checkpoints),
    ],
  };
}

/** Merges the tracks (or checkpoints) of several inspections into one collection for one source. */
export function mergeCollections<G extends LineString | MultiLineString | Point>(
  collections: readonly FeatureCollection<G | null>[],
): FeatureCollection<G> {
  const features: Feature<G>[] = [];
  for (const c of collections) for (const f of c.features) if (f.geometry) features.push(f as Feature<G>);
  return { type: 'FeatureCollection', features };
}
