import { parseRoute, routePath, sameRoute, type Route } from './route.ts';

/** The route in the address bar, kept in step with the history API (back/forward included). */
export class Router {
  route = $state.raw<Route>({ kind: 'home' });
  #onPopState = () => {
    this.route = parseRoute(window.location.pathname, window.location.search);
  };

  constructor() {
    this.route = parseRoute(window.location.pathname, window.location.search);
    window.addEventListener('popstate', this.#onPopState);
  }

  /** Goes to a route, adding a history entry unless `replace` is set or nothing changes. */
  navigate(route: Route, { replace = false }: { replace?: boolean } = {}): void {
    if (sameRoute(route, this.route)) return;
    this.#write(routePath(route), replace);
    this.route = route;
  }

  /** Goes to a path of this site (e.g. the `next` of the login page), keeping its query. */
  go(path: string, { replace = false }: { replace?: boolean } = {}): void {
    const url = new URL(path, window.location.origin);
    if (url.origin !== window.location.origin) throw new Error(`not a path of this site: ${path}`);
    this.#write(`${url.pathname}${url.search}${url.hash}`, replace);
    this.route = parseRoute(url.pathname, url.search);
  }

  /** Where the person is now (path and query), e.g. to come back after signing in again. */
  get here(): string {
    return `${window.location.pathname}${window.location.search}`;
  }

  /**
   * Click handler for in-app links: follows them without a page load, but leaves modified clicks
   * (new tab, new window) to the browser.
   */
  follow = (event: MouseEvent, route: Route): void => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    this.navigate(route);
  };

  /** Stops listening to the history. */
  destroy(): void {
    window.removeEventListener('popstate', this.#onPopState);
  }

  #write(path: string, replace: boolean): void {
    if (replace) window.history.replaceState(null, '', path);
    else window.history.pushState(null, '', path);
  }
}
