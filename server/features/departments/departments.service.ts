/** Departments: listing for everyone, changes by admins, each change audited in its transaction. */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { queryRows, type Database, type Executor } from '../../db/backend.ts';
import { recordEvent, type EventActor } from '../../lib/audit.ts';
import { ApiError, invalidRequest, type ErrorIssue } from '../../lib/errors.ts';
import { updateVersioned } from '../../lib/versioned.ts';
import type { createDepartmentBody, updateDepartmentBody } from './departments.schemas.ts';

type CreateDepartment = z.output<typeof createDepartmentBody>;
type UpdateDepartment = z.output<typeof updateDepartmentBody>;

const departmentJson = sql`json_build_object('id', d.id, 'code', d.code, 'nameZh', d.name_zh, 'nameEn', d.name_en,
  'kind', d.kind, 'parentId', d.parent_id, 'countyCode', d.county_code, 'version', d.version)`;

/** Every department, city bureaus first, then by code. */
export async function listDepartments(exec: Executor): Promise<unknown[]> {
  const rows = await queryRows<{ row: unknown }>(exec, sql`select ${departmentJson} as row from departments d order by d.parent_id nulls first, d.code`);
  return rows.map((r) => r.row);
}

async function getDepartment(exec: Executor, id: number): Promise<Record<string, unknown> | null> {
  const [r] = await queryRows<{ row: Record<string, unknown> }>(exec, sql`select ${departmentJson} as row from departments d where d.id = ${id}`);
  return r?.row ?? null;
}

/** Parent must exist and must not be the department itself or one of its descendants; county must exist. */
async function checkReferences(exec: Executor, id: number | null, parentId: number | null | undefined, county: string | null | undefined) {
  const issues: ErrorIssue[] = [];
  if (parentId != null) {
    const [parent] = await queryRows<{ cycle: boolean }>(
      exec,
      sql`with recursive up(id, parent_id) as (
            select id, parent_id from departments where id = ${parentId}
            union all select d.id, d.parent_id from departments d join up on d.id = up.parent_id
          )
          select coalesce(bool_or(up.id = ${id ?? -1}), false) as cycle from up`,
    );
    const [exists] = await queryRows(exec, sql`select 1 from departments where id = ${parentId}`);
    if (!exists) issues.push({ path: 'parentId', message: '上级部门不存在' });
    else if (parent?.cycle) issues.push({ path: 'parentId', message: '上级部门不能是本部门或其下级' });
  }
  if (county != null) {
    const [exists] = await queryRows(exec, sql`select 1 from counties where code = ${county}`);
    if (!exists) issues.push({ path: 'countyCode', message: '县市区不存在' });
  }
  if (issues.length) throw invalidRequest(issues);
}

/** Creates a department; a taken code → 409. */
export async function createDepartment(database: Database, actor: EventActor, input: CreateDepartment, ip: string | null) {
  return database.db.transaction(async (tx) => {
    await checkReferences(tx, null, input.parentId, input.countyCode);
    const [taken] = await queryRows(tx, sql`select 1 from departments where code = ${input.code}`);
    if (taken) throw new ApiError(409, 'conflict', `部门编码 ${input.code} 已被使用`, [{ path: 'code', message: '编码已被使用' }]);
    const [{ id }] = await queryRows<{ id: number }>(
      tx,
      sql`insert into departments (code, name_zh, name_en, kind, parent_id, county_code)
          values (${input.code}, ${input.nameZh}, ${input.nameEn}, ${input.kind}, ${input.parentId ?? null}, ${input.countyCode ?? null})
          returning id`,
    );
    const after = await getDepartment(tx, id);
    await recordEvent(tx, { actor, action: 'department.created', entity: 'department', entityId: id, after, ip });
    return after;
  });
}

/** Changes a department's names, kind, parent or county. */
export async function updateDepartment(database: Database, actor: EventActor, id: number, input: UpdateDepartment, ip: string | null) {
  return database.db.transaction(async (tx) => {
    const before = await getDepartment(tx, id);
    if (!before) throw new ApiError(404, 'not_found', `没有编号为 ${id} 的部门`);
    await checkReferences(tx, id, input.parentId, input.countyCode);
    const set = (v: unknown) => v !== undefined;
    await updateVersioned(tx, {
      table: 'departments',
      id,
      version: input.version,
      set: sql`name_zh = ${input.nameZh ?? before.nameZh},
            name_en = ${input.nameEn ?? before.nameEn},
            kind = ${input.kind ?? before.kind},
            parent_id = ${set(input.parentId) ? input.parentId : before.parentId},
            county_code = ${set(input.countyCode) ? input.countyCode : before.countyCode}`,
      label: `部门“${before.code}”`,
    });
    const after = await getDepartment(tx, id);
    const facts = (d: Record<string, unknown> | null) => JSON.stringify({ ...d, version: undefined });
    if (facts(after) !== facts(before)) {
      await recordEvent(tx, { actor, action: 'department.updated', entity: 'department', entityId: id, before, after, ip });
    }
    return after;
  });
}
