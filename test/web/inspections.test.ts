import { describe, expect, it } from 'vitest';
import { isMessageKey, translate } from '../../web/src/lib/i18n/messages.ts';
import { checkInspection, emptyForm, formFromDetail, toInput, toPatch, type InspectionForm } from '../../web/src/lib/inspections/checks.ts';
import { inspectionsQuery, removeTrackPath } from '../../web/src/lib/inspections/inspections-api.ts';
import {
  coordinatesBbox,
  inspectionOverlay,
  INSPECTION_LAYER,
  INSPECTION_SOURCE,
  PREVIEW_LAYER,
  PREVIEW_SOURCE,
  previewTrackCollection,
  trackPreviewOverlay,
} from '../../web/src/lib/inspections/inspection-style.ts';
import { COORDINATE_SYSTEMS, INSPECTION_STATUSES, type InspectionDetail } from '../../web/src/lib/inspections/types.ts';

const saved: InspectionDetail = {
  id: 7,
  title: '峡山湖联合检查',
  status: 'planned',
  plannedStart: '2026-05-12',
  plannedEnd: '2026-05-12',
  actualStart: null,
  actualEnd: null,
  leadDepartmentId: 1,
  departments: [
    { id: 1, code: 'eco', nameZh: '生态环境局', nameEn: 'Ecology' },
    { id: 2, code: 'nr', nameZh: '自然资源局', nameEn: 'Natural resources' },
  ],
  joint: true,
  areaCodes: ['WF-PA-15'],
  trackCount: 0,
  checkpointCount: 0,
  summary: null,
  version: 3,
  updatedAt: '2026-05-01T00:00:00Z',
  members: [{ name: '张三', userId: null, departmentId: 1 }],
  tracks: { type: 'FeatureCollection', features: [] },
  checkpoints: { type: 'FeatureCollection', features: [] },
};

const filled = (over: Partial<InspectionForm> = {}): InspectionForm => ({ ...formFromDetail(saved), ...over });

describe('inspection form checks', () => {
  it('starts a new inspection led by the person’s own department', () => {
    expect(emptyForm(4)).toMatchObject({ status: 'planned', leadDepartmentId: 4, departmentIds: [4], members: [], areaCodes: [] });
    expect(emptyForm(null)).toMatchObject({ leadDepartmentId: null, departmentIds: [] });
  });

  it('accepts a complete form', () => {
    expect(checkInspection(filled(), 1)).toEqual({});
  });

  it('names each problem with a message in the catalogue', () => {
    const problems = checkInspection(filled({ title: '  ', leadDepartmentId: null, members: [{ name: '', departmentId: null, userId: null }] }), 1);
    expect(problems).toEqual({ title: 'inspection.check.title', leadDepartmentId: 'inspection.check.lead', members: 'inspection.check.memberName' });
    for (const key of Object.values(problems)) expect(isMessageKey(key!)).toBe(true);
  });

  it('needs the lead among the departments, and the person’s department among them', () => {
    expect(checkInspection(filled({ leadDepartmentId: 3 }), 1)).toEqual({ departmentIds: 'inspection.check.leadIncluded' });
    expect(checkInspection(filled(), 9)).toEqual({ departmentIds: 'inspection.check.notParticipant' });
    expect(checkInspection(filled(), null)).toEqual({ departmentIds: 'inspection.check.notParticipant' });
  });

  it('needs actual dates for a completed inspection, and ends not before starts', () => {
    expect(checkInspection(filled({ status: 'completed' }), 1)).toEqual({ actualStart: 'inspection.check.completedDates' });
    expect(checkInspection(filled({ status: 'completed', actualStart: '2026-05-12' }), 1)).toEqual({ actualEnd: 'inspection.check.completedDates' });
    expect(checkInspection(filled({ actualStart: '2026-05-12', actualEnd: '2026-05-11' }), 1)).toEqual({ actualEnd: 'inspection.check.endBeforeStart' });
    expect(checkInspection(filled({ plannedStart: '2026-05-12', plannedEnd: '2026-05-01' }), 1)).toEqual({ plannedEnd: 'inspection.check.endBeforeStart' });
  });

  it('sends blanks as null and trims text', () => {
    expect(toInput(filled({ title: ' 复查 ', summary: '  ', plannedStart: '' }))).toMatchObject({ title: '复查', summary: null, plannedStart: null });
  });

  it('patches only what changed, with the version it was read at', () => {
    expect(toPatch(saved, filled())).toEqual({ version: 3 });
    expect(toPatch(saved, filled({ status: 'completed', actualStart: '2026-05-12', actualEnd: '2026-05-12' }))).toEqual({
      version: 3,
      status: 'completed',
      actualStart: '2026-05-12',
      actualEnd: '2026-05-12',
    });
    // The same departments in another order are no change.
    expect(toPatch(saved, filled({ departmentIds: [2, 1] }))).toEqual({ version: 3 });
    expect(toPatch(saved, filled({ areaCodes: ['WF-PA-15', 'WF-PA-24'] }))).toEqual({ version: 3, areaCodes: ['WF-PA-15', 'WF-PA-24'] });
    expect(toPatch(saved, filled({ members: [] }))).toEqual({ version: 3, members: [] });
  });
});

describe('inspection list query and map', () => {
  it('sends only the filters that are set', () => {
    expect(inspectionsQuery({ status: '', area: '', department: null, from: '', to: '' })).toBe('');
    expect(inspectionsQuery({ status: 'completed', area: 'WF-PA-15', department: 2, from: '2026-04-01', to: '2026-06-30' })).toBe(
      '?status=completed&area=WF-PA-15&department=2&from=2026-04-01&to=2026-06-30',
    );
  });

  it('frames tracks and checkpoints by their bounding box', () => {
    expect(coordinatesBbox([])).toBeNull();
    expect(coordinatesBbox([[119.1, 36.5], [119.3, 36.2, 12], [119.2, 36.9]])).toEqual([119.1, 36.2, 119.3, 36.9]);
  });

  it('draws an inspection’s tracks over a casing, checkpoints on top', () => {
    const overlay = inspectionOverlay();
    expect(overlay.sources).toEqual([INSPECTION_SOURCE.tracks, INSPECTION_SOURCE.checkpoints]);
    expect(overlay.layers.map((l) => l.type)).toEqual(['line', 'line', 'circle']);
  });

  it('draws a track preview dashed, in its own sources and layers, so it never passes for a stored track', () => {
    const overlay = trackPreviewOverlay();
    expect(overlay.sources).toEqual([PREVIEW_SOURCE.tracks, PREVIEW_SOURCE.checkpoints]);
    expect(overlay.layers.find((l) => l.id === PREVIEW_LAYER.track)).toMatchObject({
      type: 'line',
      source: PREVIEW_SOURCE.tracks,
      paint: { 'line-dasharray': expect.any(Array) },
    });
    const stored = new Set<string>([...Object.values(INSPECTION_SOURCE), ...Object.values(INSPECTION_LAYER)]);
    for (const id of [...overlay.sources, ...overlay.layers.map((l) => l.id)]) expect(stored.has(id), id).toBe(false);
  });

  it('turns a preview’s lines into a collection, empty for a file of waypoints only', () => {
    expect(previewTrackCollection(null).features).toEqual([]);
    const lines = { type: 'MultiLineString' as const, coordinates: [[[119.1, 36.5], [119.2, 36.6]]] };
    expect(previewTrackCollection(lines).features).toEqual([{ type: 'Feature', geometry: lines, properties: {} }]);
  });

  it('names every track format the server reads', () => {
    for (const f of ['gpx', 'kml', 'kmz', 'geojson']) expect(isMessageKey(`track.format.${f}`), f).toBe(true);
  });

  it('offers WGS84 first and names every status and coordinate system', () => {
    expect(COORDINATE_SYSTEMS[0]).toBe('wgs84');
    for (const s of INSPECTION_STATUSES) expect(isMessageKey(`inspection.status.${s}`), s).toBe(true);
    for (const c of COORDINATE_SYSTEMS) expect(isMessageKey(`track.crs.${c}`), c).toBe(true);
  });

  it('removes a track at the inspection version read, and names the file in both languages', () => {
    expect(removeTrackPath(7, 12, 3)).toBe('/api/inspections/7/tracks/12?version=3');
    expect(translate('zh-CN', 'inspection.removeTrackBody', { file: 'a.gpx' })).toMatch(/^确定删除轨迹 a\.gpx 及随其导入的航点吗？/);
    expect(translate('en', 'inspection.removeTrackBody', { file: 'a.gpx' })).toMatch(/^Remove track a\.gpx and the checkpoints/);
    expect(translate('en', 'inspection.trackRemoved', { file: 'a.gpx' })).toBe('Track a.gpx removed.');
    for (const code of ['duplicate_file', 'server_busy']) expect(translate('en', `error.code.${code}` as never)).not.toBe(`error.code.${code}`);
  });
});
