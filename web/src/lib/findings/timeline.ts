import { personName } from './chain-record.ts';
import type { FindingEvent, PersonRef } from './types.ts';

/** How the trail words things: the catalogue (key, fallback), department and condition names, the language. */
export interface TimelineWords {
  t: (key: string, fallback: string) => string;
  dept: (id: unknown) => string;
  condition: (code: string) => string;
  english: boolean;
}

const DEPARTMENT_FIELDS = new Set(['verifyingDepartmentId', 'leadDepartmentId', 'acceptingDepartmentId', 'drafterDepartmentId', 'departmentId']);
const TEXT_FIELDS = new Set([
  'reason',
  'note',
  'report',
  'conclusion',
  'opinion',
  'text',
  'content',
  'handling',
  'objector',
  'people',
  'responsibleParty',
  'targets',
  'closingDocumentNo',
  'approvalNo',
  'approvalAuthority',
  'cancelReason',
  'basis',
  'value',
  'number',
  'recipient',
  'daysOverdue',
  'fileName',
]);
const DATE_FIELDS = new Set([
  'deadline',
  'dueDate',
  'dueOn',
  'planDueDate',
  'requestedDeadline',
  'checkedOn',
  'progressOn',
  'receivedOn',
  'closedOn',
  'approvedOn',
  'observedOn',
  'rectifiedOn',
]);

/**
 * The changes worth reading in one entry of the trail, as field/label/value triples. An
 * instruction and a reply are two separate lines, each naming who wrote it, so the trail never puts
 * one person's words in another's mouth.
 */
export function eventDetails(e: FindingEvent, words: TimelineWords): [string, string, string][] {
  const { t, dept, condition, english } = words;
  const separator = english ? ', ' : '、';
  const after = e.after ?? {};
  const out: [string, string, string][] = [];
  if (e.action === 'finding.created' || e.action === 'finding.updated') return out;
  const before = e.before ?? {};
  const label = (field: string) => t(`event.field.${field}`, field);
  // A task update repeats the whole task; only what changed is news (a reply, a new status).
  const changed = (field: string) => !e.action.startsWith('finding.task_updated') || JSON.stringify(before[field]) !== JSON.stringify(after[field]);
  const by = (field: 'instructedBy' | 'repliedBy', said: unknown): string => {
    const name = personName(after[field] as PersonRef | undefined);
    if (!name) return String(said);
    return english ? `${String(said)} (${name})` : `${String(said)}（${name}）`;
  };
  // A 派发任务 entry reads as what, to whom, by when, and the instruction.
  const first = ['kind', 'department', 'departmentId', 'dueOn', 'instruction', 'reply', 'outcome', 'decision', 'result', 'level'];
  const fields = [...first.filter((f) => f in after), ...Object.keys(after).filter((f) => !first.includes(f))];
  for (const field of fields) {
    const value = after[field];
    if (value === null || value === undefined || value === '' || field === 'state' || field === 'evidenceIds' || field === 'assessmentEvidenceIds' || field === 'version') continue;
    if (!changed(field)) continue;
    let text: string;
    if (DEPARTMENT_FIELDS.has(field)) text = dept(value);
    else if (TEXT_FIELDS.has(field) || DATE_FIELDS.has(field)) text = String(value);
    else {
      switch (field) {
        case 'instruction':
          text = by('instructedBy', value);
          break;
        case 'reply':
          text = by('repliedBy', value);
          break;
        case 'department':
          text = typeof value === 'object' && value && 'id' in value ? dept((value as { id: number }).id) : String(value);
          break;
        case 'cooperatingDepartmentIds':
          text = Array.isArray(value) && value.length ? value.map(dept).join(separator) : '—';
          break;
        case 'measures':
          text = Array.isArray(value) ? value.map((m) => t(`measure.${String(m)}`, String(m))).join(separator) : String(value);
          break;
        case 'ticks':
          text = Array.isArray(value) ? value.map((t: { code?: string }) => condition(String(t.code))).join(separator) : '';
          break;
        case 'status':
          text = t(`taskStatus.${String(value)}`, String(value));
          break;
        case 'kind':
          text = t(`taskKind.${String(value)}`, String(value));
          break;
        case 'outcome':
          text = t(`outcome.${String(value)}`, String(value));
          break;
        case 'decision':
          text = t(`decision.${String(value)}`, String(value));
          break;
        case 'result':
          text = t(`recheckResult.${String(value)}`, String(value));
          break;
        case 'level':
          // Acceptance levels (site checks, acceptances) and 督办 levels share the field name.
          text = t(`acceptanceLevel.${String(value)}`, t(`supervisionLevel.${String(value)}`, String(value)));
          break;
        case 'upheld':
          text = t(value === true ? 'event.yes' : 'event.no', String(value));
          break;
        case 'percent':
          text = `${String(value)}%`;
          break;
        case 'fact':
          text = String(value);
          break;
        default:
          continue;
      }
    }
    out.push([field, label(field), text]);
  }
  return out;
}
