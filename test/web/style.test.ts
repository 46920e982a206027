import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, ZONES, type AreaCollection } from '../../web/src/lib/api/types.ts';
import {
  AREA_FILL_OPACITY,
  areaLabelFilter,
  areaLabelPoints,
  buildStyle,
  CATEGORY_COLORS,
  categoryColorExpression,
  countySeatPoints,
  FONT_STACK,
  LAND_COLOR,
  LAYER,
  labelTextField,
  SEA_COLOR,
  selectionLabelPoint,
  SOURCE,
  ZONE_COLORS,
  zoneColorExpression,
  type SelectedShape,
} from '../../web/src/lib/map/style.ts';

const style = buildStyle({ landUrl: '/assets/land.geojson', lang: 'zh' });
const layer = (id: string): LayerSpecification => {
  const found = style.layers.find((l) => l.id === id);
  if (!found) throw new Error(`no layer ${id}`);
  return found;
};

/** The category → colour pairs of a `match` expression, and its fallback. */
function matchPairs(expression: ExpressionSpecification): { pairs: Map<string, string>; fallback: unknown } {
  const [op, input, ...rest] = expression as unknown[];
  expect(op).toBe('match');
  expect(input).toEqual(['get', 'category']);
  const pairs = new Map<string, string>();
  for (let i = 0; i + 1 < rest.length; i += 2) pairs.set(rest[i] as string, rest[i + 1] as string);
  return { pairs, fallback: rest.at(-1) };
}

const hexToRgb = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));

describe('map style', () => {
  it('is an offline style: no glyphs, no sprite, no remote source', () => {
    expect(style.version).toBe(8);
    expect(style).not.toHaveProperty('glyphs');
    expect(style).not.toHaveProperty('sprite');
    for (const source of Object.values(style.sources)) {
      expect(source.type).toBe('geojson');
      const data = (source as { data: unknown }).data;
      if (typeof data === 'string') expect(data).not.toMatch(/^https?:/);
    }
    expect(style.sources[SOURCE.land]).toMatchObject({ data: '/assets/land.geojson' });
  });

  it('has every layer, basemap below areas below labels', () => {
    const ids = style.layers.map((l) => l.id);
    expect(ids).toEqual([
      LAYER.background,
      LAYER.land,
      LAYER.coastline,
      LAYER.areaFill,
      LAYER.areaOutline,
      LAYER.zoneFill,
      LAYER.zoneOutline,
      LAYER.countyLines,
      LAYER.selectionCasing,
      LAYER.selectionLine,
      LAYER.countyLabels,
      LAYER.areaLabels,
      LAYER.selectionLabel,
    ]);
    expect(layer(LAYER.background)).toMatchObject({ paint: { 'background-color': SEA_COLOR } });
    expect(layer(LAYER.land)).toMatchObject({ source: SOURCE.land, paint: { 'fill-color': LAND_COLOR } });
    expect(layer(LAYER.areaFill)).toMatchObject({ type: 'fill', source: SOURCE.areas });
    expect(layer(LAYER.zoneFill)).toMatchObject({ type: 'fill', source: SOURCE.zones });
    expect(layer(LAYER.selectionLine)).toMatchObject({ type: 'line', source: SOURCE.selection });
    expect(layer(LAYER.countyLines)).toMatchObject({ type: 'line', source: SOURCE.counties });
    expect(layer(LAYER.countyLabels)).toMatchObject({ type: 'symbol', source: SOURCE.countySeats });
    expect(layer(LAYER.areaLabels)).toMatchObject({ type: 'symbol', source: SOURCE.areaLabels });
    expect(layer(LAYER.selectionLabel)).toMatchObject({ type: 'symbol', source: SOURCE.selectionLabel });
  });

  it("names the selected area in its own label layer and keeps it out of the others'", () => {
    const selected: SelectedShape = {
      code: 'WF-PA-01',
      nameZh: '山东临朐山旺古生物化石国家级自然保护区',
      nameEn: 'Shandong Linqu Shanwang Palaeontological Fossil National Nature Reserve',
      labelPoint: [118.715, 36.55],
      geometry: { type: 'Point', coordinates: [118.715, 36.55] },
    };
    expect(selectionLabelPoint(selected).features).toEqual([
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [118.715, 36.55] },
        properties: { code: 'WF-PA-01', nameZh: selected.nameZh, nameEn: selected.nameEn },
      },
    ]);
    expect(selectionLabelPoint(null).features).toEqual([]);
    expect(areaLabelFilter('WF-PA-01')).toEqual(['!=', ['get', 'code'], 'WF-PA-01']);
    expect(areaLabelFilter(null)).toBeNull();
  });

  it('writes every label with the local CJK font stack', () => {
    const symbols = style.layers.filter((l) => l.type === 'symbol');
    expect(symbols.length).toBeGreaterThan(0);
    for (const symbol of symbols) {
      expect(symbol.layout?.['text-font']).toEqual(['Noto Sans CJK SC', 'sans-serif']);
    }
    expect(FONT_STACK).toEqual(['Noto Sans CJK SC', 'sans-serif']);
  });

  it('fills areas by category with a fill opacity between 0.55 and 0.7', () => {
    const paint = layer(LAYER.areaFill).paint as Record<string, unknown>;
    expect(paint['fill-color']).toEqual(categoryColorExpression());
    expect(AREA_FILL_OPACITY).toBeGreaterThanOrEqual(0.55);
    expect(AREA_FILL_OPACITY).toBeLessThanOrEqual(0.7);
    expect(JSON.stringify(paint['fill-opacity'])).toContain(String(AREA_FILL_OPACITY));
  });

  it('gives every category a colour in the match expression, and only known categories', () => {
    const { pairs, fallback } = matchPairs(categoryColorExpression());
    expect([...pairs.keys()].sort()).toEqual([...CATEGORIES].sort());
    for (const category of CATEGORIES) expect(pairs.get(category)).toBe(CATEGORY_COLORS[category]);
    expect(fallback).toBe(CATEGORY_COLORS.other);
  });

  it('keeps the category colours distinct from each other, from land and from sea once blended', () => {
    const blended = Object.entries(CATEGORY_COLORS).map(([name, colour]) => {
      const [r, g, b] = hexToRgb(colour);
      const [lr, lg, lb] = hexToRgb(LAND_COLOR);
      return [name, [r! * AREA_FILL_OPACITY + lr! * (1 - AREA_FILL_OPACITY), g! * AREA_FILL_OPACITY + lg! * (1 - AREA_FILL_OPACITY), b! * AREA_FILL_OPACITY + lb! * (1 - AREA_FILL_OPACITY)]] as const;
    });
    const references = [...blended, ['land', hexToRgb(LAND_COLOR)] as const, ['sea', hexToRgb(SEA_COLOR)] as const];
    for (let i = 0; i < references.length; i++) {
      for (let j = i + 1; j < references.length; j++) {
        const [a, ca] = references[i]!;
        const [b, cb] = references[j]!;
        const distance = Math.hypot(ca[0]! - cb[0]!, ca[1]! - cb[1]!, ca[2]! - cb[2]!);
        expect(distance, `${a} vs ${b}`).toBeGreaterThan(40);
      }
    }
    for (const colour of Object.values(CATEGORY_COLORS)) expect(colour).toMatch(/^#[0-9A-F]{6}$/i);
  });

  it('colours every functional zone', () => {
    const [, , ...rest] = zoneColorExpression() as unknown[];
    const keys = rest.filter((_, i) => i % 2 === 0 && i < rest.length - 1);
    expect(keys.sort()).toEqual([...ZONES].sort());
    for (const zone of ZONES) expect(rest).toContain(ZONE_COLORS[zone]);
  });

  it('labels in Chinese or English, falling back to the other name', () => {
    expect(labelTextField('zh')).toEqual(['coalesce', ['get', 'nameZh'], ['get', 'nameEn']]);
    expect(labelTextField('en')).toEqual(['coalesce', ['get', 'nameEn'], ['get', 'nameZh']]);
    expect(buildStyle({ landUrl: 'x', lang: 'en' }).layers.find((l) => l.id === LAYER.areaLabels)?.layout).toMatchObject({
      'text-field': labelTextField('en'),
    });
  });

  it('puts area labels at their label points and county labels at their seats', () => {
    const areas: AreaCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'MultiPolygon', coordinates: [[[[119, 36], [119.1, 36], [119.1, 36.1], [119, 36]]]] },
          properties: {
            code: 'WF-PA-99',
            nameZh: '测试湿地公园',
            nameEn: 'Test Wetland Park',
            category: 'wetland_park',
            level: 'municipal',
            countyCode: '370702',
            countyNameZh: '潍城区',
            countyNameEn: 'Weicheng',
            reportedAreaHa: null,
            gisAreaHa: 12.5,
            established: null,
            confidence: 'medium',
            boundarySchematic: true,
            labelPoint: [119.07, 36.03],
            bbox: [119, 36, 119.1, 36.1],
          },
        },
      ],
    };
    expect(areaLabelPoints(areas).features).toEqual([
      {
        type: 'Feature',
        id: 'WF-PA-99',
        geometry: { type: 'Point', coordinates: [119.07, 36.03] },
        properties: { code: 'WF-PA-99', nameZh: '测试湿地公园', nameEn: 'Test Wetland Park', category: 'wetland_park', gisAreaHa: 12.5 },
      },
    ]);
    const seats = countySeatPoints({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: null, properties: { code: null, nameZh: '峡山区', nameEn: 'Xiashan', kind: 'functional_zone', seat: [119.42, 36.48] } },
      ],
    });
    expect(seats.features[0]?.geometry).toEqual({ type: 'Point', coordinates: [119.42, 36.48] });
  });
});
