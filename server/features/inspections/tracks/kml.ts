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
  for (const child of node.children) walk(child, builder, text, counters);
}

function readPlacemark(placemark: XNode, builder: TrackBuilder, text: string, counters: Counters): void {
  const name = plainText(childText(placemark, 'name'), 200);
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
        ? readGxTrack(segment, builder, { ...where, segment: s + 1 })
        : readCoordinates(segment, builder, text, { ...where, segment: s + 1 }),
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
function readCoordinates(geometry: XNode, builder: TrackBuilder, text: string, where: Where, time: string | null = null): TrackPoint[] {
  const node = childNamed(geometry, 'coordinates');
  if (!node) return [];
  const tuples = node.text.match(TUPLE) ?? [];
  const offsets = tupleOffsets(node, text, tuples.length);
  return tuples.map((tuple, i) => {
    const [lon, lat, ele] = tuple.split(/\s*,\s*/);
    const at: Where = where.checkpoint !== undefined ? { ...where, offset: offsets[i] } : { ...where, index: i + 1, offset: offsets[i] };
    return builder.point({ lon, lat, ele, time }, at);
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
function readGxTrack(track: XNode, builder: TrackBuilder, where: Where): TrackPoint[] {
  const whens = childrenNamed(track, 'when');
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
