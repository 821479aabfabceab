/**
 * Site roots and origins. A key's `baseUrl` is scheme + host + optional port +
 * optional path prefix, no trailing slash (shared/spec/automation.md §2).
 */

/**
 * Normalises what a user typed or pasted into a site root: trims, drops a query,
 * fragment and trailing slashes, and drops an API suffix people often paste
 * (`/v1`, `/api`), since each kind appends its own paths. Returns null if it is not
 * an http(s) URL.
 */
export function normaliseSiteRoot(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(/\/(v1|api)$/i, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** The origin a key's secret may be sent to. */
export const originOf = (siteRoot: string) => new URL(siteRoot).origin;

/**
 * The host permission pattern for a site. Ports are left out: Chrome matches any
 * port with it, and Firefox's match patterns do not take a port.
 */
export function permissionPattern(siteRoot: string): string {
  const url = new URL(siteRoot);
  return `${url.protocol}//${url.hostname}/*`;
}

/** A site root shown to people: host and path, no scheme. */
export const displaySite = (siteRoot: string) => siteRoot.replace(/^https?:\/\//, '');
