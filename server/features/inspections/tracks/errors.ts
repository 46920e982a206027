import type { TrackLocation } from './types.ts';

export type TrackErrorCode =
  | 'file_too_large'
  | 'too_many_points'
  | 'unsupported_format'
  | 'malformed_file'
  | 'empty_track'
  | 'out_of_extent'
  | 'invalid_coordinate'
  | 'invalid_time';

/** A track file that cannot be imported; `message` is for the officer (zh-CN) and says what and where. */
export class TrackParseError extends Error {
  constructor(
    readonly status: 413 | 422,
    readonly code: TrackErrorCode,
    message: string,
    readonly location: TrackLocation,
  ) {
    super(message);
    this.name = 'TrackParseError';
  }
}

/** Says where a location is, in the words of the message: `文件 a.gpx 第 2 条轨迹第 1 段第 15 个点（第 87 行）`. */
export function describeLocation(location: TrackLocation): string {
  let text = `文件 ${location.file}`;
  if (location.entry) text += `（${location.entry}）`;
  let position = '';
  if (location.track !== undefined) position += `第 ${location.track} 条轨迹`;
  if (location.route !== undefined) position += `第 ${location.route} 条路线`;
  if (location.segment !== undefined) position += `第 ${location.segment} 段`;
  if (location.index !== undefined) position += `第 ${location.index} 个点`;
  if (location.checkpoint !== undefined) position += `第 ${location.checkpoint} 个航点`;
  // A space after the file name, none after a closing bracket.
  if (position) text += location.entry ? position : ` ${position}`;
  if (location.line !== undefined) {
    text += location.column !== undefined ? `（第 ${location.line} 行第 ${location.column} 列）` : `（第 ${location.line} 行）`;
  }
  if (location.path) text += `（${location.path}）`;
  return text;
}

/** Joins a location and what is wrong there into one sentence. */
export function locatedMessage(location: TrackLocation, what: string): string {
  const where = describeLocation(location);
  // A file name ends in Latin text and needs a space before the Chinese that follows; a closing bracket does not.
  return /[\x21-\x7e]$/.test(where) ? `${where} ${what}` : `${where}${what}`;
}

/** Builds the error for a location in one call. */
export function trackError(status: 413 | 422, code: TrackErrorCode, location: TrackLocation, what: string): TrackParseError {
  return new TrackParseError(status, code, locatedMessage(location, what), location);
}
