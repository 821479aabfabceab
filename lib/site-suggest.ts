import { normaliseSiteRoot } from './site';

// Apart from lib/site.ts: only the key form offers a better address, and the popup, which
// loads lib/site.ts for `displaySite`, need not carry this.

/** A site root to offer for an address that is not one, and why it is offered. */
export interface SiteSuggestion {
  root: string;
  /** `scheme`: typed without http(s)://; `api-path`: an API route was pasted, not the site root. */
  reason: 'scheme' | 'api-path';
}

/**
 * The first API route in a path, with everything before it kept as the site's prefix:
 * OpenAI-style `/v1/…`, new-api's `/api/usage|user|status|token|log|data…` and
 * `/api/v1/…` (r9s, OpenRouter), `/dashboard/billing/…`, a bare `/chat/completions`,
 * `/embeddings` or `/models` (DeepSeek-style), and new-api's web console `/console/…`.
 */
const API_ROUTE =
  /^(.*?)\/(?:v1\/.|api\/(?:v1|usage|user|status|token|log|data)(?:\/|$)|dashboard\/billing(?:\/|$)|chat\/completions(?:\/|$)|console(?:\/|$)|(?:completions|embeddings|models)$)/i;

/**
 * What the user most likely meant when an address is not a usable site root: the same
 * address with `https://` (`http://` for localhost) when it has no scheme, or the root
 * when it ends in an API route (`…/v1/chat/completions` → `https://relay.example.com`).
 * Null when there is nothing better to offer.
 */
export function suggestSiteRoot(input: string): SiteSuggestion | null {
  const text = input.trim();
  if (text === '' || /\s/.test(text)) return null;
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  if (hasScheme && !/^https?:\/\//i.test(text)) return null;
  const local = /^(?:localhost|127\.\d+\.\d+\.\d+|\[::1\])(?:[:/]|$)/i.test(text);
  const candidate = hasScheme ? text : `${local ? 'http' : 'https'}://${text.replace(/^\/+/, '')}`;
  const root = normaliseSiteRoot(candidate);
  if (!root) return null;
  const url = new URL(root);
  if (!hasScheme && !local && !url.hostname.includes('.')) return null;
  const prefix = API_ROUTE.exec(url.pathname)?.[1];
  const cut = prefix === undefined ? root : (normaliseSiteRoot(`${url.origin}${prefix}`) ?? root);
  if (!hasScheme) return { root: cut, reason: 'scheme' };
  return cut !== root ? { root: cut, reason: 'api-path' } : null;
}
