/** Pure logic of the finding page's ad-hoc task and edit-facts forms. */
import { describe, expect, it } from 'vitest';
import { factProblems, factsPatch, factValues, taskBody, taskProblems } from '../../web/src/lib/findings/finding-edit.ts';
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
} as FindingSummary;

describe('taskProblems and taskBody', () => {
  it('asks for a department and a due date', () => {
    expect(taskProblems({ kind: 'verify', departmentId: null, dueOn: '', note: '' })).toEqual({
      departmentId: 'findingForm.needDepartment',
      dueOn: 'findingForm.needDate',
    });
    expect(taskProblems({ kind: 'inspect', departmentId: 7, dueOn: '2026-12-01', note: '' })).toEqual({});
  });

  it('sends the note only when written, trimmed', () => {
    expect(taskBody({ kind: 'inspect', departmentId: 7, dueOn: '2026-12-01', note: '  ' })).toEqual({ kind: 'inspect', departmentId: 7, dueOn: '2026-12-01' });
    expect(taskBody({ kind: 'verify', departmentId: 7, dueOn: '2026-12-01', note: ' 现场复核 ' })).toEqual({
      kind: 'verify',
      departmentId: 7,
      dueOn: '2026-12-01',
      note: '现场复核',
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

  it('refuses blank title, description and discovery date', () => {
    expect(factProblems({ ...factValues(finding), title: ' ', description: '', discoveredAt: '' })).toEqual({
      title: 'findingForm.needText',
      description: 'findingForm.needText',
      discoveredAt: 'findingForm.needDate',
    });
  });
});
