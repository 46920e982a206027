import { describe, expect, it } from 'vitest';
import type { AreaProperties } from '../../web/src/lib/api/types.ts';
import { countyOptions, filterAreas, hasFilters, NO_FILTERS, rankClickedAreas } from '../../web/src/lib/areas/filter.ts';

function area(overrides: Partial<AreaProperties>): { properties: AreaProperties } {
  return {
    properties: {
      code: 'WF-PA-00',
      nameZh: '',
      nameEn: '',
      category: 'wetland_park',
      level: 'municipal',
      countyCode: '370781',
      countyNameZh: '青州市',
      countyNameEn: 'Qingzhou',
      reportedAreaHa: null,
      gisAreaHa: 100,
      established: null,
      confidence: 'high',
      boundarySchematic: true,
      labelPoint: [118.5, 36.7],
      bbox: [118.4, 36.6, 118.6, 36.8],
      ...overrides,
    },
  };
}

const shanwang = area({ code: 'WF-PA-01', nameZh: '山东临朐山旺古生物化石国家级自然保护区', nameEn: 'Shandong Linqu Shanwang Palaeontological Fossil National Nature Reserve', category: 'nature_reserve', level: 'national', countyCode: '370724', countyNameZh: '临朐县', countyNameEn: 'Linqu', gisAreaHa: 120 });
const geopark = area({ code: 'WF-PA-38', nameZh: '山东山旺国家地质公园', nameEn: 'Shandong Shanwang National Geopark', category: 'geopark', level: 'national', countyCode: '370724', countyNameZh: '临朐县', countyNameEn: 'Linqu', gisAreaHa: 1300 });
const mihe = area({ code: 'WF-PA-20', nameZh: '山东青州弥河国家湿地公园', nameEn: 'Shandong Qingzhou Mihe National Wetland Park' });
const binhai = area({ code: 'WF-PA-32', nameZh: '潍坊滨海湿地公园', nameEn: 'Weifang Binhai Wetland Park', countyCode: null, countyNameZh: '滨海区', countyNameEn: 'Binhai' });
const all = [shanwang, geopark, mihe, binhai];

describe('area filters', () => {
  it('returns everything with no filter', () => {
    expect(filterAreas(all, NO_FILTERS)).toEqual(all);
    expect(hasFilters(NO_FILTERS)).toBe(false);
  });

  it('searches Chinese names, English names (any case, full-width) and codes', () => {
    expect(filterAreas(all, { ...NO_FILTERS, query: '山旺' })).toEqual([shanwang, geopark]);
    expect(filterAreas(all, { ...NO_FILTERS, query: 'shanwang geopark' })).toEqual([]);
    expect(filterAreas(all, { ...NO_FILTERS, query: 'NATIONAL GEOPARK' })).toEqual([geopark]);
    expect(filterAreas(all, { ...NO_FILTERS, query: 'ｍｉｈｅ' })).toEqual([mihe]);
    expect(filterAreas(all, { ...NO_FILTERS, query: 'wf-pa-32' })).toEqual([binhai]);
    expect(filterAreas(all, { ...NO_FILTERS, query: '  ' })).toEqual(all);
  });

  it('filters by category, level and county together', () => {
    expect(filterAreas(all, { ...NO_FILTERS, category: 'geopark' })).toEqual([geopark]);
    expect(filterAreas(all, { ...NO_FILTERS, level: 'national' })).toEqual([shanwang, geopark]);
    expect(filterAreas(all, { ...NO_FILTERS, county: '370724', category: 'nature_reserve' })).toEqual([shanwang]);
    expect(filterAreas(all, { ...NO_FILTERS, county: '滨海区' })).toEqual([binhai]);
    expect(filterAreas(all, { ...NO_FILTERS, county: '370724', query: '弥河' })).toEqual([]);
    expect(hasFilters({ ...NO_FILTERS, level: 'national' })).toBe(true);
  });

  it('lists the counties that have areas, with counts, zones without a code by name', () => {
    expect(countyOptions(all)).toEqual([
      { key: '370724', nameZh: '临朐县', nameEn: 'Linqu', count: 2 },
      { key: '370781', nameZh: '青州市', nameEn: 'Qingzhou', count: 1 },
      { key: '滨海区', nameZh: '滨海区', nameEn: 'Binhai', count: 1 },
    ]);
  });
});

describe('clicks on overlapping areas', () => {
  it('puts the smallest area first and drops repeats', () => {
    expect(
      rankClickedAreas([
        { code: 'WF-PA-38', gisAreaHa: 1300 },
        { code: 'WF-PA-01', gisAreaHa: 120 },
        { code: 'WF-PA-38', gisAreaHa: 1300 },
      ]),
    ).toEqual(['WF-PA-01', 'WF-PA-38']);
    expect(rankClickedAreas([])).toEqual([]);
  });
});
