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
 * The host permission pattern for a site. Chrome's match patterns take a port and
 * then match only that port (without one they match every port); Firefox's do not
 * take a port at all (Mozilla bugs 1362809, 1468162), so there the pattern is the
 * host's. `withPort` defaults to what the build's browser allows.
 */
export function permissionPattern(siteRoot: string, withPort = !import.meta.env?.FIREFOX): string {
  const url = new URL(siteRoot);
  return `${url.protocol}//${withPort ? url.host : url.hostname}/*`;
}

/** Whether a granted host pattern (`scheme://host[:port]/path`) gives access to a site root. */
export function patternCovers(pattern: string, siteRoot: string): boolean {
  if (pattern === '<all_urls>') return true;
  const match = /^(\*|https?):\/\/([^/:]+)(?::(\d+|\*))?\//.exec(pattern);
  if (!match) return false;
  const [, scheme, host = '', port] = match;
  const url = new URL(siteRoot);
  if (scheme !== '*' && `${scheme}:` !== url.protocol) return false;
  if (port && port !== '*' && port !== (url.port || (url.protocol === 'https:' ? '443' : '80'))) return false;
  if (host === '*') return true;
  if (host.startsWith('*.')) return url.hostname === host.slice(2) || url.hostname.endsWith(host.slice(1));
  return url.hostname === host;
}

/**
 * The host patterns (as `permissionPattern` gives them) of the sites not covered by any
 * granted pattern: one look at what is granted, where asking site by site would cross
 * to the browser once per site (50 times at 500 keys, while the popup opens).
 */
export function patternsWithoutAccess(granted: readonly string[], siteRoots: Iterable<string>): Set<string> {
  const lacking = new Set<string>();
  for (const root of siteRoots) if (!granted.some((pattern) => patternCovers(pattern, root))) lacking.add(permissionPattern(root));
  return lacking;
}

/**
 * Granted host patterns no saved key needs any more, so their access can be given
 * back. Broad patterns (any host) and those the manifest grants at install are kept.
 */
export function unneededOrigins(granted: readonly string[], siteRoots: readonly string[], required: readonly string[] = []): string[] {
  return granted.filter(
    (pattern) =>
      !required.includes(pattern) &&
      !/^(\*|https?):\/\/\*\//.test(pattern) &&
      pattern !== '<all_urls>' &&
      !siteRoots.some((root) => patternCovers(pattern, root)),
  );
}

/** A site root shown to people: host and path, no scheme. */
export const displaySite = (siteRoot: string) => siteRoot.replace(/^https?:\/\//, '');
