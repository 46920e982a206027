/** Pure logic of the finding page's ad-hoc task and edit-facts forms. */
import { describe, expect, it } from 'vitest';
import { factProblems, factsPatch, factValues, originalPolygon, taskBody, taskProblems } from '../../web/src/lib/findings/finding-edit.ts';
import type { FindingSummary } from '../../web/src/lib/findings/types.ts';

const finding = {
  title: '采石场',
  description: '山体开挖',
  category: 'mining',
  source: 'patrol',
  batch: null,
  discoveredAt: '2026-03-01',
  constructedAt: '2019-05-01',
  approval: 'unknown',
  approvalNo: null,
  approvalAuthority: null,
  approvedOn: null,
  changeType: null,
  expanded: false,
  originalGeometry: null,
  originalAreaHa: null,
} as FindingSummary;

const square = { type: 'Polygon' as const, coordinates: [[[119.1, 36.1], [119.2, 36.1], [119.2, 36.2], [119.1, 36.1]]] };

describe('taskProblems and taskBody', () => {
  it('asks for a department and a due date', () => {
    expect(taskProblems({ kind: 'verify', departmentId: null, dueOn: '', note: '' })).toEqual({
      departmentId: 'findingForm.needDepartment',
      dueOn: 'findingForm.needDate',
    });
    expect(taskProblems({ kind: 'inspect', departmentId: 7, dueOn: '2026-12-01', note: '' })).toEqual({});
  });

  it('sends the instruction only when written, trimmed', () => {
    expect(taskBody({ kind: 'inspect', departmentId: 7, dueOn: '2026-12-01', note: '  ' })).toEqual({ kind: 'inspect', departmentId: 7, dueOn: '2026-12-01' });
    expect(taskBody({ kind: 'verify', departmentId: 7, dueOn: '2026-12-01', note: ' 现场复核 ' })).toEqual({
      kind: 'verify',
      departmentId: 7,
      dueOn: '2026-12-01',
      instruction: '现场复核',
    });
  });
});

describe('factsPatch', () => {
  it('is empty when nothing changed', () => {
    expect(factsPatch(finding, factValues(finding))).toEqual({});
  });

  it('carries only the changed facts, blanks clearing optional ones', () => {
    const values = { ...factValues(finding), title: ' 采石场（扩建） ', batch: ' 2026-1 ', constructedAt: '', approval: 'unapproved' as const };
    expect(factsPatch(finding, values)).toEqual({ title: '采石场（扩建）', batch: '2026-1', constructedAt: null, approval: 'unapproved' });
    expect(factsPatch({ ...finding, batch: '2026-1' }, { ...factValues(finding), batch: '  ' })).toEqual({ batch: null });
  });

  it('carries the approval, the change type and an expansion with its original footprint', () => {
    const values = { ...factValues(finding), approvalNo: ' 鲁环审〔示例〕3号 ', approvalAuthority: '省生态环境厅', approvedOn: '2012-04-01', changeType: 'expanded' as const, expanded: true, originalText: '119.1, 36.1\n119.2, 36.1\n119.2, 36.2' };
    expect(factsPatch(finding, values)).toEqual({
      approvalNo: '鲁环审〔示例〕3号',
      approvalAuthority: '省生态环境厅',
      approvedOn: '2012-04-01',
      changeType: 'expanded',
      expanded: true,
      originalGeometry: square,
    });
    const expanded = { ...finding, expanded: true, originalGeometry: square };
    // The footprint read back unchanged is not sent again; unticking 规模扩大 clears it.
    expect(factsPatch(expanded, factValues(expanded))).toEqual({});
    expect(factsPatch(expanded, { ...factValues(expanded), expanded: false })).toEqual({ expanded: false, originalGeometry: null });
  });

  it('reads the original footprint as a polygon, or says it is not one', () => {
    expect(originalPolygon('  ')).toBeNull();
    expect(originalPolygon('119.1, 36.1')).toBe('invalid');
    expect(originalPolygon('119.1, 36.1\n119.2, 36.1\n119.2, 36.2')).toEqual(square);
    expect(factProblems({ ...factValues(finding), expanded: true, originalText: '119.1, 36.1' })).toEqual({ originalText: 'findingEdit.originalInvalid' });
  });

  it('refuses blank title, description and discovery date', () => {
    expect(factProblems({ ...factValues(finding), title: ' ', description: '', discoveredAt: '' })).toEqual({
      title: 'findingForm.needText',
      description: 'findingForm.needText',
      discoveredAt: 'findingForm.needDate',
    });
  });
});
