/** One recorded position, always WGS84 after parsing. */
export interface TrackPoint {
  lon: number;
  lat: number;
  ele: number | null;
  /** ISO 8601 UTC (`2026-05-12T00:30:00.000Z`), or null when the file has no time for the point. */
  time: string | null;
}

/** A line from the file: a GPX track or route, a KML Placemark's lines, a GeoJSON line feature. */
export interface ParsedTrack {
  name: string | null;
  source: 'track' | 'route' | 'linestring';
  /** Each segment has at least two distinct positions (shorter ones are dropped with a warning). */
  segments: TrackPoint[][];
}

/** A waypoint (GPX wpt, KML Point Placemark, GeoJSON Point) kept as an inspection checkpoint. */
export interface Checkpoint {
  name: string | null;
  note: string | null;
  lon: number;
  lat: number;
  ele: number | null;
  time: string | null;
}

/** Where in an uploaded file something was found; numbers are 1-based, as in the message. */
export interface TrackLocation {
  /** The uploaded file's name. */
  file: string;
  /** For a KMZ: the KML entry inside the archive that was read. */
  entry?: string;
  /** n-th track (GPX trk, KML Placemark with lines, GeoJSON line feature). */
  track?: number;
  /** n-th GPX route (rte). */
  route?: number;
  segment?: number;
  /** n-th point within the segment. */
  index?: number;
  /** n-th checkpoint (GPX wpt, KML Point, GeoJSON Point). */
  checkpoint?: number;
  /** Line in the (decoded) file, for XML formats. */
  line?: number;
  column?: number;
  /** JSON path, for GeoJSON, e.g. `features[3].geometry.coordinates[12]`. */
  path?: string;
}

export interface TrackWarning {
  code: string;
  message: string;
  location: TrackLocation;
}

/** What a track file yields, ready to be validated and stored as WGS84. */
export interface ParsedTracks {
  format: 'gpx' | 'kml' | 'kmz' | 'geojson';
  tracks: ParsedTrack[];
  checkpoints: Checkpoint[];
  /** Track points kept (the vertices that will be stored); checkpoints are not counted. */
  pointCount: number;
  /** Earliest and latest time among the kept track points; null when none has a time. */
  timeRange: { start: string; end: string } | null;
  warnings: TrackWarning[];
}

export type CoordinateSystem = 'wgs84' | 'gcj02' | 'bd09';

export interface Extent {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}
