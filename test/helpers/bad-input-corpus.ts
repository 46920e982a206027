/**
 * The bad-input corpus: values that have broken servers like this one (NUL bytes, ids past int4,
 * year 0000, crafted cursors, Z coordinates, lone surrogates, wrong types, huge strings, malformed
 * JSON and multipart), and the zod introspection that tells a test which fields a route takes and what
 * a valid value of each looks like. Kept in one module so every route, new ones included, gets all of it.
 */
import type { z } from 'zod';

/** One bad value: `raw` is spliced into JSON text as is (for -0, 1e309 and the like JSON.stringify cannot write). */
export interface BadValue {
  label: string;
  value?: unknown;
  raw?: string;
}

const v = (label: string, value: unknown): BadValue => ({ label, value });
const raw = (label: string, text: string): BadValue => ({ label, raw: text });

/** base64url of a JSON value, as the findings list's paging cursor is written. */
export const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const MB = 1024 * 1024;

/** Values tried on every JSON body field. */
export const anyField: BadValue[] = [
  v('null', null),
  v('true', true),
  v('false', false),
  v('zero', 0),
  raw('-0', '-0'),
  v('negative', -1),
  v('fraction', 1.5),
  v('int4 + 1', 2147483648),
  v('beyond 2^53', 9007199254740993),
  raw('1e309 (Infinity)', '1e309'),
  raw('-1e309', '-1e309'),
  v('id that names no row', 999999),
  v('NaN as text', 'NaN'),
  v('number as text', '2147483648'),
  v('empty string', ''),
  v('blank string', '   '),
  v('NUL', '\u0000'),
  v('NUL inside text', 'a\u0000b'),
  v('lone high surrogate', 'note \ud800'),
  v('lone low surrogate', '\udc00 note'),
  v('1 MB string', 'x'.repeat(MB)),
  v('SQL-looking text', "'); drop table findings; --"),
  v('LIKE wildcards', '%_\\'),
  v('empty array', []),
  v('empty object', {}),
  v('array of null', [null]),
  v('operator object', { $ne: 1 }),
  v('prototype key', JSON.parse('{"__proto__":{"polluted":1}}')),
];

/** Date-like strings, tried on every string-typed field. */
export const dateLike: BadValue[] = [
  v('year 0000', '0000-01-01'),
  v('year 0001', '0001-01-01'),
  v('year 1899', '1899-12-31'),
  v('year 9999', '9999-12-31'),
  v('year 275760', '+275760-09-13'),
  v('30 February', '2026-02-30'),
  v('month 13', '2026-13-01'),
  v('unpadded', '2026-1-1'),
  v('date-time', '2026-03-01T25:61:61Z'),
];

const p = (lon: number, lat: number) => [lon, lat];
const square = [p(119.1, 36.7), p(119.2, 36.7), p(119.2, 36.8), p(119.1, 36.8), p(119.1, 36.7)];

/** Geometry-like objects and coordinate arrays, tried on fields that take an object or an array. */
export const geometryLike: BadValue[] = [
  v('point with Z', { type: 'Point', coordinates: [119.1, 36.7, 12.5] }),
  v('point with Z and M', { type: 'Point', coordinates: [119.1, 36.7, 12.5, 3] }),
  v('polygon with Z', { type: 'Polygon', coordinates: [square.map(([x, y]) => [x, y, 5])] }),
  v('empty point', { type: 'Point', coordinates: [] }),
  v('empty polygon', { type: 'Polygon', coordinates: [] }),
  v('polygon with an empty ring', { type: 'Polygon', coordinates: [[]] }),
  v('self-intersecting polygon', { type: 'Polygon', coordinates: [[p(119.1, 36.7), p(119.2, 36.8), p(119.2, 36.7), p(119.1, 36.8), p(119.1, 36.7)]] }),
  v('unclosed ring', { type: 'Polygon', coordinates: [square.slice(0, 4)] }),
  v('zero-area ring', { type: 'Polygon', coordinates: [[p(119.1, 36.7), p(119.2, 36.7), p(119.1, 36.7), p(119.1, 36.7)]] }),
  v('coordinates as text', { type: 'Point', coordinates: ['119.1', '36.7'] }),
  v('point outside Weifang', { type: 'Point', coordinates: [0, 0] }),
  v('point at lon 1e308', { type: 'Point', coordinates: [1e308, 36.7] }),
  v('GeometryCollection', { type: 'GeometryCollection', geometries: [] }),
  v('Feature instead of geometry', { type: 'Feature', geometry: { type: 'Point', coordinates: [119.1, 36.7] }, properties: {} }),
  v('MultiPoint', { type: 'MultiPoint', coordinates: [[119.1, 36.7]] }),
  v('10 000 vertices', { type: 'Polygon', coordinates: [[...Array.from({ length: 9999 }, (_, i) => p(119.1 + (i % 100) / 1e4, 36.7 + Math.floor(i / 100) / 1e4)), p(119.1, 36.7)]] }),
  v('array of nonexistent ids', [999999]),
  v('array with id beyond int4', [2147483648]),
  v('array with duplicates', [1, 1]),
  v('array of 10 000', Array.from({ length: 10_000 }, (_, i) => i + 1)),
  v('array of objects', [{}]),
  v('member naming no user', [{ name: '张三', userId: 999999, departmentId: 999999 }]),
  v('member with NUL name', [{ name: '\u0000' }]),
];

/** Lists of the chain's kinds (acceptance ticks, measures, department ids), tried on fields that take an array. */
export const chainLists: BadValue[] = [
  v('tick with a 10 000-character code', [{ code: 'x'.repeat(10_000), evidenceIds: [1] }]),
  v('tick with NUL code', [{ code: '\u0000', evidenceIds: [1] }]),
  v('tick with an id beyond int4', [{ code: 'site_restored', evidenceIds: [2147483648] }]),
  v('tick with evidence as text', [{ code: 'site_restored', evidenceIds: '1' }]),
  v('tick with an extra field', [{ code: 'site_restored', evidenceIds: [1], passed: true }]),
  v('ticks repeated', [{ code: 'site_restored', evidenceIds: [1] }, { code: 'site_restored', evidenceIds: [1] }]),
  v('unknown measure', ['teleport']),
  v('measures repeated', ['exit', 'exit']),
  v('measure with NUL', ['exit\u0000']),
  v('ids as text', ['1', '2']),
  v('nested arrays', [[1]]),
];

/** Crafted paging cursors: valid base64url JSON with the wrong shapes and value types. */
export const cursors: string[] = [
  'not-base64-!!',
  cursorOf(null),
  cursorOf('text'),
  cursorOf({ v: 'x', id: 1 }),
  cursorOf({ v: [{}], id: 1 }),
  cursorOf({ v: ['not a date'], id: 1 }),
  cursorOf({ v: ['0000-01-01'], id: 1 }),
  cursorOf({ v: ['2026-01-01'], id: 2147483648 }),
  cursorOf({ v: ['2026-01-01'], id: 1.5 }),
  cursorOf({ v: [1, 'x'], id: 1 }),
  cursorOf({ v: ['2026-01-01', '2026-01-01', 3], id: 1 }),
  cursorOf({ v: [null], id: 1 }),
];

/** Strings tried on every query parameter (URL-encoded where they are written so). */
export const queryValues: string[] = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%F0%9F%98',
  '%',
  '2147483648',
  '99999999999999999999',
  '-1',
  '0',
  '-0',
  '1.5',
  '1e309',
  '1e3',
  '0x10',
  'NaN',
  'Infinity',
  '',
  '%20',
  '0000-01-01',
  '0001-01-01',
  '9999-12-31',
  '2026-02-30',
  '0050',
  '0000-Q1',
  '1,2,3',
  'NaN,NaN,NaN,NaN',
  '-200,-100,200,100',
  'clue,,unknown',
  'x'.repeat(100_000),
  ...cursors,
];

/** Values tried on every path parameter. */
export const pathValues: string[] = [
  '0',
  '-1',
  '2147483648',
  '99999999999999999999',
  '1e3',
  '1.5',
  'abc',
  '%00',
  '%ED%A0%80',
  '%20',
  '%2F',
  'x'.repeat(10_000),
];

/** Whole request bodies sent to every route that reads one: [content-type, body]. */
export const wholeBodies: [string | null, string][] = [
  ['application/json', ''],
  ['application/json', '{'],
  ['application/json', '{"a":'],
  ['application/json', 'null'],
  ['application/json', '[]'],
  ['application/json', '"text"'],
  ['application/json', '1e309'],
  ['application/json', '\uFEFF{}'],
  ['application/json', '{"a":"\\u0000"}'],
  ['application/json', '{"a":"\\ud800"}'],
  ['application/json', '['.repeat(100_000)],
  ['application/json', `{${Array.from({ length: 2000 }, (_, i) => `"k${i}":${i}`).join(',')}}`],
  ['text/plain', '{}'],
  [null, '{}'],
  ['application/x-www-form-urlencoded', 'a=1&b=2'],
];

const boundary = 'corpus-boundary';
const part = (name: string, body: string, filename?: string, type = 'application/octet-stream') =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}\r\n` +
  `${filename === undefined ? '' : `Content-Type: ${type}\r\n`}\r\n${body}\r\n`;
const form = (...parts: string[]) => `${parts.join('')}--${boundary}--\r\n`;
const multipartType = `multipart/form-data; boundary=${boundary}`;

/** Malformed and hostile multipart uploads: [content-type, body, label]. */
export const multipartBodies: [string | null, string, string][] = [
  ['multipart/form-data', form(part('file', 'x', 'a.txt')), 'no boundary'],
  [multipartType, `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.gpx"\r\n\r\nunterminated`, 'truncated'],
  [multipartType, '', 'empty body'],
  [multipartType, form(part('note', 'no file here')), 'no file field'],
  [multipartType, form(part('file', 'just text')), 'file sent as a text field'],
  [multipartType, form(part('file', '', 'empty.gpx')), 'empty file'],
  [multipartType, form(part('file', '<gpx><trk><trkseg><trkpt lat="NaN" lon="1e309"/></trkseg></trk></gpx>', 'bad.gpx')), 'GPX with NaN/1e309'],
  [multipartType, form(part('file', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><gpx>&e;</gpx>', 'xxe.gpx')), 'XML entity'],
  [multipartType, form(part('file', '{"type":"Point","coordinates":[119.1,36.7,5]}', 'z.geojson', 'application/geo+json')), 'GeoJSON with Z'],
  [multipartType, form(part('file', '{"type":"FeatureCollection","features":[]}', 'empty.geojson', 'application/geo+json')), 'empty GeoJSON'],
  [multipartType, form(part('file', 'PK\u0003\u0004garbage', 'broken.zip', 'application/zip')), 'broken zip'],
  [multipartType, form(part('file', 'x', 'a\u0000b.jpg', 'image/jpeg')), 'NUL in file name'],
  [multipartType, form(part('file', 'x', `${'名'.repeat(5000)}.jpg`, 'image/jpeg')), 'very long file name'],
  [multipartType, form(part('file', 'x', 'a.jpg', 'image/jpeg'), part('coordinateSystem', '\u0000')), 'NUL form field'],
  [multipartType, form(part('file', 'x', 'a.jpg', 'image/jpeg'), part('coordinateSystem', 'mars')), 'unknown form field value'],
  ['application/json', '{"file":"x"}', 'JSON instead of multipart'],
];

// ---- zod introspection --------------------------------------------------------------------------

type Def = { type: string; [k: string]: unknown };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The object schemas a body or query schema accepts (through pipes, refinements, defaults and unions). */
export function objectsOf(schema: z.ZodType): z.ZodObject[] {
  const d = defOf(schema);
  switch (d.type) {
    case 'object':
      return [schema as z.ZodObject];
    case 'pipe':
      return objectsOf(d.in as z.ZodType);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return objectsOf(d.innerType as z.ZodType);
    case 'union':
      return (d.options as z.ZodType[]).flatMap(objectsOf);
    default:
      return [];
  }
}

/** The innermost schema that decides a field's JSON type. */
function core(schema: z.ZodType): Def {
  const d = defOf(schema);
  if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch'].includes(d.type)) return core(d.innerType as z.ZodType);
  if (d.type === 'pipe') return core(d.in as z.ZodType);
  return d;
}

/** The JSON kind a field takes: decides which parts of the corpus it gets besides `anyField`. */
export function kindOf(schema: z.ZodType): 'string' | 'number' | 'boolean' | 'structured' | 'other' {
  const d = core(schema);
  if (d.type === 'string' || d.type === 'enum' || d.type === 'literal') return 'string';
  if (d.type === 'number' || d.type === 'int') return 'number';
  if (d.type === 'boolean') return 'boolean';
  if (['object', 'array', 'tuple', 'union'].includes(d.type)) return 'structured';
  return 'other';
}

/** Valid-looking values the sample builder tries when building a field from its type is not enough. */
const knownGood: unknown[] = [
  // Deadlines must lie ahead, so the sample date is always next year's.
  `${new Date().getUTCFullYear() + 1}-06-30`,
  'WF-PA-01',
  '370724',
  'sample-input',
  '示例内容',
  '2026-Q1',
  'a-long-enough-sample-text',
  1,
  10,
  200,
  2026,
  true,
  // Inside WF-PA-01 of the sample data: a finding outside every protected area is refused.
  [118.7151, 36.55],
  { type: 'Point', coordinates: [118.7151, 36.55] },
  [],
  [1],
];

/** A value built from the schema's own shape (first enum entry, literal, 1, sample text, …). */
function built(schema: z.ZodType, asQuery: boolean): unknown {
  const d = core(schema);
  switch (d.type) {
    case 'string':
      return 'sample-input';
    case 'number':
    case 'int':
      return asQuery ? '1' : 1;
    case 'boolean':
      return true;
    case 'enum':
      return Object.values(d.entries as Record<string, string>)[0];
    case 'literal':
      return (d.values as unknown[])[0];
    case 'array':
      return [];
    case 'tuple':
      return (d.items as z.ZodType[]).map((i) => built(i, asQuery));
    case 'object':
      return sampleObject(schema as z.ZodObject, asQuery);
    case 'union':
      for (const o of d.options as z.ZodType[]) {
        const s = sample(o, asQuery);
        if (s !== undefined) return s;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** A value the schema accepts, or undefined when none of the tries fits. */
export function sample(schema: z.ZodType, asQuery = false): unknown {
  const d = core(schema);
  const one = d.type === 'array' ? [[sample(d.element as z.ZodType, asQuery)]] : [];
  const tries = [built(schema, asQuery), ...one, ...knownGood.map((k) => (asQuery && typeof k !== 'object' ? String(k) : k))];
  return tries.find((t) => t !== undefined && schema.safeParse(t).success);
}

/** True when a field can be left out. */
export const optional = (schema: z.ZodType) => schema.safeParse(undefined).success;

/**
 * The smallest valid-looking object: its required fields with sample values, plus optional ones
 * (one at a time) when the object's own rules want more, e.g. "at least one change".
 */
export function sampleObject(schema: z.ZodObject, asQuery = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const optionals: [string, z.ZodType][] = [];
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    if (optional(field)) {
      optionals.push([key, field]);
      continue;
    }
    const value = sample(field, asQuery);
    if (value !== undefined) out[key] = value;
  }
  for (const [key, field] of optionals) {
    if (schema.safeParse(out).success) break;
    const value = sample(field, asQuery);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
