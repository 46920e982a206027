import { z } from 'zod';
import { text } from '../../lib/validate.ts';
import { areaCategories, areaLevels } from '../../lib/vocabulary.ts';
import { areaCode, countyCode } from '../../lib/geo.ts';

/** Filters of the area list; unknown parameters are refused so a typo never silently lists everything. */
export const listAreasQuery = z
  .object({
    category: z.enum(areaCategories).optional(),
    level: z.enum(areaLevels).optional(),
    county: countyCode.optional(),
    q: text().trim().max(100, '搜索词最长 100 个字符').optional(),
  })
  .strict();

export type ListAreasQuery = z.infer<typeof listAreasQuery>;

export const areaParams = z.object({ code: areaCode });
