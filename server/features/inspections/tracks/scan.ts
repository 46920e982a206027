import { trackError } from './errors.ts';
import type { TrackLocation } from './types.ts';

// Comments and CDATA are skipped so a commented-out point is not counted; the element names are those the readers take points from.
const POINT_TAGS = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<(?:[A-Za-z_][\w.-]*:)?(trkpt|rtept|wpt|coord|coordinates)(?=[\s/>])[^>]*>/gi;
const TUPLE = /[^\s,<]+(?:\s*,\s*[^\s,<]+)*/g;

/** The 413 a file over the point cap gets, from the text scan and from the readers alike. */
export function tooManyPoints(location: TrackLocation, maxPoints: number) {
  return trackError(413, 'too_many_points', location, `的点数超过上限 ${maxPoints} 个，请分段导出后再导入`);
}

/**
 * Counts the points of GPX or KML text before any element tree is built and stops at the first one over the cap,
 * so an oversized file is refused after one pass over its text instead of after parsing all of it.
 */
export function assertXmlPointCount(text: string, maxPoints: number, location: TrackLocation): void {
  let count = 0;
  POINT_TAGS.lastIndex = 0;
  for (let match = POINT_TAGS.exec(text); match !== null; match = POINT_TAGS.exec(text)) {
    const tag = match[1]?.toLowerCase();
    if (tag === undefined || match[0].endsWith('/>')) {
      if (tag === 'trkpt' || tag === 'rtept' || tag === 'wpt') count++;
    } else if (tag === 'coordinates') {
      const close = text.indexOf('<', POINT_TAGS.lastIndex);
      const end = close === -1 ? text.length : close;
      TUPLE.lastIndex = POINT_TAGS.lastIndex;
      for (let tuple = TUPLE.exec(text); tuple !== null && tuple.index < end; tuple = TUPLE.exec(text)) {
        if (++count > maxPoints) throw tooManyPoints(location, maxPoints);
      }
      POINT_TAGS.lastIndex = end;
    } else {
      count++;
    }
    if (count > maxPoints) throw tooManyPoints(location, maxPoints);
  }
}
