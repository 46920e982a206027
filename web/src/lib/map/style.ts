import type {
  DataDrivenPropertyValueSpecification,
  ExpressionSpecification,
  FilterSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import type { FeatureCollection, Geometry, Point } from 'geojson';
import type {
  AreaCollection,
  Bbox,
  Category,
  CountyCollection,
  CountySeatCollection,
  Zone,
} from '../api/types.ts';
import { CATEGORIES, ZONES } from '../api/types.ts';

/**
 * Category fill colours: the Okabe–Ito set (readable with the common colour-vision deficiencies),
 * with its orange, too close to the vermillion once blended over land, swapped for an indigo and its
 * black for a dark grey so "other" still reads as a fill. Saturated on purpose: the browser test
 * recognises each category by its colour on the canvas, and the unit test keeps them apart.
 */
export const CATEGORY_COLORS: Readonly<Record<Category, string>> = {
  nature_reserve: '#D55E00',
  forest_park: '#009E73',
  wetland_park: '#56B4E9',
  geopark: '#CC79A7',
  marine_special: '#0072B2',
  marine_park: '#332288',
  scenic_area: '#F0E442',
  other: '#595959',
};

// Four steps of strictness, the same in every scheme: dark red for the strictest zone, then orange,
// yellow and pale blue for the most permissive; a zone's colour says how strict it is, whatever the scheme.
const STRICTNESS = ['#B2182B', '#EF8A62', '#FDDB6D', '#92C5DE'] as const;

/** Functional-zone colours by strictness within the zone's scheme (dark red strictest → pale blue). */
export const ZONE_COLORS: Readonly<Record<Zone, string>> = {
  core: STRICTNESS[0],
  buffer: STRICTNESS[1],
  experimental: STRICTNESS[2],
  general_control: STRICTNESS[3],
  key_protection: STRICTNESS[0],
  resource_restoration: STRICTNESS[1],
  reserved: STRICTNESS[2],
  moderate_use: STRICTNESS[3],
  core_scenic: STRICTNESS[0],
  eco_conservation: STRICTNESS[1],
  general_recreation: STRICTNESS[2],
  management_service: STRICTNESS[3],
  wetland_conservation: STRICTNESS[0],
  restoration_rebuild: STRICTNESS[1],
  rational_use: STRICTNESS[3],
  grade_special: STRICTNESS[0],
  grade_1: STRICTNESS[1],
  grade_2: STRICTNESS[2],
  grade_3: STRICTNESS[3],
};

export const AREA_FILL_OPACITY = 0.6;
export const ZONE_FILL_OPACITY = 0.55;

// A muted grey-blue: far enough from the light-blue wetland fill that the two never read alike.
export const SEA_COLOR = '#C3CBD1';
export const COAST_COLOR = '#8FA3B1';
export const LAND_COLOR = '#F3F0E6';
export const COUNTY_LINE_COLOR = '#8A8275';
export const SELECTION_COLOR = '#1B1B1B';

/** Fonts installed on the machine: no glyph server is ever contacted. */
export const FONT_STACK = ['Noto Sans CJK SC', 'sans-serif'];

/** Weifang's extent (WGS84), the initial view. */
export const WEIFANG_BBOX: Bbox = [118.17, 35.53, 120.02, 37.43];

export const SOURCE = {
  land: 'land',
  counties: 'counties',
  countySeats: 'county-seats',
  areas: 'areas',
  areaLabels: 'area-labels',
  selection: 'selection',
  selectionLabel: 'selection-label',
  zones: 'zones',
} as const;

export const LAYER = {
  background: 'background',
  land: 'land-fill',
  coastline: 'coastline',
  countyLines: 'county-lines',
  areaFill: 'area-fill',
  areaOutline: 'area-outline',
  zoneFill: 'zone-fill',
  zoneOutline: 'zone-outline',
  selectionCasing: 'selection-casing',
  selectionLine: 'selection-line',
  countyLabels: 'county-labels',
  areaLabels: 'area-labels',
  selectionLabel: 'selection-label',
} as const;

export type LabelLanguage = 'zh' | 'en';

/** An empty FeatureCollection, the starting data of every dynamic source. */
export function emptyCollection<G extends Geometry = Geometry, P = Record<string, unknown>>(): FeatureCollection<G, P> {
  return { type: 'FeatureCollection', features: [] };
}

/** A `match` expression giving each category its colour, grey for anything unknown. */
export function categoryColorExpression(): ExpressionSpecification {
  const pairs = CATEGORIES.flatMap((c) => [c, CATEGORY_COLORS[c]]);
  return ['match', ['get', 'category'], ...pairs, CATEGORY_COLORS.other] as unknown as ExpressionSpecification;
}

/** A `match` expression giving each functional zone its colour. */
export function zoneColorExpression(): ExpressionSpecification {
  const pairs = ZONES.flatMap((z) => [z, ZONE_COLORS[z]]);
  return ['match', ['get', 'zone'], ...pairs, '#999999'] as unknown as ExpressionSpecification;
}

/** The label text for a language, falling back to the other name when one is missing. */
export function labelTextField(lang: LabelLanguage): DataDrivenPropertyValueSpecification<string> {
  return lang === 'en'
    ? ['coalesce', ['get', 'nameEn'], ['get', 'nameZh']]
    : ['coalesce', ['get', 'nameZh'], ['get', 'nameEn']];
}

/** Label points of the areas (their `labelPoint`), carrying the properties the labels need. */
export function areaLabelPoints(areas: AreaCollection): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: areas.features.map((f) => ({
      type: 'Feature',
      id: f.properties.code,
      geometry: { type: 'Point', coordinates: f.properties.labelPoint },
      properties: {
        code: f.properties.code,
        nameZh: f.properties.nameZh,
        nameEn: f.properties.nameEn,
        category: f.properties.category,
        gisAreaHa: f.properties.gisAreaHa,
      },
    })),
  };
}

/** Seat points of the counties, for their name labels. */
export function countySeatPoints(counties: CountyCollection): CountySeatCollection {
  return {
    type: 'FeatureCollection',
    features: counties.features
      .filter((f) => Array.isArray(f.properties.seat))
      .map((f) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: f.properties.seat },
        properties: f.properties,
      })),
  };
}

export interface StyleOptions {
  /** Address of the land polygon (a static asset). */
  landUrl: string;
  lang: LabelLanguage;
}

/**
 * The whole map style: an offline basemap (sea background, land, county lines) under the areas,
 * the selected area's zones and outline, and the labels. Dynamic sources start empty and are
 * filled by the MapView. No `glyphs`: labels are drawn from local fonts.
 */
export function buildStyle({ landUrl, lang }: StyleOptions): StyleSpecification {
  return {
    version: 8,
    name: 'weifang-protected-areas',
    sources: {
      [SOURCE.land]: { type: 'geojson', data: landUrl },
      [SOURCE.counties]: { type: 'geojson', data: emptyCollection() },
      [SOURCE.countySeats]: { type: 'geojson', data: emptyCollection() },
      // promoteId lets hover state address an area by its code.
      [SOURCE.areas]: { type: 'geojson', data: emptyCollection(), promoteId: 'code' },
      [SOURCE.areaLabels]: { type: 'geojson', data: emptyCollection() },
      [SOURCE.selection]: { type: 'geojson', data: emptyCollection() },
      [SOURCE.selectionLabel]: { type: 'geojson', data: emptyCollection() },
      [SOURCE.zones]: { type: 'geojson', data: emptyCollection() },
    },
    layers: [
      { id: LAYER.background, type: 'background', paint: { 'background-color': SEA_COLOR } },
      {
        id: LAYER.land,
        type: 'fill',
        source: SOURCE.land,
        paint: { 'fill-color': LAND_COLOR, 'fill-antialias': true },
      },
      {
        id: LAYER.coastline,
        type: 'line',
        source: SOURCE.land,
        paint: { 'line-color': COAST_COLOR, 'line-width': 1 },
      },
      {
        id: LAYER.areaFill,
        type: 'fill',
        source: SOURCE.areas,
        // Smaller areas drawn last, so one lying inside a larger designation stays visible.
        layout: { 'fill-sort-key': ['-', 0, ['get', 'gisAreaHa']] },
        paint: {
          'fill-color': categoryColorExpression(),
          'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.8, AREA_FILL_OPACITY],
        },
      },
      {
        id: LAYER.areaOutline,
        type: 'line',
        source: SOURCE.areas,
        paint: {
          'line-color': categoryColorExpression(),
          'line-width': ['interpolate', ['linear'], ['zoom'], 7, 0.8, 12, 2],
        },
      },
      {
        id: LAYER.zoneFill,
        type: 'fill',
        source: SOURCE.zones,
        paint: { 'fill-color': zoneColorExpression(), 'fill-opacity': ZONE_FILL_OPACITY },
      },
      {
        id: LAYER.zoneOutline,
        type: 'line',
        source: SOURCE.zones,
        paint: { 'line-color': zoneColorExpression(), 'line-width': 1.2, 'line-dasharray': [2, 1] },
      },
      {
        id: LAYER.countyLines,
        type: 'line',
        source: SOURCE.counties,
        paint: {
          'line-color': COUNTY_LINE_COLOR,
          'line-width': ['interpolate', ['linear'], ['zoom'], 7, 0.6, 12, 1.6],
          'line-dasharray': [3, 2],
        },
      },
      {
        id: LAYER.selectionCasing,
        type: 'line',
        source: SOURCE.selection,
        paint: { 'line-color': '#FFFFFF', 'line-width': 5, 'line-opacity': 0.9 },
      },
      {
        id: LAYER.selectionLine,
        type: 'line',
        source: SOURCE.selection,
        paint: { 'line-color': SELECTION_COLOR, 'line-width': 2.5 },
      },
      {
        id: LAYER.countyLabels,
        type: 'symbol',
        source: SOURCE.countySeats,
        layout: {
          'text-field': labelTextField(lang),
          'text-font': FONT_STACK,
          'text-size': ['match', ['get', 'kind'], 'functional_zone', 11, 13],
          'text-letter-spacing': 0.1,
          'text-allow-overlap': false,
        },
        paint: {
          'text-color': '#5E574C',
          'text-halo-color': 'rgba(255,255,255,0.85)',
          'text-halo-width': 1.5,
        },
      },
      {
        id: LAYER.areaLabels,
        type: 'symbol',
        source: SOURCE.areaLabels,
        minzoom: 7.5,
        layout: {
          'text-field': labelTextField(lang),
          'text-font': FONT_STACK,
          'text-size': ['interpolate', ['linear'], ['zoom'], 8, 10.5, 12, 13],
          'text-max-width': 9,
          'text-anchor': 'top',
          'text-offset': [0, 0.4],
          // Larger areas win label collisions.
          'symbol-sort-key': ['-', 0, ['get', 'gisAreaHa']],
        },
        paint: {
          'text-color': '#1F2A22',
          'text-halo-color': 'rgba(255,255,255,0.9)',
          'text-halo-width': 1.4,
        },
      },
      {
        // Top-most, so it is placed first: the selected area's name is never hidden behind the
        // label of a larger designation on the same ground.
        id: LAYER.selectionLabel,
        type: 'symbol',
        source: SOURCE.selectionLabel,
        layout: {
          'text-field': labelTextField(lang),
          'text-font': FONT_STACK,
          'text-size': 14,
          'text-max-width': 10,
          'text-anchor': 'top',
          'text-offset': [0, 0.4],
          'text-allow-overlap': true,
        },
        paint: {
          'text-color': SELECTION_COLOR,
          'text-halo-color': '#FFFFFF',
          'text-halo-width': 2,
        },
      },
    ],
  };
}

/** What the map needs to show the selected area: its outline and its name at its label point. */
export interface SelectedShape {
  code: string;
  nameZh: string;
  nameEn: string;
  labelPoint: [number, number];
  geometry: Geometry;
}

/** The selected area's name as a point feature for the selection label. */
export function selectionLabelPoint(selected: SelectedShape | null): FeatureCollection<Point> {
  if (!selected) return emptyCollection();
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: selected.labelPoint },
        properties: { code: selected.code, nameZh: selected.nameZh, nameEn: selected.nameEn },
      },
    ],
  };
}

/** The filter that keeps the selected area's name out of the ordinary label layer. */
export function areaLabelFilter(selectedCode: string | null): FilterSpecification | null {
  return selectedCode ? ['!=', ['get', 'code'], selectedCode] : null;
}
