import type { Feature, FeatureCollection, LineString, Point, Polygon, Position } from 'geojson';
import type { ExpressionSpecification, FilterSpecification, LayerSpecification } from 'maplibre-gl';
import type { MapOverlay } from '../map/overlay.ts';
import { FONT_STACK } from '../map/style.ts';
import { FINDING_STATES, type FindingCollection, type FindingGeometry, type FindingState } from './types.ts';

/**
 * State colours: the chain reads cool (clue, verifying) → hot (confirmed, rectifying) → done (closed),
 * with the two ends of the road out (dismissed, reopened) set apart. Kept distinct from one another
 * and from the overdue red, which is reserved for the ring (the unit test checks both).
 */
export const STATE_COLORS: Readonly<Record<FindingState, string>> = {
  clue: '#7B4FBF',
  verifying: '#1E73D8',
  dismissed: '#8C8C8C',
  confirmed: '#E0662B',
  rectifying: '#F2A10F',
  planning: '#A0522D',
  pending_acceptance: '#0E8F86',
  publicising: '#6FB7E8',
  closed: '#2E8B3A',
  reopened: '#B5176E',
};

/** The ring of an overdue finding and the halo of an escalated one (督办). */
export const OVERDUE_COLOR = '#D10000';
export const CLUSTER_COLOR = '#34454F';

export const FINDINGS_SOURCE = { points: 'findings-points', shapes: 'findings-shapes' } as const;
export const FINDINGS_LAYER = {
  shapes: 'findings-shape-outline',
  halo: 'findings-escalated-halo',
  clusters: 'findings-clusters',
  clusterCount: 'findings-cluster-count',
  points: 'findings-points',
} as const;

/** The layers a click on which opens a finding or a cluster (and not the area beneath). */
export const FINDINGS_CLICK_LAYERS = [FINDINGS_LAYER.clusters, FINDINGS_LAYER.points] as const;

/** A `match` expression giving each state its colour. */
export function stateColorExpression(): ExpressionSpecification {
  const pairs = FINDING_STATES.flatMap((s) => [s, STATE_COLORS[s]]);
  return ['match', ['get', 'state'], ...pairs, '#555555'] as unknown as ExpressionSpecification;
}

const isCluster: ExpressionSpecification = ['has', 'point_count'];
const isTrue = (property: string): ExpressionSpecification => ['==', ['get', property], true];

/** Where a finding is drawn as a marker: the point itself, or the mean of a polygon's outer ring. */
export function markerPosition(geometry: FindingGeometry): Position {
  if (geometry.type === 'Point') return geometry.coordinates;
  const ring = geometry.coordinates[0] ?? [];
  // The ring repeats its first vertex at the end; count it once.
  const vertices = ring.length > 1 ? ring.slice(0, -1) : ring;
  const sum = vertices.reduce((acc, [x = 0, y = 0]) => [acc[0]! + x, acc[1]! + y], [0, 0]);
  return [sum[0]! / Math.max(1, vertices.length), sum[1]! / Math.max(1, vertices.length)];
}

/** The properties the map's markers carry (enough to colour, ring and open them). */
export interface FindingMarkerProperties {
  id: number;
  serial: string;
  title: string;
  state: FindingState;
  overdue: boolean;
  escalated: boolean;
}

/**
 * One marker per finding, for the clustered source: maplibre clusters points only, so a polygon
 * finding is clustered at its marker position and its outline drawn from `findingShapes`.
 */
export function findingMarkers(collection: FindingCollection): FeatureCollection<Point, FindingMarkerProperties> {
  return {
    type: 'FeatureCollection',
    features: collection.features
      .filter((f) => f.geometry)
      .map((f) => ({
        type: 'Feature',
        id: f.properties.id,
        geometry: { type: 'Point', coordinates: markerPosition(f.geometry) },
        properties: {
          id: f.properties.id,
          serial: f.properties.serial,
          title: f.properties.title,
          state: f.properties.state,
          overdue: f.properties.overdue === true,
          escalated: f.properties.escalated === true,
        },
      })),
  };
}

/** The polygon findings, outlined in their state's colour. */
export function findingShapes(collection: FindingCollection): FeatureCollection<Polygon, FindingMarkerProperties> {
  return {
    type: 'FeatureCollection',
    features: collection.features
      .filter((f): f is typeof f & { geometry: Polygon } => f.geometry?.type === 'Polygon')
      .map((f) => ({
        type: 'Feature',
        id: f.properties.id,
        geometry: f.geometry,
        properties: {
          id: f.properties.id,
          serial: f.properties.serial,
          title: f.properties.title,
          state: f.properties.state,
          overdue: f.properties.overdue === true,
          escalated: f.properties.escalated === true,
        },
      })),
  };
}

/** Zoom above which markers are no longer clustered (the city's findings are then a few km apart). */
export const CLUSTER_MAX_ZOOM = 11;

/**
 * The findings layer of the main map: clusters (ringed red when any finding inside is overdue),
 * markers coloured by state with a red ring when overdue and a red halo when escalated, and
 * polygon outlines once zoomed in enough to read them.
 */
export function findingsOverlay(): MapOverlay {
  const layers: LayerSpecification[] = [
    {
      id: FINDINGS_LAYER.shapes,
      type: 'line',
      source: FINDINGS_SOURCE.shapes,
      minzoom: 9,
      paint: { 'line-color': stateColorExpression(), 'line-width': 2.2 },
    },
    {
      id: FINDINGS_LAYER.halo,
      type: 'circle',
      source: FINDINGS_SOURCE.points,
      filter: ['all', ['!', isCluster], isTrue('escalated')] as FilterSpecification,
      paint: { 'circle-radius': 14, 'circle-color': OVERDUE_COLOR, 'circle-opacity': 0.3, 'circle-blur': 0.3 },
    },
    {
      id: FINDINGS_LAYER.clusters,
      type: 'circle',
      source: FINDINGS_SOURCE.points,
      filter: isCluster as FilterSpecification,
      paint: {
        'circle-color': CLUSTER_COLOR,
        'circle-opacity': 0.88,
        'circle-radius': ['step', ['get', 'point_count'], 13, 10, 17, 50, 22],
        'circle-stroke-color': ['case', ['>', ['get', 'overdueCount'], 0], OVERDUE_COLOR, '#FFFFFF'],
        'circle-stroke-width': ['case', ['>', ['get', 'overdueCount'], 0], 3, 1.5],
      },
    },
    {
      id: FINDINGS_LAYER.clusterCount,
      type: 'symbol',
      source: FINDINGS_SOURCE.points,
      filter: isCluster as FilterSpecification,
      layout: {
        'text-field': ['get', 'point_count_abbreviated'],
        'text-font': FONT_STACK,
        'text-size': 12,
        'text-allow-overlap': true,
      },
      paint: { 'text-color': '#FFFFFF' },
    },
    {
      id: FINDINGS_LAYER.points,
      type: 'circle',
      source: FINDINGS_SOURCE.points,
      filter: ['!', isCluster] as FilterSpecification,
      paint: {
        'circle-color': stateColorExpression(),
        'circle-radius': 7,
        'circle-stroke-color': ['case', isTrue('overdue'), OVERDUE_COLOR, '#FFFFFF'],
        'circle-stroke-width': ['case', isTrue('overdue'), 3, 1.5],
      },
    },
  ];
  return {
    sources: Object.values(FINDINGS_SOURCE),
    // A problem to act on matters more than the name of the area it lies in.
    onTop: true,
    sourceOptions: {
      [FINDINGS_SOURCE.points]: {
        cluster: true,
        clusterRadius: 40,
        clusterMaxZoom: CLUSTER_MAX_ZOOM,
        // A cluster knows how many overdue findings it holds, to ring itself red.
        clusterProperties: { overdueCount: ['+', ['case', ['get', 'overdue'], 1, 0]] },
      },
    },
    layers,
  };
}

export const SHAPE_SOURCE = 'finding-shape';
export const SHAPE_LAYER = {
  fill: 'finding-shape-fill',
  line: 'finding-shape-line',
  vertices: 'finding-shape-vertices',
  point: 'finding-shape-point',
} as const;
export const SHAPE_COLOR = '#C62828';

const geometryIs = (type: string): FilterSpecification => ['==', ['geometry-type'], type];

/**
 * One finding's shape on its own page, or the shape being drawn on the new-finding page: the
 * polygon filled and outlined, the unfinished outline as a line, its vertices and the point.
 */
export function shapeOverlay(): MapOverlay {
  return {
    sources: [SHAPE_SOURCE],
    layers: [
      { id: SHAPE_LAYER.fill, type: 'fill', source: SHAPE_SOURCE, filter: geometryIs('Polygon'), paint: { 'fill-color': SHAPE_COLOR, 'fill-opacity': 0.25 } },
      {
        id: SHAPE_LAYER.line,
        type: 'line',
        source: SHAPE_SOURCE,
        filter: ['any', geometryIs('Polygon'), geometryIs('LineString')] as FilterSpecification,
        paint: { 'line-color': SHAPE_COLOR, 'line-width': 2.5 },
      },
      {
        id: SHAPE_LAYER.vertices,
        type: 'circle',
        source: SHAPE_SOURCE,
        filter: ['all', geometryIs('Point'), ['==', ['get', 'role'], 'vertex']] as FilterSpecification,
        paint: { 'circle-radius': 4, 'circle-color': '#FFFFFF', 'circle-stroke-color': SHAPE_COLOR, 'circle-stroke-width': 2 },
      },
      {
        id: SHAPE_LAYER.point,
        type: 'circle',
        source: SHAPE_SOURCE,
        filter: ['all', geometryIs('Point'), ['!=', ['get', 'role'], 'vertex']] as FilterSpecification,
        paint: { 'circle-radius': 8, 'circle-color': SHAPE_COLOR, 'circle-stroke-color': '#FFFFFF', 'circle-stroke-width': 2.5 },
      },
    ],
  };
}

type ShapeFeature = Feature<Point | LineString | Polygon, { role: 'point' | 'vertex' | 'shape' }>;

/**
 * What the shape source shows: a finished geometry, or the vertices placed so far of a polygon
 * being drawn (with the outline they make).
 */
export function shapeFeatures(geometry: FindingGeometry | null, draft: readonly Position[] = []): FeatureCollection<ShapeFeature['geometry'], ShapeFeature['properties']> {
  const features: ShapeFeature[] = [];
  if (geometry?.type === 'Point') features.push({ type: 'Feature', geometry, properties: { role: 'point' } });
  if (geometry?.type === 'Polygon') features.push({ type: 'Feature', geometry, properties: { role: 'shape' } });
  if (draft.length >= 2) features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: [...draft] }, properties: { role: 'shape' } });
  for (const p of draft) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [...p] }, properties: { role: 'vertex' } });
  return { type: 'FeatureCollection', features };
}

export const ORIGINAL_SOURCE = 'finding-original';
export const ORIGINAL_LAYER = 'finding-original-line';
/** The footprint before a 规模扩大: dashed, in a colour apart from the finding's own red. */
export const ORIGINAL_COLOR = '#1F5FA8';

/** The original footprint of an expanded site (规模扩大), dashed under the finding's shape. */
export function originalShapeOverlay(): MapOverlay {
  return {
    sources: [ORIGINAL_SOURCE],
    layers: [{ id: ORIGINAL_LAYER, type: 'line', source: ORIGINAL_SOURCE, paint: { 'line-color': ORIGINAL_COLOR, 'line-width': 2, 'line-dasharray': [2, 1.5] } }],
  };
}

export const RECHECK_SOURCE = 'findings-recheck';
export const RECHECK_LAYER = { ring: 'findings-recheck-ring' } as const;
/** 回头看 markers: a hollow ring in the closed colour, red when the re-check is overdue. */
export const RECHECK_COLOR = '#2E8B3A';

/**
 * The 回头看 layer: closed findings whose re-check is due soon or overdue, as rings (not filled
 * markers, so they read apart from live findings), with a red ring when the re-check is late.
 */
export function recheckOverlay(): MapOverlay {
  return {
    sources: [RECHECK_SOURCE],
    onTop: true,
    layers: [
      {
        id: RECHECK_LAYER.ring,
        type: 'circle',
        source: RECHECK_SOURCE,
        paint: {
          'circle-radius': 9,
          'circle-color': 'rgba(255,255,255,0.6)',
          'circle-stroke-color': ['case', isTrue('overdue'), OVERDUE_COLOR, RECHECK_COLOR],
          'circle-stroke-width': 3,
        },
      },
    ],
  };
}

/** The bounding box of a geometry, widened a little around a point so the camera does not zoom to the maximum. */
export function geometryBbox(geometry: FindingGeometry, pad = 0.01): [number, number, number, number] {
  const positions = geometry.type === 'Point' ? [geometry.coordinates] : geometry.coordinates.flat();
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x = 0, y = 0] of positions) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return [minX - pad, minY - pad, maxX + pad, maxY + pad];
}
