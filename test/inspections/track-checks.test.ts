import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTrackFile, toTrackImport, TrackParseError, type TrackPoint } from '../../server/features/inspections/tracks/parse.ts';
import { parseTrackInWorker } from '../../server/features/inspections/tracks/pool.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const utf8 = (text: string) => new TextEncoder().encode(text);
const p = (lon: number, lat: number, ele: number | null, time: string | null): TrackPoint => ({ lon, lat, ele, time });

/** The thrown TrackParseError's parts, so a test can assert all of it at once. */
async function failure(run: () => unknown) {
  try {
    await run();
  } catch (error) {
    if (error instanceof TrackParseError) return { status: error.status, code: error.code, message: error.message, location: error.location };
    throw error;
  }
  throw new Error('expected a TrackParseError, but parsing succeeded');
}

describe('GPSBabel KML', () => {
  it('reads the per-trackpoint Placemarks as the times of the track, not as checkpoints; a real waypoint stays one', () => {
    const parsed = parseTrackFile({ fileName: 'gpsbabel-etrex.kml', bytes: fixture('gpsbabel-etrex.kml') });
    expect(parsed).toEqual({
      format: 'kml',
      tracks: [
        {
          name: 'ACTIVE LOG',
          source: 'linestring',
          segments: [
            [
              p(119.402118, 36.49701, 41.3, '2026-05-12T01:02:10.000Z'),
              p(119.402601, 36.497512, 42, '2026-05-12T01:02:40.000Z'),
              p(119.403122, 36.498044, 42.9, '2026-05-12T01:03:10.000Z'),
              p(119.40353, 36.498402, 43.5, '2026-05-12T01:03:40.000Z'),
              p(119.405002, 36.49963, 44.1, '2026-05-12T01:04:55.000Z'),
              p(119.40583, 36.500101, 44.6, '2026-05-12T01:05:25.000Z'),
            ],
          ],
        },
      ],
      checkpoints: [{ name: '排污口', note: '东岸排污口，水体发黑', lon: 119.40421, lat: 36.49901, ele: 43.8, time: '2026-05-12T01:04:10.000Z' }],
      pointCount: 6,
      timeRange: { start: '2026-05-12T01:02:10.000Z', end: '2026-05-12T01:05:25.000Z' },
      warnings: [],
    });
  });

  it('counts the per-point copies against the cap, as every coordinate in the file does', async () => {
    // 6 vertices, 6 per-point Placemarks and 1 waypoint.
    expect(parseTrackFile({ fileName: 'g.kml', bytes: fixture('gpsbabel-etrex.kml') }, { maxPoints: 13 }).pointCount).toBe(6);
    expect((await failure(() => parseTrackFile({ fileName: 'g.kml', bytes: fixture('gpsbabel-etrex.kml') }, { maxPoints: 12 }))).code).toBe('too_many_points');
  });

  const kml = (pointsFolder: string, line: string) => `<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Document><Folder><name>巡查</name>
<Folder><name>Points</name>${pointsFolder}</Folder>
<Placemark><name>Path</name>${line}</Placemark></Folder></Document></kml>`;
  const stamped = (positions: string[]) =>
    positions.map((c, i) => `<Placemark><TimeStamp><when>2026-05-12T01:0${i}:00Z</when></TimeStamp><Point><coordinates>${c}</coordinates></Point></Placemark>`).join('');

  it('gives a gx:Track without <when> the per-point times', () => {
    const file = kml(stamped(['119.40,36.49,10', '119.41,36.50,11']), '<gx:Track><gx:coord>119.40 36.49 10</gx:coord><gx:coord>119.41 36.50 11</gx:coord></gx:Track>');
    const parsed = parseTrackFile({ fileName: 't.kml', bytes: utf8(file) });
    expect(parsed.tracks).toEqual([{ name: '巡查', source: 'track', segments: [[p(119.4, 36.49, 10, '2026-05-12T01:00:00.000Z'), p(119.41, 36.5, 11, '2026-05-12T01:01:00.000Z')]] }]);
    expect(parsed.checkpoints).toEqual([]);
  });

  it('keeps timestamped Points that are not the line’s vertices as checkpoints', () => {
    const file = kml(stamped(['119.40,36.49', '119.45,36.52']), '<LineString><coordinates>119.40,36.49 119.41,36.50</coordinates></LineString>');
    const parsed = parseTrackFile({ fileName: 'c.kml', bytes: utf8(file) });
    expect(parsed.checkpoints.map((c) => [c.lon, c.lat, c.time])).toEqual([
      [119.4, 36.49, '2026-05-12T01:00:00.000Z'],
      [119.45, 36.52, '2026-05-12T01:01:00.000Z'],
    ]);
    expect(parsed.tracks[0]).toMatchObject({ name: 'Path', segments: [[{ time: null }, { time: null }]] });
  });
});

describe('implausible times', () => {
  const gpx = (times: string[]) =>
    `<gpx version="1.1"><trk><trkseg>\n${times.map((t, i) => `<trkpt lat="36.5" lon="${119.1 + i * 0.001}"><time>${t}</time></trkpt>`).join('\n')}\n</trkseg></trk></gpx>`;

  it('takes a pre-2000 time as no time, out of the time range, and says so once for all such points', () => {
    const parsed = parseTrackFile({ fileName: 's.gpx', bytes: utf8(gpx(['1901-12-13T20:45:52Z', '1970-01-01T00:00:00Z', '2026-05-12T01:00:00Z', '2026-05-12T01:10:00Z'])) });
    expect(parsed.tracks[0].segments[0].map((point) => point.time)).toEqual([null, null, '2026-05-12T01:00:00.000Z', '2026-05-12T01:10:00.000Z']);
    expect(parsed.timeRange).toEqual({ start: '2026-05-12T01:00:00.000Z', end: '2026-05-12T01:10:00.000Z' });
    expect(parsed.warnings).toEqual([
      {
        code: 'implausible_time',
        message: '文件 s.gpx 第 1 条轨迹第 1 段第 1 个点（第 2 行）等 2 个点的时间为 1901-12-13T20:45:52Z，早于 2000 年，多为设备未定位时的默认值，已按无时间处理',
        location: { file: 's.gpx', track: 1, segment: 1, index: 1, line: 2 },
      },
    ]);
  });

  it('flags times more than a day outside the inspection dates, judged in China time', () => {
    const dates = { start: '2026-05-12', end: '2026-05-12' };
    // The day is 2026-05-11T16:00Z to 2026-05-12T16:00Z; a day either side is still plausible.
    const inside = parseTrackFile({ fileName: 'a.gpx', bytes: utf8(gpx(['2026-05-10T16:00:00Z', '2026-05-13T15:59:59Z'])), expectedDates: dates });
    expect(inside.warnings).toEqual([]);
    const outside = parseTrackFile({ fileName: 'b.gpx', bytes: utf8(gpx(['2026-05-10T15:59:59Z', '2026-05-12T01:00:00Z', '2026-05-13T16:00:00Z'])), expectedDates: dates });
    expect(outside.warnings).toEqual([
      {
        code: 'time_outside_inspection',
        message: '文件 b.gpx 第 1 条轨迹第 1 段第 1 个点（第 2 行）等 2 个点的时间为 2026-05-10T15:59:59Z，与本次检查日期（2026-05-12）相差超过一天，请核实设备时间或检查日期',
        location: { file: 'b.gpx', track: 1, segment: 1, index: 1, line: 2 },
      },
    ]);
    expect(parseTrackFile({ fileName: 'c.gpx', bytes: utf8(gpx(['2026-05-10T15:59:59Z', '2026-05-12T01:00:00Z'])) }).warnings).toEqual([]);
  });
});

describe('the point cap, checked while reading', () => {
  const points = (n: number) => Array.from({ length: n }, (_, i) => `<trkpt lat="36.5" lon="${(119.1 + i * 0.0001).toFixed(4)}"/>`).join('\n');

  it('refuses a GPX over the cap before the XML is parsed: what follows the first point over it is never read', async () => {
    // Malformed after the fourth point: the refusal is about the count, so the text after it was not parsed.
    const file = `<gpx version="1.1"><trk><trkseg>\n${points(4)}\n<trkpt lat="36.5" lon=`;
    expect(await failure(() => parseTrackFile({ fileName: 'm.gpx', bytes: utf8(file) }, { maxPoints: 3 }))).toEqual({
      status: 413,
      code: 'too_many_points',
      message: '文件 m.gpx 的点数超过上限 3 个，请分段导出后再导入',
      location: { file: 'm.gpx' },
    });
    expect((await failure(() => parseTrackFile({ fileName: 'm.gpx', bytes: utf8(file) }, { maxPoints: 10 }))).code).toBe('malformed_file');
  });

  it('counts KML coordinate tuples and gx:coord, and not points in comments', () => {
    const file = `<kml><Document><!-- <trkpt/> <gx:coord>1 2</gx:coord> --><Placemark><LineString><coordinates>
119.1,36.5 119.2,36.5
119.3,36.5</coordinates></LineString></Placemark><Placemark><gx:Track><gx:coord>119.1 36.6</gx:coord><gx:coord>119.2 36.6</gx:coord></gx:Track></Placemark></Document></kml>`;
    expect(parseTrackFile({ fileName: 'k.kml', bytes: utf8(file) }, { maxPoints: 5 }).pointCount).toBe(5);
    return expect(failure(() => parseTrackFile({ fileName: 'k.kml', bytes: utf8(file) }, { maxPoints: 4 }))).resolves.toMatchObject({ code: 'too_many_points' });
  });
});

describe('parsing in a worker thread', () => {
  it('gives what parsing in this thread gives', async () => {
    const input = { fileName: 'gpsbabel-etrex.kml', bytes: fixture('gpsbabel-etrex.kml'), expectedDates: { start: '2026-05-12', end: '2026-05-12' } };
    expect(await parseTrackInWorker(input)).toEqual(toTrackImport(parseTrackFile(input)));
  });

  it('brings a TrackParseError back with its status, code, message and location', async () => {
    const input = { fileName: 'far.gpx', bytes: utf8('<gpx version="1.1"><trk><trkseg>\n<trkpt lat="36.2" lon="121.5"/>\n</trkseg></trk></gpx>') };
    const here = await failure(() => parseTrackFile(input));
    expect(here.code).toBe('out_of_extent');
    expect(await failure(() => parseTrackInWorker(input))).toEqual(here);
    expect(await failure(() => parseTrackInWorker(input, { maxPoints: 0 }))).toEqual(await failure(() => parseTrackFile(input, { maxPoints: 0 })));
  });
});
