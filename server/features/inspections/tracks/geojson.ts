import { others, type TrackBuilder, type Where } from './builder.ts';
import { trackError } from './errors.ts';
import { plainText } from './names.ts';
import { epochToIso } from './time.ts';
import type { TrackLocation, TrackPoint } from './types.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

// CRS names that mean WGS84 longitude/latitude; CGCS2000 (EPSG:4490) differs from WGS84 by centimetres.
const LON_LAT_CRS = /(?:CRS:?84|EPSG:(?:[\d.]*:)?(?:4326|4490)|WGS\s*-?84|CGCS\s*2000)$/i;

interface State {
  builder: TrackBuilder;
  track: number;
  checkpoint: number;
}

/** Parses GeoJSON text, with the line and column of a syntax error. */
export function parseJson(text: string, file: TrackLocation): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    const offset = jsonErrorOffset(text);
    const before = text.slice(0, offset).split('\n');
    const location = { ...file, line: before.length, column: before[before.length - 1].length + 1 };
    const what = offset >= text.trimEnd().length ? '不完整，文件在此意外结束（可能在导出或上传时被截断）' : `不是格式正确的 JSON：此处的 “${text.slice(offset, offset + 12).split('\n')[0]}” 有语法错误`;
    throw trackError(422, 'malformed_file', location, what);
  }
}

/** True when a parsed JSON value has a GeoJSON `type`; anything else is another kind of JSON. */
export function isGeoJson(value: Json): boolean {
  return isObject(value) && typeof value.type === 'string' && (value.type === 'Feature' || value.type === 'FeatureCollection' || GEOMETRY_TYPES.has(value.type));
}

/** Reads a GeoJSON FeatureCollection, Feature or bare geometry: lines become tracks, points checkpoints. */
export function readGeoJson(value: Json, builder: TrackBuilder): void {
  const state: State = { builder, track: 0, checkpoint: 0 };
  if (!isObject(value)) throw unsupported(builder);
  checkCrs(value, builder);
  if (value.type === 'FeatureCollection') {
    if (!Array.isArray(value.features)) throw malformed(builder, 'features', '缺少 features 数组');
    value.features.forEach((feature, i) => readFeature(feature, `features[${i}]`, state));
  } else if (value.type === 'Feature') {
    readFeature(value, '', state);
  } else if (typeof value.type === 'string' && GEOMETRY_TYPES.has(value.type)) {
    readGeometry(value, '', {}, state);
  } else {
    throw unsupported(builder);
  }
}

function readFeature(feature: Json, path: string, state: State): void {
  // Some exporters leave out `"type": "Feature"`; an object with a geometry member is read as one.
  if (!isObject(feature) || (feature.type !== 'Feature' && !('geometry' in feature))) throw malformed(state.builder, path, '不是 Feature 对象');
  const properties = isObject(feature.properties) ? feature.properties : {};
  if (feature.geometry === null || feature.geometry === undefined) {
    state.builder.tally('no_geometry', { path }, (n) => `${others(n, '个要素')}没有几何，已跳过`);
    return;
  }
  readGeometry(feature.geometry, join(path, 'geometry'), properties, state, path);
}

function readGeometry(geometry: Json, path: string, properties: JsonObject, state: State, featurePath = path): void {
  const { builder } = state;
  if (!isObject(geometry) || typeof geometry.type !== 'string' || !GEOMETRY_TYPES.has(geometry.type)) {
    throw malformed(builder, path, '不是有效的 GeoJSON 几何（缺少或无法识别 type）');
  }
  if (geometry.type === 'GeometryCollection') {
    if (!Array.isArray(geometry.geometries)) throw malformed(builder, join(path, 'geometries'), '缺少 geometries 数组');
    geometry.geometries.forEach((g, i) => readGeometry(g, join(path, `geometries[${i}]`), properties, state, featurePath));
    return;
  }
  const coordinatesPath = join(path, 'coordinates');
  const coordinates = geometry.coordinates;
  if (!Array.isArray(coordinates)) throw malformed(builder, coordinatesPath, '缺少 coordinates 数组');
  const name = plainText(textProperty(properties, ['name', 'title', 'Name', 'NAME', '名称']), 200);

  if (geometry.type === 'Point' || geometry.type === 'MultiPoint') {
    const positions = geometry.type === 'Point' ? [{ position: coordinates as Json, at: coordinatesPath }] : coordinates.map((p, i) => ({ position: p, at: `${coordinatesPath}[${i}]` }));
    const note = plainText(textProperty(properties, ['description', 'desc', 'note', 'comment', '备注', '描述']), 2000);
    const time = timeProperty(properties, ['time', 'timestamp', 'when', 'Time'], join(featurePath, 'properties'), builder);
    for (const { position, at } of positions) {
      state.checkpoint++;
      builder.addCheckpoint(name, note, readPosition(position, time, { checkpoint: state.checkpoint, path: at }, builder));
    }
    return;
  }
  if (geometry.type === 'LineString' || geometry.type === 'MultiLineString') {
    state.track++;
    builder.sawLine();
    const where: Where = { track: state.track, path: featurePath || path };
    const lines = (geometry.type === 'LineString' ? [coordinates] : coordinates) as Json[];
    const times = lineTimes(properties, geometry.type === 'MultiLineString', join(featurePath, 'properties'), builder);
    const segments = lines.map((line, s) => {
      const linePath = geometry.type === 'LineString' ? coordinatesPath : `${coordinatesPath}[${s}]`;
      if (!Array.isArray(line)) throw malformed(builder, linePath, '不是坐标数组');
      if (!times) return line.map((position, i) => readPosition(position, null, { ...where, segment: s + 1, index: i + 1, path: `${linePath}[${i}]` }, builder));
      const given = times.values[s];
      const timesPath = times.nested ? `${times.path}[${s}]` : times.path;
      if (!Array.isArray(given) || given.length !== line.length) {
        const count = Array.isArray(given) ? given.length : 0;
        throw trackError(422, 'invalid_time', builder.locate({ track: state.track, segment: s + 1, path: timesPath }), `的时间有 ${count} 个，坐标有 ${line.length} 个，两者数量应一致`);
      }
      return line.map((position, i) => {
        const time = toTime(given[i], `${timesPath}[${i}]`, builder);
        return readPosition(position, time, { ...where, segment: s + 1, index: i + 1, path: `${linePath}[${i}]` }, builder);
      });
    });
    builder.addTrack(name, 'linestring', segments, where);
    return;
  }
  builder.tally('ignored_geometry', { path }, (n) => `${others(n, '个几何')}是面，不是轨迹，已忽略`);
}

function readPosition(position: Json, time: string | null, where: Where, builder: TrackBuilder): TrackPoint {
  if (!Array.isArray(position) || position.length < 2) {
    throw trackError(422, 'invalid_coordinate', builder.locate(where), '不是有效的坐标（应为 [经度, 纬度] 或 [经度, 纬度, 高程]）');
  }
  return builder.point({ lon: position[0], lat: position[1], ele: position[2], time }, where);
}

/** Per-point times as togeojson and several apps write them: `coordTimes`, `times` or `coordinateProperties.times`. */
function lineTimes(properties: JsonObject, nested: boolean, base: string, builder: TrackBuilder) {
  const candidates: Array<[Json | undefined, string]> = [
    [properties.coordTimes, join(base, 'coordTimes')],
    [properties.times, join(base, 'times')],
    [isObject(properties.coordinateProperties) ? properties.coordinateProperties.times : undefined, join(base, 'coordinateProperties.times')],
  ];
  const found = candidates.find(([value]) => value !== undefined && value !== null);
  if (!found) return null;
  const [value, path] = found;
  if (!Array.isArray(value)) throw trackError(422, 'invalid_time', builder.locate({ path }), '应为时间数组');
  return { values: (nested ? value : [value]) as Json[], path, nested };
}

function toTime(value: Json, path: string, builder: TrackBuilder): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    const iso = epochToIso(value);
    if (iso !== null) return iso;
  }
  throw trackError(422, 'invalid_time', builder.locate({ path }), `的时间无法识别：${JSON.stringify(value)}`);
}

function timeProperty(properties: JsonObject, keys: string[], base: string, builder: TrackBuilder): string | null {
  const key = keys.find((k) => properties[k] !== undefined && properties[k] !== null);
  return key === undefined ? null : toTime(properties[key], join(base, key), builder);
}

function textProperty(properties: JsonObject, keys: string[]): string | null {
  for (const key of keys) {
    const value = properties[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return null;
}

function checkCrs(value: JsonObject, builder: TrackBuilder): void {
  // GeoJSON 2008 files may name a CRS; a projected one (e.g. EPSG:3857) would be misread as degrees.
  const crs = value.crs;
  if (!isObject(crs) || !isObject(crs.properties) || typeof crs.properties.name !== 'string') return;
  if (!LON_LAT_CRS.test(crs.properties.name)) {
    throw trackError(422, 'unsupported_format', builder.locate({ path: 'crs' }), `的坐标系 ${crs.properties.name} 不受支持，请导出为 WGS84 经纬度（EPSG:4326）`);
  }
}

function unsupported(builder: TrackBuilder) {
  return trackError(422, 'unsupported_format', builder.fileLocation(), '是 JSON，但不是 GeoJSON（缺少 type 为 FeatureCollection、Feature 或几何类型的顶层对象）');
}

function malformed(builder: TrackBuilder, path: string, what: string) {
  return trackError(422, 'malformed_file', builder.locate({ path }), what);
}

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function join(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

/** Offset of the first JSON syntax error; V8's message does not always give one. */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new JsonSyntaxAt(i);
  };
  const space = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (depth: number): void => {
    if (depth > 512) fail();
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          space();
          if (text[i] !== '"') fail();
          string();
          space();
          if (text[i] !== ':') fail();
          i++;
        }
        value(depth + 1);
        space();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    number.lastIndex = i;
    if (number.test(text)) {
      i = number.lastIndex;
      return;
    }
    fail();
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === 0x22) {
        i++;
        return;
      }
      if (code < 0x20) fail();
      i += code === 0x5c ? 2 : 1;
    }
    fail();
  };
  try {
    value(0);
    space();
    return i;
  } catch (error) {
    if (error instanceof JsonSyntaxAt) return error.offset;
    return i;
  }
}

class JsonSyntaxAt {
  constructor(readonly offset: number) {}
}
