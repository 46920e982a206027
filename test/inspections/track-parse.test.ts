import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import {
  assertUploadSize,
  checkpointsToFeatures,
  parseTrackFile,
  toMultiLineString,
  TrackParseError,
  type ParsedTracks,
  type TrackPoint,
} from '../../server/features/inspections/tracks/parse.ts';

const fixtureDir = new URL('./fixtures/', import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtureDir)));
const fixtureText = (name: string) => readFileSync(new URL(name, fixtureDir), 'utf8');
const utf8 = (text: string) => new TextEncoder().encode(text);

const parseFixture = (name: string, options: Parameters<typeof parseTrackFile>[1] = undefined) =>
  parseTrackFile({ fileName: name, bytes: fixture(name) }, options);

const p = (lon: number, lat: number, ele: number | null = null, time: string | null = null): TrackPoint => ({ lon, lat, ele, time });

/** The thrown TrackParseError as a plain object, so a test can assert all of it at once. */
function failure(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof TrackParseError) return { status: error.status, code: error.code, message: error.message, location: error.location };
    throw error;
  }
  throw new Error('expected a TrackParseError, but parsing succeeded');
}

/** A small GPX 1.1 track with one segment of the given points (each `lat lon` pair on its own line, from line 3). */
function gpxTrack(points: string[]): string {
  return ['<?xml version="1.0"?>', '<gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1"><trk><trkseg>', ...points, '</trkseg></trk></gpx>'].join('\n');
}

/** Metres between two nearby WGS84 positions (equirectangular; exact enough below a kilometre). */
function metres(a: [number, number], b: [number, number]): number {
  const toRad = Math.PI / 180;
  const x = (b[0] - a[0]) * toRad * Math.cos(((a[1] + b[1]) / 2) * toRad);
  const y = (b[1] - a[1]) * toRad;
  return Math.hypot(x, y) * 6_371_000;
}

describe('exports from field apps', () => {
  it('reads a 2bulu GPX 1.1: extensions ignored, +08:00 times in UTC, the empty trkseg dropped with a warning', () => {
    expect(parseFixture('2bulu-yishan.gpx')).toEqual({
      format: 'gpx',
      tracks: [
        {
          name: '沂山联合巡查 2026-05-12',
          source: 'track',
          segments: [
            [
              p(118.620115, 36.198701, 588.4, '2026-05-12T00:30:05.000Z'),
              p(118.620873, 36.199012, 591, '2026-05-12T00:31:05.000Z'),
              p(118.62165, 36.199544, 597.2, '2026-05-12T00:32:05.000Z'),
              p(118.622514, 36.200102, 603.9, '2026-05-12T00:33:05.000Z'),
            ],
            [
              p(118.62359, 36.200612, 612.5, '2026-05-12T00:45:40.000Z'),
              p(118.624411, 36.20123, 620.1, '2026-05-12T00:46:40.000Z'),
              p(118.625302, 36.201877, 626.8, '2026-05-12T00:47:40.000Z'),
            ],
          ],
        },
      ],
      checkpoints: [
        { name: '疑似采石点', note: '山体西侧新鲜开挖面，约 30 m × 20 m', lon: 118.623418, lat: 36.200512, ele: 612, time: '2026-05-12T00:41:12.000Z' },
      ],
      pointCount: 7,
      timeRange: { start: '2026-05-12T00:30:05.000Z', end: '2026-05-12T00:47:40.000Z' },
      warnings: [
        {
          code: 'short_segment',
          message: '文件 2bulu-yishan.gpx 第 1 条轨迹第 2 段（第 38 行）没有点，已跳过',
          location: { file: '2bulu-yishan.gpx', track: 1, segment: 2, line: 38 },
        },
      ],
    } satisfies ParsedTracks);
  });

  it('reads a 六只脚 KML: gx:Track with when/gx:coord, and a marker whose HTML description becomes plain text', () => {
    expect(parseFixture('foooooot-bailang.kml')).toEqual({
      format: 'kml',
      tracks: [
        {
          name: '白浪河湿地巡护',
          source: 'track',
          segments: [
            [
              p(119.112034, 36.75412, 21, '2026-04-03T01:10:00.000Z'),
              p(119.11258, 36.754986, 21.4, '2026-04-03T01:11:00.000Z'),
              p(119.113102, 36.755801, 22, '2026-04-03T01:12:00.000Z'),
              p(119.113655, 36.75667, 21.8, '2026-04-03T01:13:00.000Z'),
              p(119.114201, 36.757512, 22.3, '2026-04-03T01:14:00.000Z'),
            ],
          ],
        },
      ],
      checkpoints: [{ name: '排污口', note: '东岸排污口，水体发黑 有异味', lon: 119.1134, lat: 36.75621, ele: 21.9, time: '2026-04-03T01:12:30.000Z' }],
      pointCount: 5,
      timeRange: { start: '2026-04-03T01:10:00.000Z', end: '2026-04-03T01:14:00.000Z' },
      warnings: [],
    });
  });

  it('reads a Garmin GPX 1.0: route, track with a one-point segment dropped, waypoint with its comment as note', () => {
    expect(parseFixture('garmin-etrex.gpx')).toEqual({
      format: 'gpx',
      tracks: [
        {
          name: '峡山水库东岸计划路线',
          source: 'route',
          segments: [[p(119.402118, 36.49701), p(119.40353, 36.498402), p(119.40632, 36.500412)]],
        },
        {
          name: 'ACTIVE LOG',
          source: 'track',
          segments: [
            [
              p(119.40216, 36.497031, 38.6, '2026-06-20T01:15:00.000Z'),
              p(119.402601, 36.497512, 39.1, '2026-06-20T01:16:00.000Z'),
              p(119.403122, 36.498044, 40, '2026-06-20T01:17:00.000Z'),
            ],
            [p(119.405002, 36.49963, 42.5, '2026-06-20T01:28:00.000Z'), p(119.40583, 36.500101, 43, '2026-06-20T01:29:00.000Z')],
          ],
        },
      ],
      checkpoints: [{ name: '001', note: '取水口围网', lon: 119.404007, lat: 36.498803, ele: 41.2, time: '2026-06-20T01:20:03.000Z' }],
      pointCount: 8,
      timeRange: { start: '2026-06-20T01:15:00.000Z', end: '2026-06-20T01:29:00.000Z' },
      warnings: [
        {
          code: 'short_segment',
          message: '文件 garmin-etrex.gpx 第 1 条轨迹第 2 段（第 26 行）只有 1 个点，已跳过',
          location: { file: 'garmin-etrex.gpx', track: 1, segment: 2, line: 26 },
        },
      ],
    });
  });

  it('reads a GeoJSON FeatureCollection: LineString with coordTimes, MultiLineString, Point checkpoint; a Polygon is ignored', () => {
    expect(parseFixture('patrol.geojson')).toEqual({
      format: 'geojson',
      tracks: [
        {
          name: '上午巡查',
          source: 'linestring',
          segments: [
            [
              p(118.7512, 37.1523, 3.5, '2026-03-18T00:40:00.000Z'),
              p(118.7531, 37.1538, 3.2, '2026-03-18T00:41:00.000Z'),
              p(118.755, 37.1552, 3, '2026-03-18T00:42:00.000Z'),
            ],
          ],
        },
        {
          name: '下午巡查（两段）',
          source: 'linestring',
          segments: [
            [p(118.7601, 37.158), p(118.7622, 37.1597)],
            [p(118.765, 37.161), p(118.7671, 37.1625), p(118.769, 37.1641)],
          ],
        },
      ],
      checkpoints: [{ name: '违建大棚', note: '核心区内新建大棚 3 座', lon: 118.7622, lat: 37.1597, ele: null, time: '2026-03-18T01:05:00.000Z' }],
      pointCount: 8,
      timeRange: { start: '2026-03-18T00:40:00.000Z', end: '2026-03-18T00:42:00.000Z' },
      warnings: [
        {
          code: 'ignored_geometry',
          message: '文件 patrol.geojson（features[3].geometry）是面，不是轨迹，已忽略',
          location: { file: 'patrol.geojson', path: 'features[3].geometry' },
        },
      ],
    });
  });
});

describe('namespaces, prefixes and nesting', () => {
  it('reads GPX with a gpx: prefix and no timestamps the same as with a default namespace', () => {
    const prefixed = parseFixture('prefixed-no-time.gpx');
    expect(prefixed.tracks).toEqual([
      { name: '昌乐火山口巡查', source: 'track', segments: [[p(118.8502, 36.6011, 182), p(118.8517, 36.6023, 186), p(118.8529, 36.6036)]] },
    ]);
    expect(prefixed.timeRange).toBeNull();
    const unprefixed = fixtureText('prefixed-no-time.gpx').replace(/<(\/?)gpx:/g, '<$1').replace('xmlns:gpx=', 'xmlns=');
    expect(unprefixed).not.toContain('gpx:trkpt');
    expect(parseTrackFile({ fileName: 'prefixed-no-time.gpx', bytes: utf8(unprefixed) })).toEqual(prefixed);
  });

  it('reads KML with the kml: prefix through nested Folders and Documents, MultiGeometry lines as segments', () => {
    const parsed = parseFixture('nested-multigeometry.kml');
    expect(parsed.tracks).toEqual([
      {
        name: '南线',
        source: 'linestring',
        segments: [
          [p(119.4101, 35.9302, 120), p(119.4112, 35.9311, 121), p(119.4125, 35.932, 123)],
          [p(119.415, 35.934), p(119.4163, 35.9352)],
        ],
      },
      { name: '北线', source: 'linestring', segments: [[p(119.42, 35.94), p(119.4215, 35.9412)]] },
    ]);
    expect(parsed.checkpoints).toEqual([{ name: '南线', note: null, lon: 119.4125, lat: 35.932, ele: null, time: null }]);
    const withoutNamespace = fixtureText('nested-multigeometry.kml').replace(/<(\/?)kml:/g, '<$1').replace(' xmlns:kml="http://www.opengis.net/kml/2.2"', '');
    expect(withoutNamespace).not.toContain('kml:');
    expect(parseTrackFile({ fileName: 'nested-multigeometry.kml', bytes: utf8(withoutNamespace) })).toEqual(parsed);
  });

  it('reads KML without any namespace, with spaces after the commas of its coordinates', () => {
    expect(parseFixture('plain-no-namespace.kml').tracks).toEqual([
      { name: '手绘巡查线', source: 'linestring', segments: [[p(119.7201, 36.8502, 0), p(119.7214, 36.8517, 0), p(119.723, 36.8531, 0)]] },
    ]);
  });

  it('reads gx:MultiTrack as one track of several segments, and trkpt written straight under trk', () => {
    const kml = [
      '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Placemark><name>两天</name><gx:MultiTrack>',
      '<gx:Track><gx:coord>119.1 36.5 0</gx:coord><gx:coord>119.2 36.6 0</gx:coord></gx:Track>',
      '<gx:Track><when>2026-04-04T01:00:00Z</when><when>2026-04-04T01:01:00Z</when><gx:coord>119.3 36.7</gx:coord><gx:coord>119.4 36.8</gx:coord></gx:Track>',
      '</gx:MultiTrack></Placemark></kml>',
    ].join('\n');
    expect(parseTrackFile({ fileName: 'm.kml', bytes: utf8(kml) }).tracks).toEqual([
      {
        name: '两天',
        source: 'track',
        segments: [
          [p(119.1, 36.5, 0), p(119.2, 36.6, 0)],
          [p(119.3, 36.7, null, '2026-04-04T01:00:00.000Z'), p(119.4, 36.8, null, '2026-04-04T01:01:00.000Z')],
        ],
      },
    ]);
    const loose = '<gpx version="1.1"><trk><trkpt lat="36.5" lon="119.1"/><trkpt lat="36.6" lon="119.2"/></trk></gpx>';
    expect(parseTrackFile({ fileName: 'l.gpx', bytes: utf8(loose) }).tracks).toEqual([{ name: null, source: 'track', segments: [[p(119.1, 36.5), p(119.2, 36.6)]] }]);
  });

  it('reads a bare GeoJSON geometry, a GeometryCollection with a MultiPoint, and epoch times', () => {
    const bare = '{"type": "LineString", "coordinates": [[119.1, 36.5, 12], [119.2, 36.6, null]]}';
    expect(parseTrackFile({ fileName: 'b.geojson', bytes: utf8(bare) }).tracks).toEqual([{ name: null, source: 'linestring', segments: [[p(119.1, 36.5, 12), p(119.2, 36.6)]] }]);
    const collection = JSON.stringify({
      type: 'Feature',
      properties: { name: '界桩', coordTimes: [1775178000000, 1775178060] },
      geometry: {
        type: 'GeometryCollection',
        geometries: [
          { type: 'LineString', coordinates: [[119.1, 36.5], [119.2, 36.6]] },
          { type: 'MultiPoint', coordinates: [[119.3, 36.7], [119.4, 36.8]] },
        ],
      },
    });
    const parsed = parseTrackFile({ fileName: 'c.geojson', bytes: utf8(collection) });
    expect(parsed.tracks).toEqual([
      { name: '界桩', source: 'linestring', segments: [[p(119.1, 36.5, null, '2026-04-03T01:00:00.000Z'), p(119.2, 36.6, null, '2026-04-03T01:01:00.000Z')]] },
    ]);
    expect(parsed.checkpoints.map((c) => [c.name, c.lon, c.lat])).toEqual([
      ['界桩', 119.3, 36.7],
      ['界桩', 119.4, 36.8],
    ]);
  });

  it('detects the format from the content, not the file name', () => {
    const parsed = parseTrackFile({ fileName: '巡查轨迹.txt', bytes: fixture('foooooot-bailang.kml') });
    expect(parsed.format).toBe('kml');
    expect(parseTrackFile({ fileName: 'track.kml', bytes: fixture('patrol.geojson') }).format).toBe('geojson');
  });
});

describe('KMZ', () => {
  it('reads doc.kml from a KMZ built from the 六只脚 fixture', () => {
    const kml = parseFixture('foooooot-bailang.kml');
    const kmz = parseTrackFile({ fileName: '白浪河.kmz', bytes: zipSync({ 'doc.kml': fixture('foooooot-bailang.kml') }) });
    expect(kmz).toEqual({ ...kml, format: 'kmz' });
  });

  it('finds the KML in a subfolder among other files, skipping macOS resource forks', () => {
    const bytes = zipSync({
      '__MACOSX/files/._track.kml': new Uint8Array([0, 5, 22, 7]),
      'files/photo_1.jpg': new Uint8Array([0xff, 0xd8, 0xff, 0xe0]),
      'files/track.kml': fixture('nested-multigeometry.kml'),
      'readme.txt': strToU8('六只脚导出'),
    });
    const parsed = parseTrackFile({ fileName: '诸城.kmz', bytes });
    expect(parsed.format).toBe('kmz');
    expect(parsed.tracks.map((t) => t.name)).toEqual(['南线', '北线']);
  });

  it('prefers doc.kml over an earlier .kml entry, and names the entry in the location of an error', () => {
    const outside = strToU8('<kml><Placemark><LineString><coordinates>121.5,36.2 121.6,36.3</coordinates></LineString></Placemark></kml>');
    const bytes = zipSync({ 'a/first.kml': fixture('plain-no-namespace.kml'), 'doc.kml': outside });
    expect(failure(() => parseTrackFile({ fileName: 'x.kmz', bytes }))).toEqual({
      status: 422,
      code: 'out_of_extent',
      message: '文件 x.kmz（doc.kml）第 1 条轨迹第 1 段第 1 个点（第 1 行）超出潍坊市范围：经度 121.5、纬度 36.2',
      location: { file: 'x.kmz', entry: 'doc.kml', track: 1, segment: 1, index: 1, line: 1 },
    });
  });

  it('refuses a ZIP without KML, a damaged ZIP, and a KML that unpacks above the limit', () => {
    expect(failure(() => parseTrackFile({ fileName: 'shp.zip', bytes: zipSync({ 'area.shp': new Uint8Array([0, 0, 39, 10]) }) }))).toEqual({
      status: 422,
      code: 'unsupported_format',
      message: '文件 shp.zip 是 ZIP 压缩包，但其中没有 .kml 文件。仅支持 GPX、KML、KMZ 和 GeoJSON 轨迹文件',
      location: { file: 'shp.zip' },
    });
    const damaged = zipSync({ 'doc.kml': fixture('foooooot-bailang.kml') }).slice(0, 40);
    expect(failure(() => parseTrackFile({ fileName: 'x.kmz', bytes: damaged }))).toMatchObject({ status: 422, code: 'malformed_file', location: { file: 'x.kmz' } });
    const bytes = zipSync({ 'doc.kml': fixture('foooooot-bailang.kml') });
    expect(failure(() => parseTrackFile({ fileName: 'x.kmz', bytes }, { maxUnpackedMb: 0.001 }))).toEqual({
      status: 413,
      code: 'file_too_large',
      message: '文件 x.kmz（doc.kml）解压后为 0.1 MB，超过上限 0.001 MB',
      location: { file: 'x.kmz', entry: 'doc.kml' },
    });
  });
});

describe('encodings and line endings', () => {
  it('reads a file with a UTF-8 BOM and CRLF line endings exactly as the plain one, with the same line numbers', () => {
    const withBomAndCrlf = (name: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(fixtureText(name).replace(/\n/g, '\r\n'))]);
    expect(parseTrackFile({ fileName: '2bulu-yishan.gpx', bytes: withBomAndCrlf('2bulu-yishan.gpx') })).toEqual(parseFixture('2bulu-yishan.gpx'));
    expect(parseTrackFile({ fileName: 'a.kml', bytes: withBomAndCrlf('foooooot-bailang.kml') }).checkpoints).toEqual(parseFixture('foooooot-bailang.kml').checkpoints);
    expect(failure(() => parseTrackFile({ fileName: 'walk.gpx', bytes: withBomAndCrlf('walk.gpx') })).location).toEqual({
      file: 'walk.gpx',
      track: 2,
      segment: 1,
      index: 15,
      line: 30,
    });
    expect(parseTrackFile({ fileName: 'p.geojson', bytes: withBomAndCrlf('patrol.geojson') }).pointCount).toBe(8);
  });

  it('decodes a GBK file that declares GBK, and warns when a file declared GBK is really UTF-8', () => {
    // 山东 in GBK.
    const shandong = [0xc9, 0xbd, 0xb6, 0xab];
    const body = '</name><trkseg><trkpt lat="36.5" lon="119.1"/><trkpt lat="36.6" lon="119.2"/></trkseg></trk></gpx>';
    const gbk = new Uint8Array([...utf8('<?xml version="1.0" encoding="GBK"?>\n<gpx><trk><name>'), ...shandong, ...utf8(body)]);
    const parsed = parseTrackFile({ fileName: 'gbk.gpx', bytes: gbk });
    expect(parsed.tracks[0].name).toBe('山东');
    expect(parsed.warnings).toEqual([]);

    const mislabelled = utf8(`<?xml version="1.0" encoding="GB2312"?>\n<gpx><trk><name>山东${body}`);
    expect(parseTrackFile({ fileName: 'u.gpx', bytes: mislabelled }).warnings).toEqual([
      { code: 'encoding', message: '文件 u.gpx 声明的编码为 GB2312，但内容是 UTF-8，已按 UTF-8 读取', location: { file: 'u.gpx' } },
    ]);

    const undeclared = new Uint8Array([...utf8('<gpx><trk><name>'), ...shandong, ...utf8(body)]);
    const guessed = parseTrackFile({ fileName: 'g.gpx', bytes: undeclared });
    expect(guessed.tracks[0].name).toBe('山东');
    expect(guessed.warnings.map((w) => w.code)).toEqual(['encoding']);
  });

  it('tolerates blank lines before the XML declaration, NUL padding after the root and a bare & in a name', () => {
    const text = '\n\n<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1"><trk><name>林场 & 水库</name><trkseg>\n<trkpt lat="36.5" lon="119.1"/>\n<trkpt lat="36.6" lon="119.2"/>\n</trkseg></trk></gpx>\n\0\0\0\0';
    const parsed = parseTrackFile({ fileName: 'p.gpx', bytes: utf8(text) });
    expect(parsed.tracks).toEqual([{ name: '林场 & 水库', source: 'track', segments: [[p(119.1, 36.5), p(119.2, 36.6)]] }]);
    const outside = text.replace('lat="36.6" lon="119.2"', 'lat="36.6" lon="125.2"');
    expect(failure(() => parseTrackFile({ fileName: 'p.gpx', bytes: utf8(outside) })).location).toEqual({ file: 'p.gpx', track: 1, segment: 1, index: 2, line: 6 });
  });

  it('decodes UTF-16 with a BOM', () => {
    const text = '<?xml version="1.0" encoding="UTF-16"?><gpx><trk><name>山东</name><trkseg><trkpt lat="36.5" lon="119.1"/><trkpt lat="36.6" lon="119.2"/></trkseg></trk></gpx>';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      bytes[2 + i * 2] = text.charCodeAt(i) & 0xff;
      bytes[3 + i * 2] = text.charCodeAt(i) >> 8;
    }
    expect(parseTrackFile({ fileName: 'w.gpx', bytes }).tracks).toEqual([{ name: '山东', source: 'track', segments: [[p(119.1, 36.5), p(119.2, 36.6)]] }]);
  });
});

describe('broken files', () => {
  it('reports where a truncated GPX ends and which elements are left open', () => {
    expect(failure(() => parseFixture('truncated.gpx'))).toEqual({
      status: 422,
      code: 'malformed_file',
      message: '文件 truncated.gpx（第 8 行第 49 列）不完整，在此处意外结束（可能在导出或上传时被截断），<ele>、<trkpt>、<trkseg> 没有闭合',
      location: { file: 'truncated.gpx', line: 8, column: 49 },
    });
  });

  it("reports the parser's line and column for a mismatched closing tag", () => {
    const text = gpxTrack(['<trkpt lat="36.5" lon="119.1">', '<ele>3</trkpt>']);
    expect(failure(() => parseTrackFile({ fileName: 'bad.gpx', bytes: utf8(text) }))).toEqual({
      status: 422,
      code: 'malformed_file',
      message: '文件 bad.gpx（第 4 行第 7 列）不是格式正确的 XML：应先闭合第 4 行的 <ele>，却遇到了 </trkpt>',
      location: { file: 'bad.gpx', line: 4, column: 7 },
    });
  });

  it('refuses what is neither XML nor JSON, and XML that is neither GPX nor KML', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(failure(() => parseTrackFile({ fileName: 'photo.gpx', bytes: png }))).toEqual({
      status: 422,
      code: 'unsupported_format',
      message: '文件 photo.gpx 的格式无法识别。仅支持 GPX、KML、KMZ 和 GeoJSON 轨迹文件',
      location: { file: 'photo.gpx' },
    });
    expect(failure(() => parseTrackFile({ fileName: 'notes.gpx', bytes: utf8('巡查记录：上午 9 点出发') })).code).toBe('unsupported_format');
    expect(failure(() => parseTrackFile({ fileName: 'page.kml', bytes: utf8('<!DOCTYPE html>\n<html><body><br></body></html>') }))).toEqual({
      status: 422,
      code: 'unsupported_format',
      message: '文件 page.kml 的根元素是 <html>，不是 GPX 或 KML。仅支持 GPX、KML、KMZ 和 GeoJSON 轨迹文件',
      location: { file: 'page.kml' },
    });
    expect(failure(() => parseTrackFile({ fileName: 'a.fit', bytes: new Uint8Array([14, 16, 0x6c, 0x08, 0, 0, 0, 0, 0x2e, 0x46, 0x49, 0x54]) })).code).toBe('unsupported_format');
  });

  it('refuses JSON that is not GeoJSON', () => {
    expect(failure(() => parseTrackFile({ fileName: 'export.json', bytes: utf8('{"points": [[119.1, 36.5], [119.2, 36.6]]}') }))).toEqual({
      status: 422,
      code: 'unsupported_format',
      message: '文件 export.json 是 JSON，但不是 GeoJSON（顶层须为 FeatureCollection、Feature 或几何对象）。仅支持 GPX、KML、KMZ 和 GeoJSON 轨迹文件',
      location: { file: 'export.json' },
    });
  });

  it('reports the line and column of a JSON syntax error, and of a truncated GeoJSON', () => {
    const missingComma = '{"type": "Feature",\n  "geometry": {"type": "LineString", "coordinates": [[119.1, 36.5] [119.2, 36.6]]}}';
    expect(failure(() => parseTrackFile({ fileName: 'a.geojson', bytes: utf8(missingComma) }))).toEqual({
      status: 422,
      code: 'malformed_file',
      message: '文件 a.geojson（第 2 行第 68 列）不是格式正确的 JSON：此处的 “[119.2, 36.6” 有语法错误',
      location: { file: 'a.geojson', line: 2, column: 68 },
    });
    // Cut inside `"type": "LineString"` of the first feature's geometry, on line 12.
    const truncated = fixtureText('patrol.geojson').slice(0, 300);
    expect(truncated.endsWith('"type": "LineStrin')).toBe(true);
    expect(failure(() => parseTrackFile({ fileName: 'p.geojson', bytes: utf8(truncated) }))).toEqual({
      status: 422,
      code: 'malformed_file',
      message: '文件 p.geojson（第 12 行第 27 列）不完整，文件在此意外结束（可能在导出或上传时被截断）',
      location: { file: 'p.geojson', line: 12, column: 27 },
    });
  });

  it('refuses a GeoJSON in a projected CRS rather than read metres as degrees', () => {
    const mercator = '{"type": "LineString", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}, "coordinates": [[13258000, 4400000], [13259000, 4400100]]}';
    expect(failure(() => parseTrackFile({ fileName: 'm.geojson', bytes: utf8(mercator) }))).toEqual({
      status: 422,
      code: 'unsupported_format',
      message: '文件 m.geojson（crs）的坐标系 urn:ogc:def:crs:EPSG::3857 不受支持，请导出为 WGS84 经纬度（EPSG:4326）',
      location: { file: 'm.geojson', path: 'crs' },
    });
  });
});

describe('coordinates and times', () => {
  it('refuses a point outside Weifang with its track, segment, index and line', () => {
    expect(failure(() => parseFixture('walk.gpx'))).toEqual({
      status: 422,
      code: 'out_of_extent',
      message: '文件 walk.gpx 第 2 条轨迹第 1 段第 15 个点（第 30 行）超出潍坊市范围：经度 121.5、纬度 36.2',
      location: { file: 'walk.gpx', track: 2, segment: 1, index: 15, line: 30 },
    });
  });

  it('uses the extent it is given', () => {
    const wide = { minLon: 118, minLat: 35, maxLon: 122, maxLat: 38 };
    const parsed = parseFixture('walk.gpx', { extent: wide });
    expect(parsed.tracks[1].segments[0][14]).toEqual(p(121.5, 36.2, null, '2026-08-09T06:14:00.000Z'));
  });

  it('refuses out-of-range GeoJSON coordinates with their JSON path, and hints at swapped latitude and longitude', () => {
    const swapped = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[36.5,119.1],[36.6,119.2]]}}]}';
    expect(failure(() => parseTrackFile({ fileName: 's.geojson', bytes: utf8(swapped) }))).toEqual({
      status: 422,
      code: 'invalid_coordinate',
      message: '文件 s.geojson 第 1 条轨迹第 1 段第 1 个点（features[0].geometry.coordinates[0]）的经纬度超出有效范围：经度 36.5、纬度 119.1（经度和纬度可能写反了）',
      location: { file: 's.geojson', track: 1, segment: 1, index: 1, path: 'features[0].geometry.coordinates[0]' },
    });
  });

  it('refuses a KML coordinate that is not a number, on its own line', () => {
    const kml = '<kml>\n<Placemark><LineString><coordinates>\n119.1,36.5\n119.2,36.6\n119.3,北纬36度\n</coordinates></LineString></Placemark>\n</kml>';
    expect(failure(() => parseTrackFile({ fileName: 'c.kml', bytes: utf8(kml) }))).toEqual({
      status: 422,
      code: 'invalid_coordinate',
      message: '文件 c.kml 第 1 条轨迹第 1 段第 3 个点（第 5 行）的经纬度不是有效数字：经度 “119.3”、纬度 “北纬36度”',
      location: { file: 'c.kml', track: 1, segment: 1, index: 3, line: 5 },
    });
  });

  it('refuses a GPX point without coordinates', () => {
    const text = gpxTrack(['<trkpt lat="36.5" lon="119.1"/>', '<trkpt lat="36.6"/>']);
    expect(failure(() => parseTrackFile({ fileName: 'n.gpx', bytes: utf8(text) }))).toEqual({
      status: 422,
      code: 'invalid_coordinate',
      message: '文件 n.gpx 第 1 条轨迹第 1 段第 2 个点（第 4 行）缺少经度或纬度',
      location: { file: 'n.gpx', track: 1, segment: 1, index: 2, line: 4 },
    });
  });

  it('refuses a time that is not a date and time, and an impossible date', () => {
    const garbage = gpxTrack(['<trkpt lat="36.5" lon="119.1"><time>2026-05-12T08:30:00Z</time></trkpt>', '<trkpt lat="36.6" lon="119.2"><time>昨天上午</time></trkpt>']);
    expect(failure(() => parseTrackFile({ fileName: 't.gpx', bytes: utf8(garbage) }))).toEqual({
      status: 422,
      code: 'invalid_time',
      message: '文件 t.gpx 第 1 条轨迹第 1 段第 2 个点（第 4 行）的时间无法识别：“昨天上午”（应为 ISO 8601，如 2026-05-12T08:30:00Z）',
      location: { file: 't.gpx', track: 1, segment: 1, index: 2, line: 4 },
    });
    const february30 = gpxTrack(['<trkpt lat="36.5" lon="119.1"><time>2026-02-30T08:30:00Z</time></trkpt>', '<trkpt lat="36.6" lon="119.2"/>']);
    expect(failure(() => parseTrackFile({ fileName: 't.gpx', bytes: utf8(february30) })).code).toBe('invalid_time');
  });

  it('normalises offset, fractional and zone-less times to UTC, warning once about the zone-less ones', () => {
    const text = gpxTrack([
      '<trkpt lat="36.5" lon="119.1"><time>2026-05-12T08:30:00.5+08:00</time></trkpt>',
      '<trkpt lat="36.6" lon="119.2"><time>2026-05-12T00:31:00-0100</time></trkpt>',
      '<trkpt lat="36.7" lon="119.3"><time>2026-05-12 00:32:00</time></trkpt>',
      '<trkpt lat="36.8" lon="119.4"><time>2026-05-12T00:33:00</time></trkpt>',
    ]);
    const parsed = parseTrackFile({ fileName: 'z.gpx', bytes: utf8(text) });
    expect(parsed.tracks[0].segments[0].map((point) => point.time)).toEqual([
      '2026-05-12T00:30:00.500Z',
      '2026-05-12T01:31:00.000Z',
      '2026-05-12T00:32:00.000Z',
      '2026-05-12T00:33:00.000Z',
    ]);
    expect(parsed.warnings).toEqual([
      {
        code: 'time_without_zone',
        message: '文件 z.gpx 第 1 条轨迹第 1 段第 3 个点（第 5 行）等 2 个点的时间未注明时区，已按 UTC 处理',
        location: { file: 'z.gpx', track: 1, segment: 1, index: 3, line: 5 },
      },
    ]);
  });

  it('refuses a gx:Track whose when and gx:coord counts differ', () => {
    const kml = [
      '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Document>',
      '<Placemark><name>a</name><LineString><coordinates>119.1,36.5 119.2,36.6</coordinates></LineString></Placemark>',
      '<Placemark>',
      '<gx:Track>',
      '<when>2026-04-03T01:10:00Z</when>',
      '<gx:coord>119.1 36.5 0</gx:coord>',
      '<gx:coord>119.2 36.6 0</gx:coord>',
      '</gx:Track></Placemark></Document></kml>',
    ].join('\n');
    expect(failure(() => parseTrackFile({ fileName: 'g.kml', bytes: utf8(kml) }))).toEqual({
      status: 422,
      code: 'invalid_time',
      message: '文件 g.kml 第 2 条轨迹第 1 段（第 4 行）的 gx:Track 有 1 个时间（when）和 2 个坐标（gx:coord），两者数量应一致',
      location: { file: 'g.kml', track: 2, segment: 1, line: 4 },
    });
  });

  it('refuses GeoJSON per-point times that do not match the coordinates, naming the times array', () => {
    const geojson = JSON.stringify({
      type: 'Feature',
      properties: { coordTimes: [['2026-03-18T00:40:00Z', '2026-03-18T00:41:00Z'], ['2026-03-18T00:50:00Z']] },
      geometry: { type: 'MultiLineString', coordinates: [[[118.76, 37.15], [118.77, 37.16]], [[118.78, 37.17], [118.79, 37.18]]] },
    });
    expect(failure(() => parseTrackFile({ fileName: 't.geojson', bytes: utf8(geojson) }))).toEqual({
      status: 422,
      code: 'invalid_time',
      message: '文件 t.geojson 第 1 条轨迹第 2 段（properties.coordTimes[1]）的时间有 1 个，坐标有 2 个，两者数量应一致',
      location: { file: 't.geojson', track: 1, segment: 2, path: 'properties.coordTimes[1]' },
    });
  });

  it('ignores an unreadable elevation with one warning', () => {
    const text = gpxTrack(['<trkpt lat="36.5" lon="119.1"><ele>N/A</ele></trkpt>', '<trkpt lat="36.6" lon="119.2"><ele>12.5</ele></trkpt>']);
    const parsed = parseTrackFile({ fileName: 'e.gpx', bytes: utf8(text) });
    expect(parsed.tracks[0].segments[0]).toEqual([p(119.1, 36.5), p(119.2, 36.6, 12.5)]);
    expect(parsed.warnings.map((w) => w.message)).toEqual(['文件 e.gpx 第 1 条轨迹第 1 段第 1 个点（第 3 行）的海拔无法识别，已忽略海拔']);
  });
});

describe('empty tracks', () => {
  it('refuses a file whose tracks have no usable segment', () => {
    const text = [
      '<gpx version="1.1"><trk><name>待机</name>',
      '<trkseg><trkpt lat="36.5" lon="119.1"/></trkseg>',
      '<trkseg><trkpt lat="36.5" lon="119.1"/><trkpt lat="36.5" lon="119.1"/></trkseg>',
      '</trk></gpx>',
    ].join('\n');
    expect(failure(() => parseTrackFile({ fileName: 'idle.gpx', bytes: utf8(text) }))).toEqual({
      status: 422,
      code: 'empty_track',
      message: '文件 idle.gpx 中的轨迹都没有可用的点（每段至少需要 2 个不同位置的点）',
      location: { file: 'idle.gpx' },
    });
  });

  it('refuses a file with neither tracks nor waypoints, and an empty file', () => {
    expect(failure(() => parseTrackFile({ fileName: 'm.gpx', bytes: utf8('<gpx version="1.1"><metadata><name>x</name></metadata></gpx>') }))).toEqual({
      status: 422,
      code: 'empty_track',
      message: '文件 m.gpx 中没有轨迹，也没有航点',
      location: { file: 'm.gpx' },
    });
    expect(failure(() => parseTrackFile({ fileName: 'z.kml', bytes: new Uint8Array() }))).toEqual({
      status: 422,
      code: 'empty_track',
      message: '文件 z.kml 是空文件',
      location: { file: 'z.kml' },
    });
  });

  it('accepts waypoints alone as checkpoints, with no line to store', () => {
    const text = '<gpx version="1.1"><wpt lat="36.5" lon="119.1"><name>界桩 12</name><desc>倒伏</desc></wpt></gpx>';
    const parsed = parseTrackFile({ fileName: 'w.gpx', bytes: utf8(text) });
    expect(parsed.tracks).toEqual([]);
    expect(parsed.checkpoints).toEqual([{ name: '界桩 12', note: '倒伏', lon: 119.1, lat: 36.5, ele: null, time: null }]);
    expect(toMultiLineString(parsed)).toBeNull();
  });
});

describe('limits', () => {
  it('refuses a file over the point cap, counting waypoints too', () => {
    // 7 track points and 1 waypoint.
    expect(parseFixture('2bulu-yishan.gpx', { maxPoints: 8 }).pointCount).toBe(7);
    expect(failure(() => parseFixture('2bulu-yishan.gpx', { maxPoints: 7 }))).toEqual({
      status: 413,
      code: 'too_many_points',
      message: '文件 2bulu-yishan.gpx 的点数超过上限 7 个，请分段导出后再导入',
      location: { file: '2bulu-yishan.gpx' },
    });
  });

  it('refuses an upload over the size limit', () => {
    const limit = 20 * 1024 * 1024;
    expect(() => assertUploadSize(new Uint8Array(limit), 20, 'a.gpx')).not.toThrow();
    expect(failure(() => assertUploadSize(limit + 1, 20, 'a.gpx'))).toEqual({
      status: 413,
      code: 'file_too_large',
      message: '文件 a.gpx 大小为 20.1 MB，超过上限 20 MB',
      location: { file: 'a.gpx' },
    });
    expect(failure(() => assertUploadSize(new Uint8Array(1024 * 1024 + 1), 1))).toEqual({
      status: 413,
      code: 'file_too_large',
      message: '上传的文件大小为 1.1 MB，超过上限 1 MB',
      location: { file: '' },
    });
  });
});

describe('GCJ-02 and BD-09 input', () => {
  const wgs: [number, number] = [119.1, 36.7];

  it('shifts WGS84 (119.1, 36.7) by about 0.006° east and 0.0005° north in GCJ-02, and back within a metre', () => {
    const gcj = gcoord.transform(wgs, gcoord.WGS84, gcoord.GCJ02) as [number, number];
    expect(gcj[0] - wgs[0]).toBeGreaterThan(0.005);
    expect(gcj[0] - wgs[0]).toBeLessThan(0.007);
    expect(gcj[1] - wgs[1]).toBeGreaterThan(0.0003);
    expect(gcj[1] - wgs[1]).toBeLessThan(0.002);
    expect(metres(wgs, gcoord.transform(gcj, gcoord.GCJ02, gcoord.WGS84) as [number, number])).toBeLessThan(1);
  });

  it('converts gcj02 and bd09 input back to WGS84, and leaves input alone when none is named', () => {
    const second: [number, number] = [119.11, 36.71];
    const file = (system: Parameters<typeof gcoord.transform>[2]) => {
      const [a, b] = [wgs, second].map((position) => gcoord.transform(position, gcoord.WGS84, system) as [number, number]);
      return utf8(gpxTrack([`<trkpt lat="${a[1]}" lon="${a[0]}"/>`, `<trkpt lat="${b[1]}" lon="${b[0]}"/>`]));
    };
    for (const [system, name] of [
      [gcoord.GCJ02, 'gcj02'],
      [gcoord.BD09, 'bd09'],
    ] as const) {
      const parsed = parseTrackFile({ fileName: 'mars.gpx', bytes: file(system), coordinateSystem: name });
      const [first, last] = parsed.tracks[0].segments[0];
      expect(metres(wgs, [first.lon, first.lat])).toBeLessThan(1);
      expect(metres(second, [last.lon, last.lat])).toBeLessThan(1);
    }
    const unconverted = parseTrackFile({ fileName: 'mars.gpx', bytes: file(gcoord.GCJ02) }).tracks[0].segments[0][0];
    expect(metres(wgs, [unconverted.lon, unconverted.lat])).toBeGreaterThan(400);
  });
});

describe('what the server stores', () => {
  it('builds one line per segment, rounded to 7 decimals, without repeated positions', () => {
    const text = gpxTrack([
      '<trkpt lat="36.50000004" lon="119.123456789"/>',
      '<trkpt lat="36.5" lon="119.1234568"/>',
      '<trkpt lat="36.6" lon="119.2"/>',
    ]);
    expect(toMultiLineString(parseTrackFile({ fileName: 'r.gpx', bytes: utf8(text) }))).toEqual({
      type: 'MultiLineString',
      coordinates: [
        [
          [119.1234568, 36.5],
          [119.2, 36.6],
        ],
      ],
    });
    expect(toMultiLineString(parseFixture('garmin-etrex.gpx'))).toEqual({
      type: 'MultiLineString',
      coordinates: [
        [
          [119.402118, 36.49701],
          [119.40353, 36.498402],
          [119.40632, 36.500412],
        ],
        [
          [119.40216, 36.497031],
          [119.402601, 36.497512],
          [119.403122, 36.498044],
        ],
        [
          [119.405002, 36.49963],
          [119.40583, 36.500101],
        ],
      ],
    });
  });

  it('gives checkpoints as Point features', () => {
    expect(checkpointsToFeatures(parseFixture('foooooot-bailang.kml'))).toEqual([
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [119.1134, 36.75621] },
        properties: { name: '排污口', note: '东岸排污口，水体发黑 有异味', ele: 21.9, time: '2026-04-03T01:12:30.000Z' },
      },
    ]);
  });
});
