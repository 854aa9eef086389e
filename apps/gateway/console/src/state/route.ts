// Hash routing: `#/investigations?status=running`, `#/investigations/<id>`, `#/approvals`, `#/audit`,
// `#/keys`. The hash survives sign-in (the page never navigates away), which is what makes a shared
// investigation link open the investigation once the user has signed in in a new tab.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'investigations'; query: URLSearchParams }
  | { page: 'investigation'; id: string }
  | { page: 'approvals'; query: URLSearchParams }
  | { page: 'audit'; query: URLSearchParams }
  | { page: 'keys' };

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const query = new URLSearchParams(search);
  const [page, id] = path.split('/');
  if (page === 'investigations' && id) return { page: 'investigation', id: decodeURIComponent(id) };
  if (page === 'approvals') return { page: 'approvals', query };
  if (page === 'audit') return { page: 'audit', query };
  if (page === 'keys') return { page: 'keys' };
  return { page: 'investigations', query };
}

export const investigationHref = (id: string) => `#/investigations/${encodeURIComponent(id)}`;

/** A hash for `page` with only the non-empty filters. */
export function hrefWith(page: string, filters: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  const search = query.toString();
  return `#/${page}${search ? `?${search}` : ''}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
