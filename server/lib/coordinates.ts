/**
 * Reading a point that an officer typed or pasted: decimal degrees, degrees-minutes(-seconds), Chinese
 * or Latin hemisphere marks, full-width punctuation, and GCJ-02/BD-09 values copied from 高德, 腾讯 or
 * 百度 maps. Only WGS84 leaves this module; the others are converted at the edge and never stored.
 * The one reader of coordinate text: the web's coordinate box imports this module too, so it must
 * import nothing from the server (a server caller answers a CoordinateTextError as a 400 with its
 * `code` and `message`).
 */
import gcoord from 'gcoord';

export type InputCoordinateSystem = 'wgs84' | 'gcj02' | 'bd09';

/** What kind of mistake made the text unreadable, for a short message in either language. */
export type CoordinateTextProblem = 'empty' | 'format' | 'minutes' | 'range';

/** Text that is not a readable point; `message` says exactly what could not be read (zh-CN). */
export class CoordinateTextError extends Error {
  readonly status = 400;
  readonly code = 'invalid_coordinate';
  constructor(
    message: string,
    readonly problem: CoordinateTextProblem = 'format',
  ) {
    super(message);
    this.name = 'CoordinateTextError';
  }
}

/** Converts one position to WGS84 from the system it was read in. */
export function toWgs84(position: readonly [number, number], system: InputCoordinateSystem): [number, number] {
  if (system === 'wgs84') return [position[0], position[1]];
  const from = system === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
  const [lon, lat] = gcoord.transform([position[0], position[1]], from, gcoord.WGS84) as [number, number];
  return [lon, lat];
}

type Hemisphere = 'N' | 'S' | 'E' | 'W';
type Axis = 'lon' | 'lat';

interface Component {
  /** The text it came from, for messages. */
  source: string;
  value: number;
  axis: Axis | null;
  negative: boolean;
}

/** Folds the many ways of writing the marks onto ASCII: ° ' " N S E W (either case), and LON:/LAT: labels. */
function normalise(text: string): string {
  let s = text
    // Marks NFKC would mangle (º becomes the letter o, ´ a combining accent, ″ two primes) go first.
    .replace(/[º˚]/g, '°')
    .replace(/[″“”]/g, '"')
    .replace(/[′’‘`´]/g, "'")
    .normalize('NFKC')
    .replace(/''/g, '"')
    .replace(/经度/g, ' LON: ')
    .replace(/纬度/g, ' LAT: ')
    .replace(/度/g, '°')
    .replace(/分/g, "'")
    .replace(/秒/g, '"')
    .replace(/东经|東經|东/g, ' E ')
    .replace(/西经|西經|西/g, ' W ')
    .replace(/北纬|北緯|北/g, ' N ')
    .replace(/南纬|南緯|南/g, ' S ')
    .replace(/[、，；;|/]/g, ',')
    .replace(/[−–—]/g, '-');
  // Latin labels in any case; letters keep their case so a message can quote what was typed.
  s = s.replace(/\b(?:longitude|lng|lon)\b/gi, ' LON: ').replace(/\b(?:latitude|lat)\b/gi, ' LAT: ');
  return s;
}

const tokenPattern = /\s+|,|:|LON|LAT|[NSEW]|[+-]?\d+(?:\.\d+)?|\.\d+|°|'|"/iy;

type Token =
  | { kind: 'number'; text: string; value: number }
  | { kind: 'unit'; unit: '°' | "'" | '"' }
  | { kind: 'hemisphere'; hemisphere: Hemisphere }
  | { kind: 'axis'; axis: Axis }
  | { kind: 'separator' };

function tokenise(normalised: string, original: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < normalised.length) {
    const at = tokenPattern.lastIndex;
    const m = tokenPattern.exec(normalised);
    if (!m) {
      const bad = normalised.slice(at).trim().split(/\s/)[0];
      throw new CoordinateTextError(`无法识别坐标“${original.trim()}”中的“${bad}”：请输入经纬度数值，例如 119.4215, 36.4123 或 119°25'17.4"E 36°24'44.3"N`);
    }
    const t = m[0].toUpperCase();
    if (/^\s+$|^,$|^:$/.test(t)) tokens.push({ kind: 'separator' });
    else if (t === 'LON' || t === 'LAT') tokens.push({ kind: 'axis', axis: t === 'LON' ? 'lon' : 'lat' });
    else if (/^[NSEW]$/.test(t)) tokens.push({ kind: 'hemisphere', hemisphere: t as Hemisphere });
    else if (t === '°' || t === "'" || t === '"') tokens.push({ kind: 'unit', unit: t });
    else tokens.push({ kind: 'number', text: t, value: Number(t) });
  }
  return tokens;
}

const axisOf: Record<Hemisphere, Axis> = { N: 'lat', S: 'lat', E: 'lon', W: 'lon' };

/**
 * Groups tokens into components: [marks] degrees [° [minutes ' [seconds "]]] [marks]. Whether marks
 * precede or follow the numbers is decided once, by whether the text starts with one, so "E 119 N 36"
 * and "119 E 36 N" both read right.
 */
function components(tokens: Token[], original: string): Component[] {
  const significant = tokens.filter((t) => t.kind !== 'separator');
  const marksFirst = significant.length > 0 && (significant[0].kind === 'hemisphere' || significant[0].kind === 'axis');
  const result: Component[] = [];
  let pendingMarks: Array<Extract<Token, { kind: 'hemisphere' | 'axis' }>> = [];
  let i = 0;
  const quoted = `“${original.trim()}”`;

  const applyMark = (c: Component, mark: Extract<Token, { kind: 'hemisphere' | 'axis' }>) => {
    const axis = mark.kind === 'axis' ? mark.axis : axisOf[mark.hemisphere];
    if (c.axis !== null && c.axis !== axis) throw new CoordinateTextError(`坐标${quoted}中“${c.source}”同时标为经度和纬度`);
    c.axis = axis;
    if (mark.kind === 'hemisphere' && (mark.hemisphere === 'S' || mark.hemisphere === 'W')) c.negative = true;
  };

  while (i < tokens.length) {
    const token = tokens[i];
    if (token.kind === 'separator') {
      i++;
      continue;
    }
    if (token.kind === 'hemisphere' || token.kind === 'axis') {
      if (marksFirst) pendingMarks.push(token);
      else {
        const last = result[result.length - 1];
        if (!last) throw new CoordinateTextError(`坐标${quoted}的方位标记位置不对`);
        applyMark(last, token);
      }
      i++;
      continue;
    }
    if (token.kind === 'unit') throw new CoordinateTextError(`坐标${quoted}中“${token.unit}”前缺少数值`);

    // A number starts a component; read its degrees, minutes and seconds.
    const parts: Array<{ value: number; text: string; unit: '°' | "'" | '"' | null }> = [];
    let j = i;
    while (j < tokens.length) {
      const t = tokens[j];
      if (t.kind !== 'number') break;
      const next = tokens[j + 1];
      const unit = next?.kind === 'unit' ? next.unit : null;
      // A bare number after degrees is the next component, unless it is marked as minutes or seconds.
      if (parts.length > 0 && unit === null) break;
      if (parts.length > 0 && unit === '°') break;
      parts.push({ value: t.value, text: t.text, unit });
      j += unit ? 2 : 1;
      if (unit === null || unit === '"') break;
    }
    i = j;
    const source = parts.map((p) => `${p.text}${p.unit ?? ''}`).join('');
    const c: Component = { source, value: dmsValue(parts, quoted, source), axis: null, negative: false };
    if (c.value < 0) {
      c.value = -c.value;
      c.negative = true;
    }
    for (const mark of pendingMarks) applyMark(c, mark);
    pendingMarks = [];
    result.push(c);
  }
  if (pendingMarks.length) throw new CoordinateTextError(`坐标${quoted}的方位标记后缺少数值`);
  return result;
}

function dmsValue(parts: Array<{ value: number; text: string; unit: string | null }>, quoted: string, source: string): number {
  const [first, ...rest] = parts;
  if (rest.length === 0) {
    if (first.unit === "'" || first.unit === '"') throw new CoordinateTextError(`坐标${quoted}中“${source}”缺少度数`);
    return first.value;
  }
  if (first.unit !== '°') throw new CoordinateTextError(`坐标${quoted}中“${source}”缺少度数`);
  if (first.text.includes('.')) throw new CoordinateTextError(`坐标${quoted}中“${source}”的度数带小数时不能再有分秒`);
  const degrees = Math.abs(first.value);
  const sign = first.value < 0 || first.text.startsWith('-') ? -1 : 1;
  let total = degrees;
  const [minutes, seconds] = rest;
  if (minutes.unit !== "'") throw new CoordinateTextError(`坐标${quoted}中“${source}”的分须用 ′ 或“分”标明`, 'minutes');
  if (minutes.value < 0 || minutes.value >= 60) throw new CoordinateTextError(`坐标${quoted}中“${source}”的分须在 0–60 之间`, 'minutes');
  total += minutes.value / 60;
  if (seconds) {
    if (minutes.text.includes('.')) throw new CoordinateTextError(`坐标${quoted}中“${source}”的分带小数时不能再有秒`, 'minutes');
    if (seconds.value < 0 || seconds.value >= 60) throw new CoordinateTextError(`坐标${quoted}中“${source}”的秒须在 0–60 之间`, 'minutes');
    total += seconds.value / 3600;
  }
  return sign * total;
}

/**
 * Reads a point from text and returns it in WGS84. Axis order comes from hemisphere marks or labels
 * when present; otherwise a first value above 90 must be the longitude (Weifang lies near 119°E,
 * 36.5°N), and a pair with both values at most 90 is refused as ambiguous.
 */
export function parseCoordinateText(text: string, system: InputCoordinateSystem = 'wgs84'): { lon: number; lat: number } {
  if (typeof text !== 'string' || text.trim() === '') throw new CoordinateTextError('请填写坐标，例如 119.4215, 36.4123', 'empty');
  const quoted = `“${text.trim()}”`;
  const found = components(tokenise(normalise(text), text), text);
  if (found.length !== 2) {
    throw new CoordinateTextError(
      found.length < 2
        ? `坐标${quoted}中只读到 ${found.length} 个数值，须同时给出经度和纬度`
        : `坐标${quoted}中读到 ${found.length} 个数值，无法确定哪两个是经纬度；度分秒请用 ° ′ ″ 或“度分秒”标明`,
    );
  }
  const [a, b] = found;
  if (a.axis !== null && b.axis === null) b.axis = a.axis === 'lon' ? 'lat' : 'lon';
  if (b.axis !== null && a.axis === null) a.axis = b.axis === 'lon' ? 'lat' : 'lon';
  if (a.axis === null && b.axis === null) {
    if (a.value > 90 && b.value <= 90) [a.axis, b.axis] = ['lon', 'lat'];
    else if (b.value > 90 && a.value <= 90) [a.axis, b.axis] = ['lat', 'lon'];
    else if (a.value > 90 && b.value > 90) throw new CoordinateTextError(`坐标${quoted}中两个数值都大于 90，其中应有一个是纬度`, 'range');
    else throw new CoordinateTextError(`坐标${quoted}无法判断哪个是经度：请标明 E/N 或“东经/北纬”`);
  }
  if (a.axis === b.axis) throw new CoordinateTextError(`坐标${quoted}中两个数值都标为${a.axis === 'lon' ? '经度' : '纬度'}`);
  const lonPart = a.axis === 'lon' ? a : b;
  const latPart = a.axis === 'lon' ? b : a;
  const lon = lonPart.negative ? -lonPart.value : lonPart.value;
  const lat = latPart.negative ? -latPart.value : latPart.value;
  if (!(lon >= -180 && lon <= 180)) throw new CoordinateTextError(`坐标${quoted}的经度 ${lon} 超出 −180 到 180 的范围`, 'range');
  if (!(lat >= -90 && lat <= 90)) throw new CoordinateTextError(`坐标${quoted}的纬度 ${lat} 超出 −90 到 90 的范围`, 'range');
  const [x, y] = toWgs84([lon, lat], system);
  return { lon: x, lat: y };
}
