import { coverageSearch, parseCoverageSearch, type CoverageParams } from '../coverage/period.ts';

/** What the address bar names: the map (whole or one area), the login page, or an admin page. */
export type Route =
  | { kind: 'home' }
  | { kind: 'area'; code: string }
  | { kind: 'login'; next: string | null }
  | { kind: 'admin-users' }
  | { kind: 'admin-departments' }
  | { kind: 'coverage'; params: CoverageParams }
  | { kind: 'inspections' }
  | { kind: 'inspection'; id: number }
  | { kind: 'findings'; search?: string }
  | { kind: 'finding-new' }
  | { kind: 'finding'; id: number }
  | { kind: 'tasks' }
  | { kind: 'notice'; id: number }
  | { kind: 'rules' };

const AREA_PATH = /^\/areas\/([^/]+)\/?$/;
const LOGIN_PATH = /^\/login\/?$/;
const ADMIN_USERS_PATH = /^\/admin(?:\/users)?\/?$/;
const ADMIN_DEPARTMENTS_PATH = /^\/admin\/departments\/?$/;
const COVERAGE_PATH = /^\/coverage\/?$/;
const INSPECTIONS_PATH = /^\/inspections\/?$/;
const INSPECTION_PATH = /^\/inspections\/([1-9]\d{0,9})\/?$/;
const FINDINGS_PATH = /^\/findings\/?$/;
const FINDING_NEW_PATH = /^\/findings\/new\/?$/;
const FINDING_PATH = /^\/findings\/([1-9]\d{0,9})\/?$/;
const TASKS_PATH = /^\/tasks\/?$/;
const NOTICE_PATH = /^\/notices\/([1-9]\d{0,9})\/?$/;
const RULES_PATH = /^\/rules\/?$/;

/** A base that no real page has, to resolve a relative `next` against and compare origins. */
const PROBE_ORIGIN = 'http://portal.invalid';

/**
 * The path to go to after signing in, or null when `raw` is not a safe one. Only paths of this site:
 * starting with one `/`, never `//` or `/\` (browsers read both as another host), no control
 * characters (browsers drop tabs and newlines, which could turn `/\t/x` into `//x`), and not the
 * login page itself.
 */
export function safeNext(raw: string | null | undefined): string | null {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return null;
  for (const ch of raw) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f || ch === '\\') return null;
  }
  let url: URL;
  try {
    url = new URL(raw, PROBE_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PROBE_ORIGIN) return null;
  if (LOGIN_PATH.test(url.pathname)) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Reads a route from a URL path (and its query, which the login and coverage pages use); anything unrecognised is the map. */
export function parseRoute(pathname: string, search = ''): Route {
  const match = AREA_PATH.exec(pathname);
  if (match?.[1]) {
    let code: string;
    try {
      code = decodeURIComponent(match[1]).trim();
    } catch {
      // A malformed escape cannot name an area; show the code as typed so the panel can say so.
      code = match[1];
    }
    if (code) return { kind: 'area', code };
  }
  if (LOGIN_PATH.test(pathname)) return { kind: 'login', next: safeNext(new URLSearchParams(search).get('next')) };
  if (ADMIN_USERS_PATH.test(pathname)) return { kind: 'admin-users' };
  if (ADMIN_DEPARTMENTS_PATH.test(pathname)) return { kind: 'admin-departments' };
  if (COVERAGE_PATH.test(pathname)) return { kind: 'coverage', params: parseCoverageSearch(search) };
  if (INSPECTIONS_PATH.test(pathname)) return { kind: 'inspections' };
  const inspection = INSPECTION_PATH.exec(pathname);
  if (inspection?.[1] && Number(inspection[1]) <= 2147483647) return { kind: 'inspection', id: Number(inspection[1]) };
  if (FINDINGS_PATH.test(pathname)) {
    // The ledger keeps its filters in the query, so a reload or a step back shows the same findings.
    const query = new URLSearchParams(search).toString();
    return query ? { kind: 'findings', search: `?${query}` } : { kind: 'findings' };
  }
  if (FINDING_NEW_PATH.test(pathname)) return { kind: 'finding-new' };
  const finding = FINDING_PATH.exec(pathname);
  if (finding?.[1] && Number(finding[1]) <= 2147483647) return { kind: 'finding', id: Number(finding[1]) };
  if (TASKS_PATH.test(pathname)) return { kind: 'tasks' };
  const notice = NOTICE_PATH.exec(pathname);
  if (notice?.[1] && Number(notice[1]) <= 2147483647) return { kind: 'notice', id: Number(notice[1]) };
  if (RULES_PATH.test(pathname)) return { kind: 'rules' };
  return { kind: 'home' };
}

/** The URL path (with the query, for the login page) of a route. */
export function routePath(route: Route): string {
  switch (route.kind) {
    case 'area':
      return `/areas/${encodeURIComponent(route.code)}`;
    case 'login':
      return route.next ? `/login?next=${encodeURIComponent(route.next)}` : '/login';
    case 'admin-users':
      return '/admin/users';
    case 'admin-departments':
      return '/admin/departments';
    case 'coverage':
      return `/coverage${coverageSearch(route.params)}`;
    case 'inspections':
      return '/inspections';
    case 'inspection':
      return `/inspections/${route.id}`;
    case 'findings':
      return `/findings${route.search ?? ''}`;
    case 'finding-new':
      return '/findings/new';
    case 'finding':
      return `/findings/${route.id}`;
    case 'tasks':
      return '/tasks';
    case 'notice':
      return `/notices/${route.id}`;
    case 'rules':
      return '/rules';
    case 'home':
      return '/';
  }
}

/** Whether two routes name the same view. */
export function sameRoute(a: Route, b: Route): boolean {
  return routePath(a) === routePath(b);
}
