import type { AreaCoverage, DueStatus } from './types.ts';

export type CoverageSortKey = 'name' | 'visited' | 'joint' | 'coverage' | 'lastVisit' | 'due';
export type SortDirection = 'asc' | 'desc';
export interface CoverageSort {
  key: CoverageSortKey;
  dir: SortDirection;
}

/** Most urgent first when sorted ascending by due status. */
const DUE_RANK: Readonly<Record<DueStatus, number>> = { overdue: 0, due_soon: 1, ok: 2 };

/** The table's first order: the most urgent areas on top, then by code. */
export const DEFAULT_SORT: CoverageSort = { key: 'due', dir: 'asc' };

/**
 * The direction a column sorts in when first clicked: what a person scanning for gaps wants first
 * (least coverage, longest since a visit, not visited, most urgent).
 */
const FIRST_DIRECTION: Readonly<Record<CoverageSortKey, SortDirection>> = {
  name: 'asc',
  visited: 'asc',
  joint: 'asc',
  coverage: 'asc',
  lastVisit: 'desc',
  due: 'asc',
};

/** The sort after clicking a column header: the same column flips, another starts in its first direction. */
export function nextSort(current: CoverageSort, key: CoverageSortKey): CoverageSort {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: FIRST_DIRECTION[key] };
}

/** The value compared for a column; null sorts last in either direction ("never visited" for days). */
function value(row: AreaCoverage, key: CoverageSortKey): number | null {
  switch (key) {
    case 'visited':
      return row.visited ? 1 : 0;
    case 'joint':
      return row.joint ? 1 : 0;
    case 'coverage':
      return row.coverage;
    case 'lastVisit':
      return row.daysSince;
    case 'due':
      return DUE_RANK[row.due];
    case 'name':
      return null;
  }
}

/** The rows in the given order (a new array); ties keep the areas' code order. */
export function sortCoverageRows(rows: readonly AreaCoverage[], sort: CoverageSort, locale: string, english = false): AreaCoverage[] {
  const collator = new Intl.Collator(locale);
  const sign = sort.dir === 'asc' ? 1 : -1;
  const byCode = (a: AreaCoverage, b: AreaCoverage) => a.code.localeCompare(b.code);
  return [...rows].sort((a, b) => {
    if (sort.key === 'name') {
      const an = english ? a.nameEn || a.nameZh : a.nameZh || a.nameEn;
      const bn = english ? b.nameEn || b.nameZh : b.nameZh || b.nameEn;
      return sign * collator.compare(an, bn) || byCode(a, b);
    }
    const av = value(a, sort.key);
    const bv = value(b, sort.key);
    if (av === null && bv === null) return byCode(a, b);
    // A never-visited area has no "days since": it is the longest gap of all, so it leads a
    // descending sort and ends an ascending one.
    if (av === null) return sort.key === 'lastVisit' ? sign : 1;
    if (bv === null) return sort.key === 'lastVisit' ? -sign : -1;
    return sign * (av - bv) || byCode(a, b);
  });
}
