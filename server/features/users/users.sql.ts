import { sql, type SQL } from 'drizzle-orm';

/** Users with their department as the admin pages show them; never the password hash. */
export function userRows(where: SQL = sql`true`): SQL {
  return sql`
    select json_build_object(
      'id', u.id,
      'username', u.username,
      'displayName', u.display_name,
      'role', u.role,
      'active', u.active,
      'department', case when d.id is null then null
                    else json_build_object('id', d.id, 'code', d.code, 'nameZh', d.name_zh, 'nameEn', d.name_en) end,
      'createdAt', u.created_at,
      'lastLoginAt', u.last_login_at,
      'version', u.version
    ) as row
    from users u left join departments d on d.id = u.department_id
    where ${where}
    order by u.username`;
}

/** The audited view of a user: what an event's before/after records (no hash). */
export function userAuditState(id: number): SQL {
  return sql`select json_build_object('username', username, 'displayName', display_name, 'role', role,
                                      'departmentId', department_id, 'active', active) as state
             from users where id = ${id}`;
}
