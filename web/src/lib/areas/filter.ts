import type { AreaFeature, AreaProperties, Category, Level } from '../api/types.ts';

/** The list's search and filters; an empty string means "any". */
export interface AreaFilters {
  query: string;
  category: Category | '';
  level: Level | '';
  county: string;
}

export const NO_FILTERS: Readonly<AreaFilters> = { query: '', category: '', level: '', county: '' };

/** Folds case, full-width forms and spacing so "Shanwang", "ｓｈａｎｗａｎｇ" and "山 旺" match. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** The key a county filter matches on: its code, or its name for the zones without one. */
export function countyKey(p: Pick<AreaProperties, 'countyCode' | 'countyNameZh'>): string {
  return p.countyCode ?? p.countyNameZh ?? '';
}

/** Whether any filter is set. */
export function hasFilters(filters: AreaFilters): boolean {
  return Boolean(filters.query.trim() || filters.category || filters.level || filters.county);
}

/** The areas matching the search (Chinese or English name, or code) and every set filter. */
export function filterAreas<F extends Pick<AreaFeature, 'properties'>>(features: readonly F[], filters: AreaFilters): F[] {
  const query = normaliseText(filters.query);
  return features.filter(({ properties: p }) => {
    if (filters.category && p.category !== filters.category) return false;
    if (filters.level && p.level !== filters.level) return false;
    if (filters.county && countyKey(p) !== filters.county) return false;
    if (!query) return true;
    return [p.nameZh, p.nameEn, p.code].some((text) => text && normaliseText(text).includes(query));
  });
}

export interface CountyOption {
  key: string;
  nameZh: string;
  nameEn: string;
  count: number;
}

/** The counties that have at least one area, with how many, in code order. */
export function countyOptions(features: readonly Pick<AreaFeature, 'properties'>[]): CountyOption[] {
  const byKey = new Map<string, CountyOption>();
  for (const { properties: p } of features) {
    const key = countyKey(p);
    if (!key) continue;
    const option = byKey.get(key) ?? { key, nameZh: p.countyNameZh ?? key, nameEn: p.countyNameEn ?? key, count: 0 };
    option.count += 1;
    byKey.set(key, option);
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Orders the areas under one click: smallest first, since the smaller designation is the one
 * a click on shared ground most likely means (the larger one can be clicked outside it).
 */
export function rankClickedAreas(hits: readonly Pick<AreaProperties, 'code' | 'gisAreaHa'>[]): string[] {
  const seen = new Set<string>();
  return [...hits]
    .sort((a, b) => a.gisAreaHa - b.gisAreaHa || a.code.localeCompare(b.code))
    .map((h) => h.code)
    .filter((code) => (seen.has(code) ? false : (seen.add(code), true)));
}
