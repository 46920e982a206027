/**
 * What each role may do, as data: the one place that answers "may this person do that".
 * Route rules (access.ts) and later features (findings, tasks, inspections) ask through here.
 */
import type { Role } from '../../lib/vocabulary.ts';

export const permissions = [
  'read',
  'users.manage',
  'departments.manage',
  'findings.record',
  'findings.assign',
  'findings.accept',
  'tasks.work',
  'inspections.record',
  'rules.propose',
  'rules.review',
] as const;
export type Permission = (typeof permissions)[number];

/**
 * admin: accounts, departments, configuration, and proposing changes to the rule table (which another
 * admin or a coordinator reviews). coordinator: the city's joint-enforcement office,
 * assigns work to any department, accepts and closes. officer: works on what is assigned to their own
 * department. inspector: records inspections and findings in the field. viewer: reads everything.
 */
export const rolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  admin: ['read', 'users.manage', 'departments.manage', 'rules.propose', 'rules.review'],
  coordinator: ['read', 'findings.record', 'findings.assign', 'findings.accept', 'tasks.work', 'inspections.record', 'rules.review'],
  officer: ['read', 'findings.record', 'tasks.work', 'inspections.record'],
  inspector: ['read', 'findings.record', 'inspections.record'],
  viewer: ['read'],
};

/** The signed-in person as every handler sees them. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  sessionId: string;
}

/** True when the actor's role grants the permission. */
export function can(actor: Pick<Actor, 'role'> | null, permission: Permission): boolean {
  return actor !== null && rolePermissions[actor.role].includes(permission);
}

/**
 * Department scoping: coordinators act for any department; officers and inspectors only for their own.
 * Later features call this before letting someone act on a department's task.
 */
export function actsForDepartment(actor: Pick<Actor, 'role' | 'departmentId'>, departmentId: number): boolean {
  if (actor.role === 'coordinator') return true;
  if (actor.role === 'officer' || actor.role === 'inspector') return actor.departmentId === departmentId;
  return false;
}
