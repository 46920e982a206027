/** Pure logic of the findings pages: the list's query and address, typed coordinates, the map's style and the actions' forms. */
import type { ExpressionSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { closeRing, formatGeometry, parseCoordinates, parsePosition } from '../../web/src/lib/findings/coordinates.ts';
import { actionBodies, actionNames } from '../../server/features/findings/workflow.ts';
import { citedAttachments, extensionBase, pendingExtension, personName, runningDeadline } from '../../web/src/lib/findings/chain-record.ts';
import { findingsQuery, findingsSearch, parseFindingsSearch } from '../../web/src/lib/findings/findings-api.ts';
import { recheckDue } from '../../web/src/lib/findings/findings.svelte.ts';
import { eventDetails } from '../../web/src/lib/findings/timeline.ts';
import { isMessageKey, translate } from '../../web/src/lib/i18n/messages.ts';
import {
  FINDINGS_LAYER,
  FINDINGS_SOURCE,
  findingMarkers,
  findingShapes,
  findingsOverlay,
  geometryBbox,
  markerPosition,
  ORIGINAL_COLOR,
  ORIGINAL_SOURCE,
  originalShapeOverlay,
  OVERDUE_COLOR,
  RECHECK_COLOR,
  RECHECK_LAYER,
  RECHECK_SOURCE,
  recheckOverlay,
  SHAPE_COLOR,
  shapeFeatures,
  STATE_COLORS,
  stateColorExpression,
} from '../../web/src/lib/findings/findings-style.ts';
import { today } from '../../server/lib/clock.ts';
import {
  ACTION_FIELDS,
  actionBody,
  actionProblems,
  addDays,
  FINDING_ACTIONS,
  initialValues,
  offeredActions,
  planMeasures,
  visibleFields,
  type ActionContext,
} from '../../web/src/lib/findings/steps.ts';
import { FINDING_STATES, MEASURES, type FindingCollection, type FindingEvent, type FindingFilters, type FindingRule, type Task } from '../../web/src/lib/findings/types.ts';
import { parseRoute, routePath } from '../../web/src/lib/router/route.ts';

const noFilters: FindingFilters = { states: [], category: '', area: '', county: '', department: null, overdue: false, escalated: false, q: '' };

describe('the findings query', () => {
  it('is empty without filters and names only what is set', () => {
    expect(findingsQuery(noFilters)).toBe('');
    expect(findingsQuery({ ...noFilters, states: ['clue', 'verifying'], area: 'WF-PA-15', department: 7, overdue: true, q: '  采砂 ' })).toBe(
      '?state=clue%2Cverifying&area=WF-PA-15&department=7&overdue=1&q=%E9%87%87%E7%A0%82',
    );
  });

  it('adds sort, paging and the GeoJSON format, leaving the default sort out', () => {
    expect(findingsQuery(noFilters, { sort: 'newest', limit: 50 })).toBe('?limit=50');
    expect(findingsQuery({ ...noFilters, escalated: true }, { sort: 'overdue_first', limit: 50, cursor: 'abc' })).toBe('?escalated=1&sort=overdue_first&limit=50&cursor=abc');
    expect(findingsQuery(noFilters, { limit: 500, format: 'geojson' })).toBe('?limit=500&format=geojson');
  });

  it('cuts the search text to the 100 characters the server accepts', () => {
    const q = new URLSearchParams(findingsQuery({ ...noFilters, q: 'x'.repeat(150) })).get('q');
    expect(q).toHaveLength(100);
  });
});

describe('typed coordinates', () => {
  it('reads decimal degrees, longitude first, with comma, space or Chinese comma', () => {
    expect(parsePosition('119.123456, 36.654321')).toEqual([119.123456, 36.654321]);
    expect(parsePosition('119.123456 36.654321')).toEqual([119.123456, 36.654321]);
    expect(parsePosition('119.5，36.5')).toEqual([119.5, 36.5]);
  });

  it('reads full-width digits and marks as typed with a Chinese input method', () => {
    expect(parsePosition('１１９．５，３６．５')).toEqual([119.5, 36.5]);
    expect(parsePosition('北纬３６°３４′０４″，东经１１９°０７′２４．５″')).toEqual([
      Math.round((119 + 7 / 60 + 24.5 / 3600) * 1e7) / 1e7,
      Math.round((36 + 34 / 60 + 4 / 3600) * 1e7) / 1e7,
    ]);
    expect(parseCoordinates('１１９．１，３６．１\n１１９．２，３６．１；１１９．２，３６．２')).toMatchObject({ ok: true, geometry: { type: 'Polygon' } });
  });

  it('swaps a latitude written first, when only the second number can be a longitude', () => {
    expect(parsePosition('36.654321, 119.123456')).toEqual([119.123456, 36.654321]);
  });

  it('reads 度分秒 in the spellings officers copy from GPS units and reports', () => {
    const expected = [119 + 7 / 60 + 24.5 / 3600, 36 + 34 / 60 + 4 / 3600].map((n) => Math.round(n * 1e7) / 1e7);
    expect(parsePosition(`119°07'24.5"E, 36°34'04"N`)).toEqual(expected);
    expect(parsePosition('N36°34′04″ E119°07′24.5″')).toEqual(expected);
    expect(parsePosition('东经119度7分24.5秒，北纬36度34分4秒')).toEqual(expected);
    expect(parsePosition(`36°34'04"N 119°07'24.5"E`)).toEqual(expected);
    expect(parsePosition('119°07.5′E 36°34′N')).toEqual([Math.round((119 + 7.5 / 60) * 1e7) / 1e7, Math.round((36 + 34 / 60) * 1e7) / 1e7]);
  });

  it('says what is wrong with a line', () => {
    expect(parsePosition('119.1')).toBe('format');
    expect(parsePosition('1, 2, 3')).toBe('format');
    expect(parsePosition('here')).toBe('format');
    expect(parsePosition(`119°61'0"E 36°0'0"N`)).toBe('minutes');
    expect(parsePosition('190, 36')).toBe('range');
    expect(parsePosition('W119, S36')).toEqual([-119, -36]);
  });

  it('makes a point of one position and a closed polygon of three or more', () => {
    expect(parseCoordinates('119.1, 36.1')).toEqual({ ok: true, geometry: { type: 'Point', coordinates: [119.1, 36.1] } });
    expect(parseCoordinates('119.1, 36.1\n119.2, 36.1\n\n119.2, 36.2')).toEqual({
      ok: true,
      geometry: { type: 'Polygon', coordinates: [[[119.1, 36.1], [119.2, 36.1], [119.2, 36.2], [119.1, 36.1]]] },
    });
    expect(parseCoordinates('119.1, 36.1; 119.2, 36.1; 119.2, 36.2; 119.1, 36.1')).toMatchObject({ ok: true, geometry: { type: 'Polygon' } });
    expect(parseCoordinates('   ')).toEqual({ ok: false, problem: 'empty', line: 0 });
    expect(parseCoordinates('119.1, 36.1\n119.2, 36.1')).toEqual({ ok: false, problem: 'twoPoints', line: 0 });
    expect(parseCoordinates('119.1, 36.1\nnonsense')).toEqual({ ok: false, problem: 'format', line: 2 });
  });

  it('closes a ring once and writes geometries back one position per line', () => {
    expect(closeRing([[0, 0], [1, 0], [1, 1], [0, 0]])).toHaveLength(4);
    expect(formatGeometry({ type: 'Point', coordinates: [119.1, 36.1] })).toBe('119.100000, 36.100000');
    expect(formatGeometry({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }).split('\n')).toHaveLength(3);
  });
});

/** Relative luminance-free colour distance: enough to keep two swatches from reading alike. */
function distance(a: string, b: string): number {
  const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const [x, y] = [rgb(a), rgb(b)];
  return Math.hypot(...x.map((v, i) => v - y[i]!));
}

const collection: FindingCollection = {
  type: 'FeatureCollection',
  nextCursor: null,
  features: [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [119, 36] }, properties: { id: 1, serial: 'WF-2026-0001', title: 'a', state: 'clue', overdue: false, escalated: false } },
    {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [[[119, 36], [119.2, 36], [119.2, 36.2], [119, 36.2], [119, 36]]] },
      properties: { id: 2, serial: 'WF-2026-0002', title: 'b', state: 'rectifying', overdue: true, escalated: true },
    },
  ],
} as unknown as FindingCollection;

describe('the findings layer', () => {
  it('gives every state its own colour, none close to another or to the overdue red', () => {
    const colors = FINDING_STATES.map((s) => STATE_COLORS[s]);
    for (const [i, a] of colors.entries()) {
      expect(distance(a, OVERDUE_COLOR), FINDING_STATES[i]).toBeGreaterThan(60);
      for (const b of colors.slice(i + 1)) expect(distance(a, b), `${a} ${b}`).toBeGreaterThan(60);
    }
    const [op, input, ...rest] = stateColorExpression() as unknown[];
    expect([op, input]).toEqual(['match', ['get', 'state']]);
    for (const s of FINDING_STATES) expect(rest[rest.indexOf(s) + 1]).toBe(STATE_COLORS[s]);
  });

  it('clusters the markers and rings overdue ones, haloes escalated ones', () => {
    const overlay = findingsOverlay();
    expect(overlay.sources).toEqual([FINDINGS_SOURCE.points, FINDINGS_SOURCE.shapes]);
    expect(overlay.sourceOptions?.[FINDINGS_SOURCE.points]).toMatchObject({ cluster: true, clusterProperties: { overdueCount: expect.any(Array) } });
    expect(overlay.sourceOptions?.[FINDINGS_SOURCE.shapes]).toBeUndefined();
    const byId = new Map(overlay.layers.map((l) => [l.id, l]));
    const points = byId.get(FINDINGS_LAYER.points)!;
    expect(points.type).toBe('circle');
    expect(JSON.stringify((points as { paint: { 'circle-stroke-color': ExpressionSpecification } }).paint['circle-stroke-color'])).toContain(OVERDUE_COLOR);
    expect(JSON.stringify((byId.get(FINDINGS_LAYER.halo) as { filter?: unknown }).filter)).toContain('escalated');
    expect(byId.get(FINDINGS_LAYER.shapes)).toMatchObject({ type: 'line', source: FINDINGS_SOURCE.shapes });
    expect(byId.get(FINDINGS_LAYER.clusterCount)).toMatchObject({ type: 'symbol', layout: { 'text-field': ['get', 'point_count_abbreviated'] } });
  });

  it('puts one marker per finding (a polygon at the mean of its corners) and outlines the polygons', () => {
    const markers = findingMarkers(collection);
    expect(markers.features.map((f) => f.geometry.coordinates)).toEqual([[119, 36], [119.1, 36.1]]);
    expect(markers.features[1]!.properties).toEqual({ id: 2, serial: 'WF-2026-0002', title: 'b', state: 'rectifying', overdue: true, escalated: true });
    expect(findingShapes(collection).features.map((f) => f.properties.id)).toEqual([2]);
    expect(markerPosition({ type: 'Point', coordinates: [1, 2] })).toEqual([1, 2]);
  });

  it('rings the 回头看 findings (red when late) and dashes the footprint a site had before it grew', () => {
    const recheck = recheckOverlay();
    expect(recheck.sources).toEqual([RECHECK_SOURCE]);
    expect(recheck.layers).toHaveLength(1);
    const ring = recheck.layers[0] as { id: string; type: string; paint: Record<string, unknown> };
    expect([ring.id, ring.type]).toEqual([RECHECK_LAYER.ring, 'circle']);
    expect(ring.paint['circle-stroke-color']).toEqual(['case', ['==', ['get', 'overdue'], true], OVERDUE_COLOR, RECHECK_COLOR]);
    const original = originalShapeOverlay().layers[0] as { type: string; source: string; paint: Record<string, unknown> };
    expect([original.type, original.source]).toEqual(['line', ORIGINAL_SOURCE]);
    expect(original.paint['line-dasharray']).toEqual([2, 1.5]);
    expect(distance(ORIGINAL_COLOR, SHAPE_COLOR)).toBeGreaterThan(60);
  });

  it('draws a shape being drawn as its corners and the line between them', () => {
    const drawn = shapeFeatures(null, [[0, 0], [1, 0]]);
    expect(drawn.features.map((f) => [f.geometry.type, f.properties.role])).toEqual([['LineString', 'shape'], ['Point', 'vertex'], ['Point', 'vertex']]);
    expect(shapeFeatures({ type: 'Point', coordinates: [1, 1] }).features).toEqual([{ type: 'Feature', geometry: { type: 'Point', coordinates: [1, 1] }, properties: { role: 'point' } }]);
    expect(geometryBbox({ type: 'Point', coordinates: [119, 36] }, 0.01)).toEqual([118.99, 35.99, 119.01, 36.01]);
  });
});

const rule: FindingRule = {
  status: 'resolved',
  missing: [],
  ruleId: 1,
  ruleCode: 'nr-mining-core',
  ruleVersion: 1,
  areaCategory: 'nature_reserve',
  zoneScheme: 'legacy',
  zone: 'core',
  activityClass: 'mining',
  approval: 'unapproved',
  timing: 'new',
  route: 'exit',
  sourceKind: 'national_annex',
  sourceZh: '国环规生态〔2022〕1号 附件 一',
  sourceEn: 'Annex item 1',
  basisZh: '',
  basisEn: '',
  allowedMeasures: ['exit', 'two_cuts_three_clears', 'restore'],
  requiredMeasures: ['exit', 'restore'],
  requiresAssessment: false,
  reviewerKinds: ['ecology_environment', 'natural_resources', 'forestry'],
  conditions: [
    { code: 'water_power_cut', labelZh: '断水断电', labelEn: 'Water and power cut', evidenceHintZh: '' },
    { code: 'restoration_stable', labelZh: '生态修复效果呈稳定或趋好状态', labelEn: 'Restoration stable', evidenceHintZh: '', observationDays: 90 },
  ],
};

const recheck = (id: number, dueOn: string, status: Task['status'] = 'open') => ({ id, kind: 'recheck', status, dueOn }) as Task;
const ctx = (over: Partial<ActionContext> = {}): ActionContext => ({ today: '2026-05-01', rule, rechecks: [], currentDeadline: '2026-06-30', ...over });

describe('the actions along the chain', () => {
  it('has a form for exactly the server’s actions, each sending exactly the fields its body schema takes', () => {
    expect([...FINDING_ACTIONS]).toEqual([...actionNames]);
    for (const action of FINDING_ACTIONS) {
      const schemaFields = Object.keys((actionBodies[action] as unknown as { shape: Record<string, unknown> }).shape).filter((k) => k !== 'action' && k !== 'version');
      expect(ACTION_FIELDS[action].map((f) => f.name).sort(), action).toEqual(schemaFields.sort());
    }
  });

  it('offers only the allowed actions it knows, in chain order', () => {
    expect(offeredActions(['close', 'record_objection', 'fly_away', 'dispatch'])).toEqual(['dispatch', 'record_objection', 'close']);
    expect(offeredActions([])).toEqual([]);
  });

  it('starts dates some days out, the rule’s required measures chosen and every condition unticked', () => {
    expect(initialValues('dispatch', ctx())).toEqual({ verifyingDepartmentId: null, dueDate: '2026-05-16', instruction: '' });
    expect(initialValues('submit_plan', ctx())).toMatchObject({ measures: ['exit', 'restore'], deadline: '2026-07-30', assessmentEvidenceIds: [] });
    expect(initialValues('accept', ctx()).ticks).toEqual({ water_power_cut: { checked: false, evidenceIds: [] }, restoration_stable: { checked: false, evidenceIds: [] } });
    // A 回头看 answers the earliest open re-check task.
    expect(initialValues('recheck', ctx({ rechecks: [recheck(8, '2027-05-01'), recheck(7, '2026-11-01'), recheck(6, '2026-10-01', 'done')] })).taskId).toBe(7);
  });

  it('offers the measures the rule allows, or all of them when it names none', () => {
    expect(planMeasures(rule)).toEqual(['exit', 'two_cuts_three_clears', 'restore']);
    expect(planMeasures({ ...rule, allowedMeasures: [] })).toEqual(MEASURES);
    expect(planMeasures(null)).toEqual(MEASURES);
  });

  it('asks for what each action needs before sending it', () => {
    expect(actionProblems('dispatch', initialValues('dispatch', ctx()), ctx())).toEqual({ verifyingDepartmentId: 'findingForm.needDepartment' });
    expect(actionProblems('confirm', initialValues('confirm', ctx()), ctx())).toEqual({
      outcome: 'findingForm.needChoice',
      conclusion: 'findingForm.needText',
      evidenceIds: 'findingForm.needEvidence',
    });
    expect(actionProblems('review_plan', { decision: 'approve', opinion: ' ' }, ctx())).toEqual({ opinion: 'findingForm.needText' });
    expect(actionProblems('record_progress', { progressOn: '2026-05-02', text: '清运中', percent: '120', evidenceIds: [] }, ctx())).toEqual({
      progressOn: 'findingForm.notAfterToday',
      percent: 'findingForm.percentRange',
    });
    expect(actionProblems('fail_acceptance', { reason: '未复绿', deadline: '2026-04-30' }, ctx())).toEqual({ deadline: 'findingForm.notBeforeToday' });
    expect(actionProblems('request_extension', { requestedDeadline: '2026-06-30', reason: '雨季' }, ctx())).toEqual({ requestedDeadline: 'findingForm.beyondDeadline' });
    expect(actionProblems('request_extension', { requestedDeadline: '2026-07-01', reason: '雨季' }, ctx())).toEqual({});
    const halfTicked = { ...initialValues('accept', ctx()), opinion: '合格', ticks: { water_power_cut: { checked: true, evidenceIds: [4] }, restoration_stable: { checked: true, evidenceIds: [] } } };
    expect(actionProblems('accept', halfTicked, ctx())).toEqual({ ticks: 'findingForm.needTick' });
  });

  it('asks for the 科学评估 only where the rule requires one', () => {
    const plan = { ...initialValues('submit_plan', ctx()), responsibleParty: '某公司', targets: '退出并修复' };
    expect(actionProblems('submit_plan', plan, ctx())).toEqual({});
    expect(actionProblems('submit_plan', plan, ctx({ rule: { ...rule, requiresAssessment: true } }))).toEqual({ assessmentEvidenceIds: 'findingForm.needEvidence' });
  });

  it('shows and asks for the fields an answer brings in, and only then', () => {
    const dismiss = { ...initialValues('dismiss', ctx()), reason: '有批复', evidenceIds: [3] };
    expect(visibleFields('dismiss', dismiss).map((f) => f.name)).toEqual(['outcome', 'reason', 'evidenceIds']);
    const lawful = { ...dismiss, outcome: 'lawful' };
    expect(actionProblems('dismiss', lawful, ctx())).toEqual({
      approvalNo: 'findingForm.needText',
      approvalAuthority: 'findingForm.needText',
      approvedOn: 'findingForm.needDate',
    });
    expect(actionProblems('dismiss', { ...dismiss, outcome: 'vanished' }, ctx())).toEqual({});
    expect(actionBody('dismiss', { ...dismiss, outcome: 'vanished', approvalNo: 'left over' }, ctx())).toEqual({
      action: 'dismiss',
      outcome: 'vanished',
      observedOn: '2026-05-01',
      reason: '有批复',
      evidenceIds: [3],
    });
    const objection = { ...initialValues('record_objection', ctx()), objector: '村民', content: '仍有堆放', handling: '现场复核属实' };
    expect(actionBody('record_objection', objection, ctx())).toEqual({
      action: 'record_objection',
      receivedOn: '2026-05-01',
      objector: '村民',
      content: '仍有堆放',
      handling: '现场复核属实',
      upheld: false,
    });
    expect(actionBody('record_objection', { ...objection, upheld: true }, ctx())).toMatchObject({ upheld: true, deadline: '2026-06-30' });
    const recurred = { ...initialValues('recheck', ctx({ rechecks: [recheck(7, '2026-11-01')] })), result: 'recurred', note: '复发', evidenceIds: [9] };
    expect(actionBody('recheck', recurred, ctx())).toEqual({ action: 'recheck', taskId: 7, result: 'recurred', note: '复发', evidenceIds: [9], dueDate: '2026-05-16' });
    expect(actionBody('recheck', { ...recurred, result: 'stays_rectified' }, ctx())).not.toHaveProperty('dueDate');
  });

  it('sends exactly the fields of the action, trimmed, optional ones only when given', () => {
    expect(actionBody('dispatch', { verifyingDepartmentId: 3, dueDate: '2026-05-16', instruction: '  ' }, ctx())).toEqual({ action: 'dispatch', verifyingDepartmentId: 3, dueDate: '2026-05-16' });
    const plan = { ...initialValues('assign_plan', ctx()), leadDepartmentId: 3, cooperatingDepartmentIds: [3, 5], instruction: ' 请管理机构编制方案 ' };
    expect(actionBody('assign_plan', plan, ctx())).toEqual({
      action: 'assign_plan',
      leadDepartmentId: 3,
      cooperatingDepartmentIds: [5],
      planDueDate: '2026-05-31',
      instruction: '请管理机构编制方案',
    });
    expect(actionBody('record_progress', { progressOn: '2026-04-30', text: '已拆除', percent: '60', evidenceIds: [] }, ctx())).toEqual({
      action: 'record_progress',
      progressOn: '2026-04-30',
      text: '已拆除',
      percent: 60,
    });
    const ticks = { water_power_cut: { checked: true, evidenceIds: [1] }, restoration_stable: { checked: true, evidenceIds: [2, 3] } };
    expect(actionBody('accept', { ticks, opinion: '同意' }, ctx())).toEqual({
      action: 'accept',
      ticks: [
        { code: 'water_power_cut', evidenceIds: [1] },
        { code: 'restoration_stable', evidenceIds: [2, 3] },
      ],
      opinion: '同意',
    });
    expect(actionBody('close', { closedOn: '2026-05-01', closingDocumentNo: ' 潍保地销〔示例〕1号 ' }, ctx())).toEqual({ action: 'close', closedOn: '2026-05-01', closingDocumentNo: '潍保地销〔示例〕1号' });
  });

  it('counts days on the calendar and today in China', () => {
    expect(addDays('2026-12-25', 14)).toBe('2027-01-08');
    expect(today(undefined, Date.parse('2026-03-01T17:00:00Z'))).toBe('2026-03-02');
    expect(today(undefined, Date.parse('2026-03-01T15:59:00Z'))).toBe('2026-03-01');
  });
});

describe('the record of the chain', () => {
  it('shows the running deadline the server sends, and pauses it while waiting for acceptance or during 公示', () => {
    expect(runningDeadline({ state: 'verifying', deadline: '2026-05-20' })).toEqual({ date: '2026-05-20', paused: false });
    expect(runningDeadline({ state: 'pending_acceptance', deadline: null })).toEqual({ date: null, paused: true });
    expect(runningDeadline({ state: 'publicising', deadline: null })).toEqual({ date: null, paused: true });
    expect(runningDeadline({ state: 'closed', deadline: null })).toEqual({ date: null, paused: false });
  });

  it('asks an extension to go beyond the plan due date while planning, else the rectification deadline', () => {
    const f = { planDueOn: '2026-06-01', rectificationDeadline: '2026-09-01' };
    expect(extensionBase({ ...f, state: 'planning' })).toBe('2026-06-01');
    expect(extensionBase({ ...f, state: 'rectifying' })).toBe('2026-09-01');
  });

  it('names the writer of a record, finds the undecided extension and the evidence a record cites', () => {
    expect(personName({ id: 3, displayName: '王力' })).toBe('王力');
    expect(personName('联合执法协调员')).toBe('联合执法协调员');
    expect(personName(null)).toBe('');
    const asked = { requestedDeadline: '2026-10-01', reason: '雨季', decision: null, opinion: null };
    expect(pendingExtension([{ ...asked, requestedDeadline: '2026-08-01', decision: 'refuse', opinion: '理由不足' }, asked])).toBe(asked);
    expect(pendingExtension([{ ...asked, decision: 'approve', opinion: '同意' }])).toBeNull();
    expect(citedAttachments([{ id: 1 }, { id: 2 }, { id: 3 }], [3, 1, 99])).toEqual([{ id: 1 }, { id: 3 }]);
    expect(citedAttachments([{ id: 1 }], null)).toEqual([]);
  });

  it('draws on the 回头看 layer the closed findings whose re-check is due within 30 days, ringing the late ones', () => {
    const feature = (id: number, recheckDueOn: string | null) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [119, 36] }, properties: { id, state: 'closed', overdue: false, recheckDueOn } });
    const due = recheckDue({ type: 'FeatureCollection', nextCursor: null, features: [feature(1, '2026-04-20'), feature(2, '2026-05-31'), feature(3, '2026-06-01'), feature(4, null)] } as unknown as FindingCollection, '2026-05-01');
    expect(due.features.map((f) => [f.properties.id, f.properties.overdue])).toEqual([
      [1, true],
      [2, false],
    ]);
  });
});

describe('the ledger’s address', () => {
  it('keeps the filters and the sort in the query and reads them back', () => {
    const filters: FindingFilters = { ...noFilters, states: ['planning'], category: 'mining', department: 7, overdue: true, q: '采砂' };
    const search = findingsSearch(filters, 'overdue_first');
    expect(search).toBe('?state=planning&category=mining&department=7&overdue=1&q=%E9%87%87%E7%A0%82&sort=overdue_first');
    expect(parseFindingsSearch(search)).toEqual({ filters, sort: 'overdue_first' });
    expect(findingsSearch(noFilters, 'newest')).toBe('');
    expect(parseRoute('/findings', search)).toEqual({ kind: 'findings', search });
    expect(routePath({ kind: 'findings', search })).toBe(`/findings${search}`);
  });

  it('drops values it does not know instead of guessing', () => {
    expect(parseFindingsSearch('?state=publicising,flying&category=spaceport&department=-2&overdue=yes&sort=random')).toEqual({
      filters: { ...noFilters, states: ['publicising'] },
      sort: 'newest',
    });
  });
});

describe('the findings routes', () => {
  it('reads and writes the ledger, a finding, the new-finding page, the inbox, a 督办 notice and the rules', () => {
    expect(parseRoute('/findings')).toEqual({ kind: 'findings' });
    expect(parseRoute('/findings/new')).toEqual({ kind: 'finding-new' });
    expect(parseRoute('/findings/42/')).toEqual({ kind: 'finding', id: 42 });
    expect(parseRoute('/findings/0')).toEqual({ kind: 'home' });
    expect(parseRoute('/findings/99999999999')).toEqual({ kind: 'home' });
    expect(parseRoute('/tasks')).toEqual({ kind: 'tasks' });
    expect(parseRoute('/notices/12')).toEqual({ kind: 'notice', id: 12 });
    expect(parseRoute('/notices/0')).toEqual({ kind: 'home' });
    for (const route of [{ kind: 'findings' }, { kind: 'finding-new' }, { kind: 'finding', id: 7 }, { kind: 'tasks' }, { kind: 'notice', id: 3 }, { kind: 'rules' }] as const) {
      expect(parseRoute(routePath(route))).toEqual(route);
    }
  });
});

describe('the timeline', () => {
  const t = (key: string, fallback: string) => (isMessageKey(key) ? translate('zh-CN', key) : fallback);
  const words = { t, dept: (id: unknown) => ({ 3: '临朐分局', 5: '临朐县人民政府' })[Number(id)] ?? `#${String(id)}`, condition: (code: string) => code, english: false };
  const event = (action: string, after: Record<string, unknown>, before: Record<string, unknown> | null = null) =>
    ({ id: 1, at: '2026-05-01T02:00:00Z', action, actor: { userId: 1, label: 'coord', displayName: '联合执法协调员' }, department: null, before, after }) as FindingEvent;

  it('names the department, kind and due date of a 派发任务 first, then the instruction with who gave it', () => {
    const assigned = event('finding.task_assigned', {
      id: 9,
      kind: 'inspect',
      status: 'open',
      dueOn: '2026-05-20',
      department: { id: 3, code: 'eco-linqu', nameZh: '临朐分局' },
      instruction: '请复核堆放范围',
      instructedBy: { userId: 1, displayName: '联合执法协调员' },
      reply: null,
    });
    expect(eventDetails(assigned, words)).toEqual([
      ['kind', '任务类型', '检查'],
      ['department', '承办部门', '临朐分局'],
      ['dueOn', '办结期限', '2026-05-20'],
      ['instruction', '交办要求', '请复核堆放范围（联合执法协调员）'],
      ['status', '任务状态', '待办'],
    ]);
  });

  it('shows of a task update only what changed: the reply, under the name of whoever wrote it', () => {
    const task = { id: 9, kind: 'inspect', status: 'in_progress', dueOn: '2026-05-20', instruction: '请复核堆放范围', instructedBy: { userId: 1, displayName: '联合执法协调员' }, reply: null };
    const replied = event('finding.task_updated', { ...task, reply: '已复核，范围约 200 平方米', repliedBy: { userId: 4, displayName: '临朐分局执法人员' } }, task);
    expect(eventDetails(replied, words)).toEqual([['reply', '办理答复', '已复核，范围约 200 平方米（临朐分局执法人员）']]);
  });

  it('reads a step’s fields in the person’s words', () => {
    expect(eventDetails(event('finding.confirm', { state: 'confirmed', outcome: 'illegal', conclusion: '属实', evidenceIds: [1] }), words)).toEqual([
      ['outcome', '核查结论', '属实（违法违规）'],
      ['conclusion', '核查情况', '属实'],
    ]);
    expect(eventDetails(event('finding.record_objection', { state: 'publicising', objector: '村民', upheld: false, receivedOn: '2026-05-01' }), words)).toEqual([
      ['objector', '异议人', '村民'],
      ['upheld', '异议是否成立', '否'],
      ['receivedOn', '收到异议日期', '2026-05-01'],
    ]);
    expect(eventDetails(event('finding.assign_plan', { leadDepartmentId: 5, cooperatingDepartmentIds: [3], measures: ['exit', 'restore'] }), words)).toEqual([
      ['leadDepartmentId', '牵头部门', '临朐县人民政府'],
      ['cooperatingDepartmentIds', '配合部门', '临朐分局'],
      ['measures', '整改措施', '退出、生态修复'],
    ]);
    expect(eventDetails(event('finding.created', { title: 'x' }), words)).toEqual([]);
  });
});
