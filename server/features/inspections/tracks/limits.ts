import { WEIFANG_EXTENT } from '../../../lib/geo.ts';
import { TrackParseError, trackError } from './errors.ts';
import type { Extent } from './types.ts';

/** Points (track points plus checkpoints) one file may hold; a day's walk logged every second is ~30,000. */
export const DEFAULT_MAX_POINTS = 200_000;

/** Degrees added around the city's extent so a track along the border is not refused. */
export const EXTENT_MARGIN = 0.1;

/** Weifang's extent plus the margin: where imported points must lie. */
export const DEFAULT_EXTENT: Extent = {
  minLon: WEIFANG_EXTENT.minLon - EXTENT_MARGIN,
  minLat: WEIFANG_EXTENT.minLat - EXTENT_MARGIN,
  maxLon: WEIFANG_EXTENT.maxLon + EXTENT_MARGIN,
  maxLat: WEIFANG_EXTENT.maxLat + EXTENT_MARGIN,
};

/** A KML inside a KMZ is refused above this size once unpacked, so a small archive cannot expand without bound. */
export const DEFAULT_MAX_UNPACKED_MB = 100;

export interface TrackLimits {
  maxPoints?: number;
  extent?: Extent;
  maxUnpackedMb?: number;
}

/** The limits with their defaults filled in. */
export function resolveLimits(limits: TrackLimits = {}): Required<TrackLimits> {
  return {
    maxPoints: limits.maxPoints ?? DEFAULT_MAX_POINTS,
    extent: limits.extent ?? DEFAULT_EXTENT,
    maxUnpackedMb: limits.maxUnpackedMb ?? DEFAULT_MAX_UNPACKED_MB,
  };
}

/** Throws 413 `file_too_large` when an upload is over `maxMb` megabytes (the server passes UPLOAD_MAX_MB). */
export function assertUploadSize(bytes: Uint8Array | number, maxMb: number, fileName?: string): void {
  const size = typeof bytes === 'number' ? bytes : bytes.byteLength;
  if (size <= maxMb * 1024 * 1024) return;
  const what = `大小为 ${formatMb(size)} MB，超过上限 ${maxMb} MB`;
  if (fileName !== undefined) throw trackError(413, 'file_too_large', { file: fileName }, what);
  throw new TrackParseError(413, 'file_too_large', `上传的文件${what}`, { file: '' });
}

/** Megabytes with one decimal, never shown as the limit itself when just over it. */
export function formatMb(size: number): string {
  return (Math.ceil((size / (1024 * 1024)) * 10) / 10).toFixed(1);
}
