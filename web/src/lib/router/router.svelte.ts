import { parseRoute, routePath, sameRoute, type Route } from './route.ts';

/** The route in the address bar, kept in step with the history API (back/forward included). */
export class Router {
  route = $state.raw<Route>({ kind: 'home' });
  #onPopState = () => {
    this.route = parseRoute(window.location.pathname);
  };

  constructor() {
    this.route = parseRoute(window.location.pathname);
    window.addEventListener('popstate', this.#onPopState);
  }

  /** Goes to a route, adding a history entry unless `replace` is set or nothing changes. */
  navigate(route: Route, { replace = false }: { replace?: boolean } = {}): void {
    if (sameRoute(route, this.route)) return;
    const path = routePath(route);
    if (replace) window.history.replaceState(null, '', path);
    else window.history.pushState(null, '', path);
    this.route = route;
  }

  /** Stops listening to the history. */
  destroy(): void {
    window.removeEventListener('popstate', this.#onPopState);
  }
}
