import { describe, expect, it } from 'vitest';
import { parseRoute, routePath, safeNext, sameRoute } from '../../web/src/lib/router/route.ts';

describe('route parsing', () => {
  it('reads an area code from /areas/:code', () => {
    expect(parseRoute('/areas/WF-PA-01')).toEqual({ kind: 'area', code: 'WF-PA-01' });
    expect(parseRoute('/areas/WF-PA-01/')).toEqual({ kind: 'area', code: 'WF-PA-01' });
  });

  it('decodes escaped codes', () => {
    expect(parseRoute('/areas/WF%2DPA%2D07')).toEqual({ kind: 'area', code: 'WF-PA-07' });
    expect(parseRoute('/areas/%E6%B5%8B%E8%AF%95')).toEqual({ kind: 'area', code: '测试' });
  });

  it('keeps a malformed escape as typed, so the panel can report it as unknown', () => {
    expect(parseRoute('/areas/%E6%ZZ')).toEqual({ kind: 'area', code: '%E6%ZZ' });
  });

  it('reads the login page and its safe next path', () => {
    expect(parseRoute('/login')).toEqual({ kind: 'login', next: null });
    expect(parseRoute('/login/', '?next=%2Fareas%2FWF-PA-01')).toEqual({ kind: 'login', next: '/areas/WF-PA-01' });
    expect(parseRoute('/login', '?next=%2F%2Fevil.example')).toEqual({ kind: 'login', next: null });
    expect(parseRoute('/login', '?next=https%3A%2F%2Fevil.example%2F')).toEqual({ kind: 'login', next: null });
  });

  it('reads the admin pages', () => {
    expect(parseRoute('/admin/users')).toEqual({ kind: 'admin-users' });
    expect(parseRoute('/admin')).toEqual({ kind: 'admin-users' });
    expect(parseRoute('/admin/departments/')).toEqual({ kind: 'admin-departments' });
  });

  it('treats everything else as the home view', () => {
    for (const path of ['/', '', '/areas', '/areas/', '/areas/a/b', '/other', '/areas/%20', '/admin/other', '/loginx']) {
      expect(parseRoute(path), path).toEqual({ kind: 'home' });
    }
  });

  it('writes paths that parse back to the same route', () => {
    for (const code of ['WF-PA-01', 'WF-PA-43', '测试 1', 'a/b']) {
      const route = { kind: 'area', code } as const;
      expect(parseRoute(routePath(route))).toEqual(route);
    }
    expect(routePath({ kind: 'home' })).toBe('/');
    expect(routePath({ kind: 'admin-users' })).toBe('/admin/users');
    expect(routePath({ kind: 'admin-departments' })).toBe('/admin/departments');
    expect(routePath({ kind: 'login', next: null })).toBe('/login');
    const login = { kind: 'login', next: '/areas/WF-PA-01?x=1&y=2' } as const;
    expect(routePath(login)).toBe('/login?next=%2Fareas%2FWF-PA-01%3Fx%3D1%26y%3D2');
    const url = new URL(routePath(login), 'http://h');
    expect(parseRoute(url.pathname, url.search)).toEqual(login);
  });

  it('compares routes', () => {
    expect(sameRoute({ kind: 'home' }, { kind: 'home' })).toBe(true);
    expect(sameRoute({ kind: 'area', code: 'A' }, { kind: 'area', code: 'A' })).toBe(true);
    expect(sameRoute({ kind: 'area', code: 'A' }, { kind: 'area', code: 'B' })).toBe(false);
    expect(sameRoute({ kind: 'area', code: 'A' }, { kind: 'home' })).toBe(false);
    expect(sameRoute({ kind: 'login', next: '/a' }, { kind: 'login', next: '/b' })).toBe(false);
  });
});

describe('where to go after signing in', () => {
  it('accepts paths of this site, with their query and fragment', () => {
    expect(safeNext('/')).toBe('/');
    expect(safeNext('/areas/WF-PA-01')).toBe('/areas/WF-PA-01');
    expect(safeNext('/admin/users?x=1#top')).toBe('/admin/users?x=1#top');
    expect(safeNext('/areas/%E6%B5%8B')).toBe('/areas/%E6%B5%8B');
  });

  it('refuses anything that could leave the site', () => {
    for (const raw of [
      '//evil.example',
      '//evil.example/areas',
      '/\\evil.example',
      '\\\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      'areas/WF-PA-01',
      '/\t/evil.example',
      '/\n/evil.example',
      ' /areas',
    ]) {
      expect(safeNext(raw), JSON.stringify(raw)).toBeNull();
    }
  });

  it('keeps an escaped control character, which stays inside a path of this site', () => {
    expect(safeNext('/%0a/evil.example')).toBe('/%0a/evil.example');
  });

  it('refuses empty values and the login page itself, which would loop', () => {
    expect(safeNext(null)).toBeNull();
    expect(safeNext(undefined)).toBeNull();
    expect(safeNext('')).toBeNull();
    expect(safeNext('/login')).toBeNull();
    expect(safeNext('/login?next=%2F')).toBeNull();
  });
});
