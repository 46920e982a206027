import gcoord from 'gcoord';
import { locatedMessage, trackError } from './errors.ts';
import { tooManyPoints } from './scan.ts';
import { parseTime } from './time.ts';
import type { Checkpoint, CoordinateSystem, Extent, ParsedTrack, ParsedTracks, TrackLocation, TrackPoint, TrackWarning } from './types.ts';

/** Where a point or element is, before the file name and line are filled in; `offset` is a character offset in the text. */
export type Where = Omit<TrackLocation, 'file' | 'entry' | 'line' | 'column'> & { offset?: number };

/** A point as the file spelled it; numbers may still be text. */
export interface RawPoint {
  lon: unknown;
  lat: unknown;
  ele?: unknown;
  time?: string | null;
}

export interface BuilderOptions {
  file: string;
  entry?: string;
  text?: string;
  extent: Extent;
  maxPoints: number;
  coordinateSystem: CoordinateSystem;
  /** The inspection's dates (China time); a point time more than a day outside them is flagged. */
  expectedDates?: ExpectedDates | null;
}

/** First and last day of an inspection, `YYYY-MM-DD` in China time. */
export interface ExpectedDates {
  start: string;
  end: string;
}

/** Times before this are device defaults (GPSBabel and some loggers write 1901-12-13 or 1970-01-01 before a fix). */
const EARLIEST_PLAUSIBLE = '2000-01-01T00:00:00.000Z';
const DAY_MS = 86_400_000;

interface Tally {
  count: number;
  first: TrackLocation;
  what: (count: number) => string;
}

/** Validates points as a format reader finds them and collects what will be stored; shared by GPX, KML and GeoJSON. */
export class TrackBuilder {
  private readonly tracks: ParsedTrack[] = [];
  private readonly checkpoints: Checkpoint[] = [];
  private readonly warnings: TrackWarning[] = [];
  private readonly tallies = new Map<string, Tally>();
  private lineStarts: number[] | null = null;
  private pointsRead = 0;
  private lineElements = 0;

  private readonly window: { from: string; to: string; label: string } | null;

  constructor(private readonly options: BuilderOptions) {
    const dates = options.expectedDates;
    // Weifang keeps China Standard Time (UTC+8, no daylight saving), so a date's day starts at 16:00 UTC the day before.
    this.window = dates
      ? {
          from: new Date(Date.parse(`${dates.start}T00:00:00+08:00`) - DAY_MS).toISOString(),
          to: new Date(Date.parse(`${dates.end}T00:00:00+08:00`) + 2 * DAY_MS).toISOString(),
          label: dates.start === dates.end ? dates.start : `${dates.start} 至 ${dates.end}`,
        }
      : null;
  }

  /** The file-level location (file and KMZ entry). */
  fileLocation(): TrackLocation {
    return this.options.entry ? { file: this.options.file, entry: this.options.entry } : { file: this.options.file };
  }

  /** A full location: file, entry, the given position and, from its offset, the line. */
  locate(where: Where = {}): TrackLocation {
    const { offset, ...position } = where;
    const location: TrackLocation = { ...this.fileLocation(), ...position };
    if (offset !== undefined && this.options.text !== undefined) location.line = this.lineOf(offset);
    return location;
  }

  /** 1-based line of a character offset in the decoded text. */
  lineOf(offset: number): number {
    if (this.lineStarts === null) {
      const starts = [0];
      const text = this.options.text ?? '';
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  /** Records that the file holds a line element, even one that turns out empty (an empty file of tracks is an error). */
  sawLine(): void {
    this.lineElements++;
  }

  /** Adds a warning. */
  warn(code: string, where: Where, what: string): void {
    const location = this.locate(where);
    this.warnings.push({ code, message: locatedMessage(location, what), location });
  }

  /** Counts a repeated condition and reports it once, at its first place, so a file cannot produce 200,000 warnings. */
  tally(code: string, where: Where, what: (count: number) => string): void {
    const existing = this.tallies.get(code);
    if (existing) existing.count++;
    else this.tallies.set(code, { count: 1, first: this.locate(where), what });
  }

  /** Counts coordinates the file holds but that are not read as points of their own, against the cap. */
  countPoints(count: number): void {
    this.pointsRead += count;
    if (this.pointsRead > this.options.maxPoints) throw tooManyPoints(this.fileLocation(), this.options.maxPoints);
  }

  /** Validates one point, converts it to WGS84 and counts it against the cap. */
  point(raw: RawPoint, where: Where): TrackPoint {
    this.countPoints(1);
    const lon = toNumber(raw.lon);
    const lat = toNumber(raw.lat);
    if (lon === null || lat === null) {
      throw trackError(422, 'invalid_coordinate', this.locate(where), '缺少经度或纬度');
    }
    if (Number.isNaN(lon) || Number.isNaN(lat)) {
      throw trackError(422, 'invalid_coordinate', this.locate(where), `的经纬度不是有效数字：经度 ${show(raw.lon)}、纬度 ${show(raw.lat)}`);
    }
    const extent = this.options.extent;
    const swapHint = inExtent(lat, lon, extent) ? '（经度和纬度可能写反了）' : '';
    if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      throw trackError(422, 'invalid_coordinate', this.locate(where), `的经纬度超出有效范围：经度 ${lon}、纬度 ${lat}${swapHint}`);
    }
    const [wgsLon, wgsLat] = this.toWgs84(lon, lat);
    if (!inExtent(wgsLon, wgsLat, extent)) {
      throw trackError(422, 'out_of_extent', this.locate(where), `超出潍坊市范围：经度 ${lon}、纬度 ${lat}${swapHint}`);
    }
    return { lon: wgsLon, lat: wgsLat, ele: this.elevation(raw.ele, where), time: this.time(raw.time ?? null, where) };
  }

  /** Adds a track; segments with fewer than two distinct positions are dropped with a warning. */
  addTrack(name: string | null, source: ParsedTrack['source'], segments: TrackPoint[][], where: Where, segmentOffsets: Array<number | undefined> = []): void {
    const kept: TrackPoint[][] = [];
    segments.forEach((segment, i) => {
      if (distinctPositions(segment) >= 2) {
        kept.push(segment);
        return;
      }
      const what = segment.length === 0 ? '没有点，已跳过' : segment.length === 1 ? '只有 1 个点，已跳过' : '的点都在同一位置，已跳过';
      this.warn('short_segment', { ...where, segment: i + 1, offset: segmentOffsets[i] ?? where.offset }, what);
    });
    if (kept.length === 0) {
      this.warn('empty_track', where, '没有可用的线段，已跳过');
      return;
    }
    this.tracks.push({ name, source, segments: kept });
  }

  /** Adds a checkpoint. */
  addCheckpoint(name: string | null, note: string | null, point: TrackPoint): void {
    this.checkpoints.push({ name, note, ...point });
  }

  /** The result, or `empty_track` when the file holds nothing to store. */
  finish(format: ParsedTracks['format']): ParsedTracks {
    if (this.tracks.length === 0 && (this.lineElements > 0 || this.checkpoints.length === 0)) {
      const what = this.lineElements > 0 ? '中的轨迹都没有可用的点（每段至少需要 2 个不同位置的点）' : '中没有轨迹，也没有航点';
      throw trackError(422, 'empty_track', this.fileLocation(), what);
    }
    for (const [code, tally] of this.tallies) {
      this.warnings.push({ code, message: locatedMessage(tally.first, tally.what(tally.count)), location: tally.first });
    }
    let pointCount = 0;
    let start: string | null = null;
    let end: string | null = null;
    for (const track of this.tracks) {
      for (const segment of track.segments) {
        pointCount += segment.length;
        for (const point of segment) {
          // ISO 8601 UTC strings of one shape compare in time order.
          if (point.time === null) continue;
          if (start === null || point.time < start) start = point.time;
          if (end === null || point.time > end) end = point.time;
        }
      }
    }
    return {
      format,
      tracks: this.tracks,
      checkpoints: this.checkpoints,
      pointCount,
      timeRange: start !== null && end !== null ? { start, end } : null,
      warnings: this.warnings,
    };
  }

  private toWgs84(lon: number, lat: number): [number, number] {
    if (this.options.coordinateSystem === 'wgs84') return [lon, lat];
    const from = this.options.coordinateSystem === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
    const [x, y] = gcoord.transform([lon, lat], from, gcoord.WGS84);
    return [x, y];
  }

  private elevation(value: unknown, where: Where): number | null {
    const ele = toNumber(value);
    if (ele === null) return null;
    if (Number.isFinite(ele)) return ele;
    this.tally('invalid_elevation', where, (n) => `${others(n)}的海拔无法识别，已忽略海拔`);
    return null;
  }

  private time(value: string | null, where: Where): string | null {
    if (value === null || value.trim() === '') return null;
    const read = parseTime(value);
    if (read === null) {
      throw trackError(422, 'invalid_time', this.locate(where), `的时间无法识别：${show(value)}（应为 ISO 8601，如 2026-05-12T08:30:00Z）`);
    }
    if (read.zoneless) this.tally('time_without_zone', where, (n) => `${others(n)}的时间未注明时区，已按 UTC 处理`);
    const shown = read.iso.replace('.000Z', 'Z');
    if (read.iso < EARLIEST_PLAUSIBLE) {
      this.tally('implausible_time', where, (n) => `${others(n)}的时间为 ${shown}，早于 2000 年，多为设备未定位时的默认值，已按无时间处理`);
      return null;
    }
    const window = this.window;
    if (window && (read.iso < window.from || read.iso >= window.to)) {
      this.tally('time_outside_inspection', where, (n) => `${others(n)}的时间为 ${shown}，与本次检查日期（${window.label}）相差超过一天，请核实设备时间或检查日期`);
    }
    return read.iso;
  }
}

/** A number from a number or numeric text; null when absent or blank, NaN when not a number. */
function toNumber(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value !== 'string') return Number.NaN;
  const text = value.trim();
  if (text === '') return null;
  // Number() would also take hex, '0b…' and 'Infinity'; a coordinate is plain decimal text.
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
}

function inExtent(lon: number, lat: number, extent: Extent): boolean {
  return lon >= extent.minLon && lon <= extent.maxLon && lat >= extent.minLat && lat <= extent.maxLat;
}

function distinctPositions(segment: TrackPoint[]): number {
  // Rounded as they will be stored, so a segment kept here never collapses to a point in PostGIS.
  const seen = new Set<string>();
  for (const point of segment) {
    seen.add(`${point.lon.toFixed(7)},${point.lat.toFixed(7)}`);
    if (seen.size >= 2) return 2;
  }
  return seen.size;
}

/** `` or `等 3 个点`, so a tallied warning reads well for one point and for many. */
export function others(count: number, unit = '个点'): string {
  return count > 1 ? `等 ${count} ${unit}` : '';
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : JSON.stringify(value) ?? String(value);
  return `“${text.length > 40 ? `${text.slice(0, 40)}…` : text}”`;
}
