import { describe, expect, it } from 'vitest';
import { parseRoute, routePath, sameRoute } from '../../web/src/lib/router/route.ts';

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

  it('treats everything else as the home view', () => {
    for (const path of ['/', '', '/areas', '/areas/', '/areas/a/b', '/other', '/areas/%20']) {
      expect(parseRoute(path), path).toEqual({ kind: 'home' });
    }
  });

  it('writes paths that parse back to the same route', () => {
    for (const code of ['WF-PA-01', 'WF-PA-43', '测试 1', 'a/b']) {
      const route = { kind: 'area', code } as const;
      expect(parseRoute(routePath(route))).toEqual(route);
    }
    expect(routePath({ kind: 'home' })).toBe('/');
  });

  it('compares routes', () => {
    expect(sameRoute({ kind: 'home' }, { kind: 'home' })).toBe(true);
    expect(sameRoute({ kind: 'area', code: 'A' }, { kind: 'area', code: 'A' })).toBe(true);
    expect(sameRoute({ kind: 'area', code: 'A' }, { kind: 'area', code: 'B' })).toBe(false);
    expect(sameRoute({ kind: 'area', code: 'A' }, { kind: 'home' })).toBe(false);
  });
});
