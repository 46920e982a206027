/** Reading typed or pasted coordinates, and converting GCJ-02/BD-09 input to WGS84. */
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { CoordinateTextError, parseCoordinateText, toWgs84 } from '../../server/lib/coordinates.ts';
import { parsePosition } from '../../web/src/lib/findings/coordinates.ts';

/** Great-circle distance in metres (spherical Earth is ample at these distances). */
function metres(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

// Points across Weifang: the city centre, the south-west and north-east corners of its extent, and the coast.
const weifang: Array<[number, number]> = [
  [119.1618, 36.7069],
  [118.2, 35.6],
  [120.0, 37.4],
  [119.4215, 36.4123],
  [118.9, 37.2],
];

describe('toWgs84', () => {
  it('leaves WGS84 alone', () => {
    expect(toWgs84([119.4215, 36.4123], 'wgs84')).toEqual([119.4215, 36.4123]);
  });

  it('undoes GCJ-02 and BD-09 to within half a metre across Weifang', () => {
    for (const wgs of weifang) {
      const gcj = gcoord.transform(wgs, gcoord.WGS84, gcoord.GCJ02) as [number, number];
      const bd = gcoord.transform(wgs, gcoord.WGS84, gcoord.BD09) as [number, number];
      expect(metres(toWgs84(gcj, 'gcj02'), wgs)).toBeLessThan(0.5);
      expect(metres(toWgs84(bd, 'bd09'), wgs)).toBeLessThan(0.5);
    }
  });

  it('matches a published WGS84 → GCJ-02 pair (Beijing, from the eviltransform test vectors) to within a metre', () => {
    const wgs: [number, number] = [116.377817, 39.911954];
    const gcj: [number, number] = [116.38404722455657, 39.91334545536069];
    expect(metres(toWgs84(gcj, 'gcj02'), wgs)).toBeLessThan(1);
  });

  it('removes a shift of the size GCJ-02 and BD-09 are known for in Weifang', () => {
    for (const wgs of weifang) {
      const gcj = gcoord.transform(wgs, gcoord.WGS84, gcoord.GCJ02) as [number, number];
      const bd = gcoord.transform(wgs, gcoord.WGS84, gcoord.BD09) as [number, number];
      // GCJ-02 moves points here roughly 0.005–0.0065° east and under 0.001° north or south: some 450–650 m.
      const back = toWgs84(gcj, 'gcj02');
      expect(gcj[0] - back[0]).toBeGreaterThan(0.005);
      expect(gcj[0] - back[0]).toBeLessThan(0.0065);
      expect(Math.abs(gcj[1] - back[1])).toBeLessThan(0.001);
      expect(metres(gcj, back)).toBeGreaterThan(450);
      expect(metres(gcj, back)).toBeLessThan(650);
      // BD-09 adds about 0.0065° east and 0.006° north on top of GCJ-02: over a kilometre in all.
      const fromBd = toWgs84(bd, 'bd09');
      expect(metres(bd, fromBd)).toBeGreaterThan(1000);
      expect(metres(bd, fromBd)).toBeLessThan(1700);
    }
  });
});

describe('parseCoordinateText', () => {
  const cases: Array<[string, number, number]> = [
    ['119.4215, 36.4123', 119.4215, 36.4123],
    ['119.4215 36.4123', 119.4215, 36.4123],
    ['36.4123 119.4215', 119.4215, 36.4123],
    ['36.4123,119.4215', 119.4215, 36.4123],
    ['N36.4123 E119.4215', 119.4215, 36.4123],
    ['36.4123N, 119.4215E', 119.4215, 36.4123],
    ['36.4123 n 119.4215 e', 119.4215, 36.4123],
    ['东经119.4215° 北纬36.4123°', 119.4215, 36.4123],
    ['北纬36.4123°，东经119.4215°', 119.4215, 36.4123],
    ['经度：119.4215 纬度：36.4123', 119.4215, 36.4123],
    ['lat: 36.4123, lng: 119.4215', 119.4215, 36.4123],
    ['Longitude 119.4215 Latitude 36.4123', 119.4215, 36.4123],
    [`119°25'17.4"E 36°24'44.3"N`, 119 + 25 / 60 + 17.4 / 3600, 36 + 24 / 60 + 44.3 / 3600],
    ['119°25′17.4″ 36°24′44.3″', 119 + 25 / 60 + 17.4 / 3600, 36 + 24 / 60 + 44.3 / 3600],
    ['119°25’17.4” 36°24’44.3”', 119 + 25 / 60 + 17.4 / 3600, 36 + 24 / 60 + 44.3 / 3600],
    ["119°25'17.4'' 36°24'44.3''", 119 + 25 / 60 + 17.4 / 3600, 36 + 24 / 60 + 44.3 / 3600],
    ['119度25分17.4秒，36度24分44.3秒', 119 + 25 / 60 + 17.4 / 3600, 36 + 24 / 60 + 44.3 / 3600],
    ['东经119度25分17.4秒 北纬36度24分44.3秒', 119 + 25 / 60 + 17.4 / 3600, 36 + 24 / 60 + 44.3 / 3600],
    ['N36°24′44.3″ E119°25′17.4″', 119 + 25 / 60 + 17.4 / 3600, 36 + 24 / 60 + 44.3 / 3600],
    ["119°25.29' 36°24.738'", 119 + 25.29 / 60, 36 + 24.738 / 60],
    ['119º25\'17.4"E 36º24\'44.3"N', 119 + 25 / 60 + 17.4 / 3600, 36 + 24 / 60 + 44.3 / 3600],
    ['１１９．４２１５，３６．４１２３', 119.4215, 36.4123],
    ['１１９°２５′１７．４″Ｅ　３６°２４′４４．３″Ｎ', 119 + 25 / 60 + 17.4 / 3600, 36 + 24 / 60 + 44.3 / 3600],
    ['  119.4215 ;36.4123  ', 119.4215, 36.4123],
    ['119°E 36°N', 119, 36],
  ];

  for (const [text, lon, lat] of cases) {
    it(`reads ${text}`, () => {
      const p = parseCoordinateText(text);
      expect(p.lon).toBeCloseTo(lon, 9);
      expect(p.lat).toBeCloseTo(lat, 9);
    });
  }

  it('is the reader the web’s coordinate box uses, to the centimetre', () => {
    for (const [text, lon, lat] of cases) {
      const p = parsePosition(text);
      expect(Array.isArray(p), text).toBe(true);
      const [x, y] = p as number[];
      expect(Math.abs(x! - lon), text).toBeLessThan(1e-7);
      expect(Math.abs(y! - lat), text).toBeLessThan(1e-7);
    }
  });

  it('reads southern and western hemispheres as negative', () => {
    expect(parseCoordinateText('33.9S 151.2E')).toEqual({ lon: 151.2, lat: -33.9 });
    expect(parseCoordinateText(`40°26'46"N 79°58'56"W`).lon).toBeCloseTo(-(79 + 58 / 60 + 56 / 3600), 9);
    expect(parseCoordinateText('-122.4194, 37.7749')).toEqual({ lon: -122.4194, lat: 37.7749 });
  });

  it('converts from GCJ-02 and BD-09 when told the text came from those maps', () => {
    const wgs: [number, number] = [119.1618, 36.7069];
    const gcj = gcoord.transform(wgs, gcoord.WGS84, gcoord.GCJ02) as [number, number];
    const bd = gcoord.transform(wgs, gcoord.WGS84, gcoord.BD09) as [number, number];
    const fromGcj = parseCoordinateText(`${gcj[0]}, ${gcj[1]}`, 'gcj02');
    const fromBd = parseCoordinateText(`${bd[1]} ${bd[0]}`, 'bd09');
    expect(metres([fromGcj.lon, fromGcj.lat], wgs)).toBeLessThan(0.5);
    expect(metres([fromBd.lon, fromBd.lat], wgs)).toBeLessThan(0.5);
    // Read as WGS84, the same text lands hundreds of metres away.
    const raw = parseCoordinateText(`${gcj[0]}, ${gcj[1]}`);
    expect(metres([raw.lon, raw.lat], wgs)).toBeGreaterThan(400);
  });

  const failures: Array<[string, RegExp]> = [
    ['', /请填写坐标/],
    ['   ', /请填写坐标/],
    ['abc', /无法识别坐标“abc”中的“abc”/],
    ['119.4215', /只读到 1 个数值/],
    ['119.4215, 36.4123, 12', /读到 3 个数值/],
    ['119 25 17.4 36 24 44.3', /读到 6 个数值.*度分秒/],
    ['36.4, 80.1', /无法判断哪个是经度/],
    ['119.4, 120.3', /两个数值都大于 90/],
    ['119.4E 120.3E', /两个数值都标为经度/],
    ['N36.4 N37.1', /两个数值都标为纬度/],
    ['181.2, 36.4', /经度 181.2 超出/],
    ['119.4E 95N', /纬度 95 超出/],
    [`119°75'E 36°24'N`, /分须在 0–60 之间/],
    [`119°25'61"E 36°24'N`, /秒须在 0–60 之间/],
    [`119.5°25'E 36°24'N`, /度数带小数时不能再有分秒/],
    [`119°25.5'10"E 36°24'N`, /分带小数时不能再有秒/],
    [`25' 36.4`, /缺少度数/],
    // The mark follows 36.4, so 119.4 must be the latitude: refused as out of range, not silently swapped.
    ['119.4 36.4 E', /纬度 119.4 超出/],
    ['E', /方位标记后缺少数值/],
    ['119.4215, 36.4123 approx', /无法识别/],
    ['119,4215 36,4123', /读到 4 个数值/],
  ];

  it('names the kind of mistake, for the web’s short messages', () => {
    const kind = (text: string) => {
      try {
        parseCoordinateText(text);
      } catch (e) {
        return (e as CoordinateTextError).problem;
      }
      return null;
    };
    expect(['', '119.4215', '36.4, 80.1', `119°75'E 36°24'N`, `119°25'61"E 36°24'N`, '181.2, 36.4', '119.4, 120.3'].map(kind)).toEqual([
      'empty',
      'format',
      'format',
      'minutes',
      'minutes',
      'range',
      'range',
    ]);
  });

  for (const [text, message] of failures) {
    it(`refuses ${JSON.stringify(text)} with a message saying why`, () => {
      let error: unknown;
      try {
        parseCoordinateText(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CoordinateTextError);
      const e = error as CoordinateTextError;
      expect([e.status, e.code]).toEqual([400, 'invalid_coordinate']);
      expect(e.message).toMatch(message);
      // The web shows a short message by kind; whatever the server refuses, the web refuses too.
      expect(parsePosition(text)).toBe(e.problem);
    });
  }
});
