import type { TrackBuilder, Where } from './builder.ts';
import { plainText } from './names.ts';
import type { TrackPoint } from './types.ts';
import { childNamed, childrenNamed, childText, type XNode } from './xml.ts';

/** Reads a GPX 1.0 or 1.1 document (any namespace prefix): tracks, routes, and waypoints as checkpoints. */
export function readGpx(root: XNode, builder: TrackBuilder): void {
  let trackNumber = 0;
  let routeNumber = 0;
  let checkpointNumber = 0;
  // Document order, so the numbers in messages match what the officer counts in the file.
  for (const node of root.children) {
    if (node.name === 'wpt') {
      checkpointNumber++;
      const point = readPoint(node, builder, { checkpoint: checkpointNumber, offset: node.start });
      builder.addCheckpoint(plainText(childText(node, 'name'), 200), note(node), point);
    } else if (node.name === 'trk') {
      trackNumber++;
      builder.sawLine();
      const where: Where = { track: trackNumber, offset: node.start };
      const segmentNodes = childrenNamed(node, 'trkseg');
      // A few loggers put trkpt straight under trk; read them as one segment.
      const loose = childrenNamed(node, 'trkpt');
      const groups = loose.length > 0 ? [...segmentNodes.map((s) => childrenNamed(s, 'trkpt')), loose] : segmentNodes.map((s) => childrenNamed(s, 'trkpt'));
      const offsets = [...segmentNodes.map((s) => s.start), ...(loose.length > 0 ? [loose[0].start] : [])];
      const segments = groups.map((points, s) => points.map((p, i) => readPoint(p, builder, { ...where, segment: s + 1, index: i + 1, offset: p.start })));
      builder.addTrack(plainText(childText(node, 'name'), 200), 'track', segments, where, offsets);
    } else if (node.name === 'rte') {
      routeNumber++;
      builder.sawLine();
      const where: Where = { route: routeNumber, offset: node.start };
      const points = childrenNamed(node, 'rtept').map((p, i) => readPoint(p, builder, { ...where, index: i + 1, offset: p.start }));
      builder.addTrack(plainText(childText(node, 'name'), 200), 'route', [points], where);
    }
  }
}

function readPoint(node: XNode, builder: TrackBuilder, where: Where): TrackPoint {
  return builder.point({ lon: node.attrs.lon, lat: node.attrs.lat, ele: childNamed(node, 'ele')?.text, time: childText(node, 'time') }, where);
}

function note(node: XNode): string | null {
  const parts = [childText(node, 'desc'), childText(node, 'cmt')].filter((p): p is string => p !== null);
  return plainText([...new Set(parts)].join('\n') || null, 2000);
}
