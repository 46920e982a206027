import { unzipSync } from 'fflate';
import { TrackBuilder, type ExpectedDates } from './builder.ts';
import { trackError } from './errors.ts';
import { isGeoJson, parseJson, readGeoJson } from './geojson.ts';
import { readGpx } from './gpx.ts';
import { readKml } from './kml.ts';
import { formatMb, resolveLimits, type TrackLimits } from './limits.ts';
import { assertXmlPointCount } from './scan.ts';
import { decodeText } from './text.ts';
import type { CoordinateSystem, ParsedTracks, TrackLocation } from './types.ts';
import { parseXml } from './xml.ts';

export { TrackParseError, type TrackErrorCode } from './errors.ts';
export { assertUploadSize, DEFAULT_EXTENT, DEFAULT_MAX_POINTS, type TrackLimits } from './limits.ts';
export { checkpointsToFeatures, toMultiLineString, toTrackImport, type CheckpointProperties, type TrackImport } from './output.ts';
export type { ExpectedDates } from './builder.ts';
export type { Checkpoint, CoordinateSystem, Extent, ParsedTrack, ParsedTracks, TrackLocation, TrackPoint, TrackWarning } from './types.ts';

export interface TrackFileInput {
  fileName: string;
  bytes: Uint8Array;
  /** The datum the app recorded in; GCJ-02 (火星坐标) and BD-09 are converted to WGS84, which is all that is stored. */
  coordinateSystem?: CoordinateSystem;
  /** The inspection's dates: point times more than a day outside them are flagged for the officer to check. */
  expectedDates?: ExpectedDates | null;
}

const SUPPORTED = '仅支持 GPX、KML、KMZ 和 GeoJSON 轨迹文件';

/** Parses an uploaded GPX, KML, KMZ or GeoJSON track file (format read from the content) into validated WGS84 tracks. */
export function parseTrackFile(input: TrackFileInput, limits?: TrackLimits): ParsedTracks {
  const resolved = resolveLimits(limits);
  const file: TrackLocation = { file: input.fileName };
  const bytes = input.bytes;
  if (bytes.byteLength === 0) throw trackError(422, 'empty_track', file, '是空文件');

  let text: string;
  let entry: string | undefined;
  let encodingNote: string | null;
  let kmz = false;
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    const unpacked = unpackKmz(bytes, file, resolved.maxUnpackedMb);
    entry = unpacked.entry;
    kmz = true;
    ({ text, note: encodingNote } = decodeText(unpacked.bytes));
  } else {
    // Garmin devices also record FIT, a binary format marked by `.FIT` at byte 8; officers need to be told what to export.
    if (bytes.byteLength >= 12 && String.fromCharCode(...bytes.subarray(8, 12)) === '.FIT') {
      throw trackError(422, 'unsupported_format', file, `是 Garmin FIT 文件，请在设备或 Garmin Connect 中导出为 GPX。${SUPPORTED}`);
    }
    ({ text, note: encodingNote } = decodeText(bytes));
  }
  const location: TrackLocation = entry ? { ...file, entry } : file;

  const builder = (sourceText?: string) =>
    new TrackBuilder({
      file: input.fileName,
      entry,
      text: sourceText,
      extent: resolved.extent,
      maxPoints: resolved.maxPoints,
      coordinateSystem: input.coordinateSystem ?? 'wgs84',
      expectedDates: input.expectedDates ?? null,
    });

  const start = text.search(/\S/);
  const first = start === -1 ? '' : text[start];
  if (first === '<') {
    const rootName = sniffRootElement(text);
    const isGpx = rootName === 'gpx';
    const isKml = rootName === 'kml' || rootName === 'document' || rootName === 'folder' || rootName === 'placemark';
    if (!isGpx && !isKml) {
      throw trackError(422, 'unsupported_format', location, `的根元素是 <${rootName ?? '?'}>，不是 GPX 或 KML。${SUPPORTED}`);
    }
    assertXmlPointCount(text, resolved.maxPoints, location);
    const xml = parseXml(text, location);
    const tracks = builder(xml.text);
    if (encodingNote) tracks.warn('encoding', {}, encodingNote);
    if (xml.root.name === 'gpx') readGpx(xml.root, tracks);
    else readKml(xml.root, tracks, xml.text);
    return tracks.finish(xml.root.name === 'gpx' ? 'gpx' : kmz ? 'kmz' : 'kml');
  }
  if ((first === '{' || first === '[') && !kmz) {
    const json = parseJson(text, location);
    if (!isGeoJson(json)) {
      throw trackError(422, 'unsupported_format', location, `是 JSON，但不是 GeoJSON（顶层须为 FeatureCollection、Feature 或几何对象）。${SUPPORTED}`);
    }
    const tracks = builder();
    if (encodingNote) tracks.warn('encoding', {}, encodingNote);
    readGeoJson(json, tracks);
    return tracks.finish('geojson');
  }
  if (start === -1) throw trackError(422, 'empty_track', location, '是空文件');
  throw trackError(422, 'unsupported_format', location, `的格式无法识别。${SUPPORTED}`);
}

/** Local name of the first element, past the XML declaration, comments and DOCTYPE; decides GPX vs KML vs other XML. */
function sniffRootElement(text: string): string | null {
  const pattern = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>|<([A-Za-z_][\w.:-]*)/gi;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[1] !== undefined) {
      const name = match[1];
      return name.slice(name.lastIndexOf(':') + 1).toLowerCase();
    }
  }
  return null;
}

/** The KML inside a KMZ: `doc.kml` at the root if present, else the first `.kml` entry, as KMZ readers do. */
function unpackKmz(bytes: Uint8Array, file: TrackLocation, maxUnpackedMb: number): { entry: string; bytes: Uint8Array } {
  const names: Array<{ name: string; originalSize: number }> = [];
  try {
    // Reading the directory only (filter returns false) costs no decompression.
    unzipSync(bytes, {
      filter: (info) => {
        names.push({ name: info.name, originalSize: info.originalSize });
        return false;
      },
    });
  } catch {
    throw trackError(422, 'malformed_file', file, '是 ZIP/KMZ 压缩包，但已损坏，无法读取');
  }
  // macOS archives carry `__MACOSX/._doc.kml` resource forks, which are not KML.
  const candidates = names.filter(({ name }) => /\.kml$/i.test(name) && !/(^|\/)__MACOSX\//.test(name) && !/(^|\/)\._/.test(name));
  const chosen = candidates.find(({ name }) => name.toLowerCase() === 'doc.kml') ?? candidates[0];
  if (!chosen) throw trackError(422, 'unsupported_format', file, `是 ZIP 压缩包，但其中没有 .kml 文件。${SUPPORTED}`);
  const located = { ...file, entry: chosen.name };
  const maxBytes = maxUnpackedMb * 1024 * 1024;
  if (chosen.originalSize > maxBytes) {
    throw trackError(413, 'file_too_large', located, `解压后为 ${formatMb(chosen.originalSize)} MB，超过上限 ${maxUnpackedMb} MB`);
  }
  let unpacked: Uint8Array | undefined;
  try {
    unpacked = unzipSync(bytes, { filter: (info) => info.name === chosen.name })[chosen.name];
  } catch {
    throw trackError(422, 'malformed_file', located, '无法解压（压缩包已损坏或使用了不支持的压缩方式）');
  }
  if (!unpacked) throw trackError(422, 'malformed_file', located, '无法解压（压缩包已损坏）');
  if (unpacked.byteLength > maxBytes) {
    throw trackError(413, 'file_too_large', located, `解压后超过上限 ${maxUnpackedMb} MB`);
  }
  if (unpacked.byteLength === 0) throw trackError(422, 'empty_track', located, '是空文件');
  return { entry: chosen.name, bytes: unpacked };
}
