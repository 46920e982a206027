import { others, type TrackBuilder, type Where } from './builder.ts';
import { trackError } from './errors.ts';
import { plainText } from './names.ts';
import type { TrackPoint } from './types.ts';
import { childNamed, childrenNamed, childText, type XNode } from './xml.ts';

// A coordinate tuple: `lon,lat[,alt]`, tolerating spaces after the commas that hand-edited files have.
const TUPLE = /[^\s,]+(?:\s*,\s*[^\s,]+)*/g;

interface Counters {
  track: number;
  checkpoint: number;
}

/** Reads KML 2.2 (with or without the `kml:` prefix): Placemarks at any depth of Documents and Folders. */
export function readKml(root: XNode, builder: TrackBuilder, text: string): void {
  const counters: Counters = { track: 0, checkpoint: 0 };
  walk(root, builder, text, counters);
}

function walk(node: XNode, builder: TrackBuilder, text: string, counters: Counters): void {
  if (node.name === 'placemark') {
    readPlacemark(node, builder, text, counters);
    return;
  }
  const paired = trackpointFolders(node);
  const pointFolders = new Set([...paired.values()].map((p) => p.folder));
  for (const child of node.children) {
    if (pointFolders.has(child)) continue;
    const pair = paired.get(child);
    if (pair) {
      // Every coordinate of the file counts against the cap, the per-point copies included.
      builder.countPoints(pair.times.length);
      // GPSBabel names the Placemark "Path"; the track's own name is the enclosing Folder's.
      readPlacemark(child, builder, text, counters, pair.times, plainText(childText(node, 'name'), 200));
    } else {
      walk(child, builder, text, counters);
    }
  }
}

/**
 * GPSBabel writes each track as a Folder holding a "Points" Folder — one Placemark per trackpoint, a Point with its
 * TimeStamp — beside a "Path" Placemark with the LineString (or gx:Track). Those Placemarks are the line's times, not
 * checkpoints: a folder is taken as such when its Placemarks are all timestamped Points at the line's vertices, in order.
 */
function trackpointFolders(node: XNode): Map<XNode, { folder: XNode; times: string[] }> {
  const paired = new Map<XNode, { folder: XNode; times: string[] }>();
  const folders = node.children.filter((child) => child.name === 'folder');
  if (folders.length === 0) return paired;
  const lines = node.children.flatMap((child) => {
    if (child.name !== 'placemark') return [];
    const geometry = child.children.filter((g) => g.name === 'linestring' || g.name === 'track');
    return geometry.length === 1 ? [{ placemark: child, positions: linePositions(geometry[0]) }] : [];
  });
  for (const folder of folders) {
    const stamped = timestampedPoints(folder);
    if (stamped === null) continue;
    const line = lines.find((l) => !paired.has(l.placemark) && samePositions(l.positions, stamped.positions));
    if (line) paired.set(line.placemark, { folder, times: stamped.times });
  }
  return paired;
}

/** Positions and times of a folder made only of Placemarks with one Point and a TimeStamp, or null. */
function timestampedPoints(folder: XNode): { positions: string[]; times: string[] } | null {
  const positions: string[] = [];
  const times: string[] = [];
  for (const child of folder.children) {
    if (child.name !== 'placemark') {
      if (child.name === 'folder' || child.name === 'document') return null;
      continue;
    }
    const point = childNamed(child, 'point');
    const stamp = childNamed(child, 'timestamp');
    const when = stamp ? childText(stamp, 'when') : null;
    const coordinates = point ? childText(point, 'coordinates') : null;
    if (coordinates === null || when === null || child.children.some((g) => g.name === 'linestring' || g.name === 'multigeometry' || g.name === 'track')) {
      return null;
    }
    positions.push(coordinates);
    times.push(when);
  }
  return positions.length >= 2 ? { positions, times } : null;
}

/** The raw `lon,lat[,alt]` texts of a LineString or gx:Track, in order. */
function linePositions(line: XNode): string[] {
  if (line.name === 'track') return childrenNamed(line, 'coord').map((c) => c.text.trim().split(/[\s,]+/).join(','));
  return childNamed(line, 'coordinates')?.text.match(TUPLE) ?? [];
}

/** True when two lists name the same horizontal positions in the same order (within about a centimetre). */
function samePositions(a: string[], b: string[]): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  return a.every((text, i) => {
    const [x1, y1] = text.split(/\s*,\s*/).map(Number);
    const [x2, y2] = b[i].split(/\s*,\s*/).map(Number);
    return Math.abs(x1 - x2) < 1e-7 && Math.abs(y1 - y2) < 1e-7;
  });
}

function readPlacemark(placemark: XNode, builder: TrackBuilder, text: string, counters: Counters, vertexTimes?: string[], trackName?: string | null): void {
  const name = trackName ?? plainText(childText(placemark, 'name'), 200);
  const note = plainText(childText(placemark, 'description'), 2000);
  const stamp = childNamed(placemark, 'timestamp');
  const time = stamp ? childText(stamp, 'when') : null;

  const lines: XNode[] = [];
  const points: XNode[] = [];
  collectGeometry(placemark, lines, points, builder);

  if (lines.length > 0) {
    counters.track++;
    builder.sawLine();
    const where: Where = { track: counters.track, offset: placemark.start };
    // gx:MultiTrack holds its tracks as segments of one line; each LineString or gx:Track is one segment.
    const segmentNodes = lines.flatMap((line) => (line.name === 'multitrack' ? childrenNamed(line, 'track') : [line]));
    const segments = segmentNodes.map((segment, s) =>
      segment.name === 'track'
        ? readGxTrack(segment, builder, { ...where, segment: s + 1 }, vertexTimes)
        : readCoordinates(segment, builder, text, { ...where, segment: s + 1 }, null, vertexTimes),
    );
    const source = segmentNodes.some((s) => s.name === 'track') ? 'track' : 'linestring';
    builder.addTrack(name, source, segments, where, segmentNodes.map((s) => s.start));
  }
  for (const point of points) {
    counters.checkpoint++;
    const [position] = readCoordinates(point, builder, text, { checkpoint: counters.checkpoint }, time);
    if (position === undefined) {
      throw trackError(422, 'invalid_coordinate', builder.locate({ checkpoint: counters.checkpoint, offset: point.start }), '的 <Point> 没有坐标');
    }
    builder.addCheckpoint(name, note, position);
  }
}

/** Finds the line and point geometries of a Placemark, through MultiGeometry at any depth. */
function collectGeometry(node: XNode, lines: XNode[], points: XNode[], builder: TrackBuilder): void {
  for (const child of node.children) {
    if (child.name === 'linestring' || child.name === 'track' || child.name === 'multitrack') lines.push(child);
    else if (child.name === 'point') points.push(child);
    else if (child.name === 'multigeometry') collectGeometry(child, lines, points, builder);
    else if (child.name === 'polygon' || child.name === 'linearring' || child.name === 'model') {
      builder.tally('ignored_geometry', { offset: child.start }, (n) => `${others(n, '个几何')}是面或模型，不是轨迹，已忽略`);
    }
  }
}

/** Reads the `<coordinates>` of a LineString or Point; each tuple is located on its own line of the file. */
function readCoordinates(geometry: XNode, builder: TrackBuilder, text: string, where: Where, time: string | null = null, times?: string[]): TrackPoint[] {
  const node = childNamed(geometry, 'coordinates');
  if (!node) return [];
  const tuples = node.text.match(TUPLE) ?? [];
  const offsets = tupleOffsets(node, text, tuples.length);
  return tuples.map((tuple, i) => {
    const [lon, lat, ele] = tuple.split(/\s*,\s*/);
    const at: Where = where.checkpoint !== undefined ? { ...where, offset: offsets[i] } : { ...where, index: i + 1, offset: offsets[i] };
    return builder.point({ lon, lat, ele, time: times?.[i] ?? time }, at);
  });
}

/** Character offsets of each tuple in the source, or the element's own offset when the raw text differs from the parsed. */
function tupleOffsets(node: XNode, text: string, count: number): number[] {
  const open = text.indexOf('>', node.start);
  const close = open === -1 ? -1 : text.indexOf('<', open + 1);
  if (open !== -1 && close !== -1) {
    const raw = text.slice(open + 1, close);
    const matches = [...raw.matchAll(TUPLE)];
    if (matches.length === count) return matches.map((m) => open + 1 + (m.index ?? 0));
  }
  return new Array<number>(count).fill(node.start);
}

/** Reads a gx:Track: the n-th `<when>` is the time of the n-th `<gx:coord>` (KML 2.2 extension). */
function readGxTrack(track: XNode, builder: TrackBuilder, where: Where, pointTimes?: string[]): TrackPoint[] {
  const own = childrenNamed(track, 'when');
  // A gx:Track without its own <when> takes the times of GPSBabel's per-point Placemarks.
  const whens = own.length === 0 && pointTimes ? pointTimes.map((when) => ({ text: when })) : own;
  const coords = childrenNamed(track, 'coord');
  if (whens.length > 0 && whens.length !== coords.length) {
    throw trackError(
      422,
      'invalid_time',
      builder.locate({ ...where, offset: track.start }),
      `的 gx:Track 有 ${whens.length} 个时间（when）和 ${coords.length} 个坐标（gx:coord），两者数量应一致`,
    );
  }
  return coords.map((coord, i) => {
    const [lon, lat, ele] = coord.text.split(/[\s,]+/);
    return builder.point({ lon, lat, ele, time: whens[i]?.text ?? null }, { ...where, index: i + 1, offset: coord.start });
  });
}
