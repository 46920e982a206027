import { sql, type SQL } from 'drizzle-orm';
import type { SupervisionLevel } from '../../lib/vocabulary.ts';
import { runningDeadlineSql as runningDeadline } from '../findings/findings.sql.ts';

/**
 * Findings past a threshold of their running deadline (findings.sql.ts, the one rule) with no
 * notice of that level yet for their current state and deadline. Only states with a running
 * deadline are read (the state index narrows them) and the notice check uses the unique index, so
 * a sweep with nothing due is one cheap query.
 */
export function dueNotices(today: string, thresholds: Array<{ level: SupervisionLevel; days: number }>): SQL {
  const levels = sql.join(
    thresholds.map((t) => sql`(${t.level}::text, ${t.days}::int)`),
    sql`, `,
  );
  return sql`select x.id, x.state, x.due_on::text as "dueOn", l.level
             from (select f.id, f.state, ${runningDeadline} as due_on
                   from findings f
                   where f.deleted_at is null and f.state in ('clue', 'verifying', 'planning', 'rectifying')) x
             join (values ${levels}) as l(level, days) on ${today}::date - x.due_on >= l.days
             where not exists (select 1 from supervision_notices n
                               where n.finding_id = x.id and n.level = l.level and n.state = x.state and n.due_on = x.due_on)
             order by x.id, l.days`;
}

/**
 * What a notice is written from, read with the finding row locked (`for update`) so two sweeps
 * racing on one finding take turns: the second sees the first's notice and issues none.
 */
export function noticeFacts(findingId: number): SQL {
  return sql`select f.id, f.serial, f.title, f.state, ${runningDeadline}::text as "dueOn", f.county_code as "countyCode",
                    (select c.name_zh from counties c where c.code = f.county_code) as "countyZh",
                    (select string_agg(a.name_zh, '、' order by a.code) from finding_areas fa join protected_areas a on a.id = fa.area_id where fa.finding_id = f.id) as "areasZh",
                    case when f.state = 'clue' then (select u.department_id from users u where u.id = f.clue_owner_user_id)
                         when f.state = 'verifying' then f.verifying_department_id
                         else f.lead_department_id end as "responsibleDepartmentId"
             from findings f where f.id = ${findingId} and f.deleted_at is null
             for update of f`;
}

/** A department by id with its county government (the recipient of 挂牌督办 when the finding has no county). */
export function departmentFacts(departmentId: number): SQL {
  return sql`select d.id, d.name_zh as "nameZh", d.county_code as "countyCode" from departments d where d.id = ${departmentId}`;
}

/** The county government (kind county_government) of a county. */
export function countyGovernment(countyCode: string): SQL {
  return sql`select d.id, d.name_zh as "nameZh" from departments d
             where d.kind = 'county_government' and d.county_code = ${countyCode} order by d.id limit 1`;
}

/** The next notice number of a year, WF-DB-YYYY-NNNN; the counter only grows (its row lock orders racing sweeps). */
export function nextNoticeNumber(year: number): SQL {
  return sql`insert into supervision_notice_serials (year, last) values (${year}, 1)
             on conflict (year) do update set last = supervision_notice_serials.last + 1
             returning 'WF-DB-' || ${year}::text || '-' || lpad(last::text, 4, '0') as number`;
}

/** A notice as the API answers it. */
export const noticeJson = sql`json_build_object(
  'id', n.id, 'findingId', n.finding_id, 'level', n.level, 'number', n.number, 'state', n.state, 'dueOn', n.due_on,
  'daysOverdue', n.days_overdue, 'issuedAt', n.issued_at, 'eventId', n.event_id, 'textZh', n.text_zh,
  'recipient', json_build_object('departmentId', n.recipient_department_id, 'label', n.recipient_label,
                                 'code', d.code, 'nameZh', d.name_zh, 'nameEn', d.name_en),
  'finding', json_build_object('id', f.id, 'serial', f.serial, 'title', f.title, 'state', f.state))`;

/** The joins a notice needs. */
export const noticeFrom = sql`supervision_notices n
  join findings f on f.id = n.finding_id
  left join departments d on d.id = n.recipient_department_id`;
