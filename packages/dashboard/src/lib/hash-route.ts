/** A page of the dashboard. Routes live in the URL hash so the static files work under any path. */
export type Route =
  | { page: 'inbox' }
  | { page: 'history' }
  | { page: 'audit' }
  | { page: 'stops' }
  | { page: 'grants' }
  | { page: 'request'; id: string };

/** Reads a route from a location hash such as `#/requests/req_1`; unknown hashes go to the inbox. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const request = /^\/requests\/([^/?#]+)$/.exec(path);
  if (request?.[1]) return { page: 'request', id: decodeURIComponent(request[1]) };
  if (path === '/history') return { page: 'history' };
  if (path === '/audit') return { page: 'audit' };
  if (path === '/stops') return { page: 'stops' };
  if (path === '/grants') return { page: 'grants' };
  return { page: 'inbox' };
}

/** The hash for a route. */
export function routeHash(route: Route): string {
  if (route.page === 'request') return `#/requests/${encodeURIComponent(route.id)}`;
  if (route.page === 'inbox') return '#/';
  return `#/${route.page}`;
}
