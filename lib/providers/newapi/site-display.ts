import { getJson } from '../../http';
import { parseSiteDisplay } from '../../site-status';
import type { PolicyDeps, SiteCache } from '../policy';
import { DEFAULT_SITE_DISPLAY, type SiteDisplay } from './units';

/** How long a site's display settings are trusted: a day for polling, minutes when the user asks for a refresh. */
export const SITE_DISPLAY_TTL_MS = 24 * 3600_000;
export const SITE_DISPLAY_TTL_ON_DEMAND_MS = 10 * 60_000;

/**
 * Each site's display settings from its public `/api/status`, cached in storage
 * (`sites`): fetched once per site however many reads ask at once, and written with
 * the next commit.
 */
export function siteDisplayCache(deps: Pick<PolicyDeps, 'sites' | 'fetch' | 'now' | 'timeoutMs'>) {
  const requests = new Map<string, Promise<SiteDisplay>>();
  let pending: SiteCache = {};

  return {
    /** The site's settings, fetched again when older than `maxAge`. */
    async get(siteRoot: string, maxAge: number): Promise<SiteDisplay> {
      const cached = pending[siteRoot] ?? (await deps.sites.getValue())[siteRoot];
      // Fetched "in the future" (a clock that was ahead, then corrected) counts as stale, not fresh until then.
      const age = cached ? deps.now() - cached.fetchedAt : Number.POSITIVE_INFINITY;
      if (cached && age >= 0 && age < maxAge) return cached.display;
      let request = requests.get(siteRoot);
      if (!request) {
        // `/api/status` is public: no secret is sent (shared/spec/new-api.md §3).
        request = getJson(`${siteRoot}/api/status`, {}, { fetch: deps.fetch, now: deps.now, timeoutMs: deps.timeoutMs }).then((result) => {
          const display =
            result.ok && result.response.status === 200 ? parseSiteDisplay(result.response.body, result.response.headers) : null;
          if (display) pending[siteRoot] = { display, fetchedAt: deps.now() };
          // A site without /api/status (or failing it) keeps its last known settings, else new-api's defaults.
          return display ?? cached?.display ?? DEFAULT_SITE_DISPLAY;
        });
        requests.set(siteRoot, request);
        request.finally(() => requests.delete(siteRoot));
      }
      return request;
    },

    /** The settings fetched since the last call, to write. */
    take(): SiteCache {
      const fetched = pending;
      pending = {};
      return fetched;
    },
  };
}
