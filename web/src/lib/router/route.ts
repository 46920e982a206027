/** What the address bar names: the whole map, or one protected area. */
export type Route = { kind: 'home' } | { kind: 'area'; code: string };

const AREA_PATH = /^\/areas\/([^/]+)\/?$/;

/** Reads a route from a URL path; anything unrecognised is the home view. */
export function parseRoute(pathname: string): Route {
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
  return { kind: 'home' };
}

/** The URL path of a route. */
export function routePath(route: Route): string {
  return route.kind === 'area' ? `/areas/${encodeURIComponent(route.code)}` : '/';
}

/** Whether two routes name the same view. */
export function sameRoute(a: Route, b: Route): boolean {
  return a.kind === b.kind && (a.kind !== 'area' || (b.kind === 'area' && a.code === b.code));
}
