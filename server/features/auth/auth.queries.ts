import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/backend.ts';
import type { Role } from '../../lib/vocabulary.ts';
import { rolePermissions, type Permission } from './roles.ts';

/** What `/api/auth/me` and a successful sign-in answer. */
export interface Me {
  user: { id: number; username: string; displayName: string; role: Role; active: boolean };
  department: { id: number; code: string; nameZh: string; nameEn: string } | null;
  permissions: Permission[];
}

/** The signed-in person with their department and permissions. */
export async function loadMe(exec: Executor, userId: number): Promise<Me> {
  const [row] = await queryRows<{
    id: number;
    username: string;
    display_name: string;
    role: Role;
    active: boolean;
    dep_id: number | null;
    dep_code: string | null;
    dep_name_zh: string | null;
    dep_name_en: string | null;
  }>(
    exec,
    sql`select u.id, u.username, u.display_name, u.role, u.active,
               d.id as dep_id, d.code as dep_code, d.name_zh as dep_name_zh, d.name_en as dep_name_en
        from users u left join departments d on d.id = u.department_id
        where u.id = ${userId}`,
  );
  return {
    user: { id: row.id, username: row.username, displayName: row.display_name, role: row.role, active: row.active },
    department:
      row.dep_id === null ? null : { id: row.dep_id, code: row.dep_code!, nameZh: row.dep_name_zh!, nameEn: row.dep_name_en! },
    permissions: [...rolePermissions[row.role]],
  };
}

/** The account a sign-in names, if it exists (active or not). */
export async function findAccount(exec: Executor, username: string) {
  const [row] = await queryRows<{ id: number; password_hash: string; active: boolean; department_id: number | null }>(
    exec,
    sql`select id, password_hash, active, department_id from users where username = ${username}`,
  );
  return row ?? null;
}
