import type { KeyConfig, ResolvedKind } from './model';

/**
 * Where a kind's sites take money: a path under the key's own site root (relay gateways),
 * or, for a provider, its console page by the API host the key reads (a proxy or a
 * regional host not listed keeps its own root).
 */
export type TopUpRule = { path: string } | { pages: Readonly<Record<string, string>> };

/**
 * The top-up page of each kind where it is known; a kind without an entry opens its site
 * root. Kept a tiny table with no imports, so the popup can use it without the provider
 * registry (zod); each provider file names its entry (`Provider.topUp`).
 */
export const TOP_UP = {
  // new-api's web router (QuantumNous/new-api web/src/App.jsx) serves the wallet at
  // `/console/topup`; releases before the /console layout served `/topup`, which current
  // servers answer with their 404 page. The version is not known here: the current route wins.
  'newapi-token': { path: '/console/topup' },
  'newapi-user': { path: '/console/topup' },
  // `openai-billing` has none: one-api serves `/topup` (songquanpeng/one-api web/default/src/App.js),
  // one-hub and done-hub `/panel/topup` (MartialBE/one-hub web/src/routes/MainRoutes.jsx), older
  // new-api `/topup`; a billing key does not say which fork it is on, so it opens the root.
  // OpenRouter's FAQ sends people to "the Credits page" to add credits.
  openrouter: { pages: { 'openrouter.ai': 'https://openrouter.ai/settings/credits' } },
  // The platforms' own top-up pages for the API hosts of shared/spec/providers.md; `.ai`/`.com`
  // platforms are separate (automation.md §2) and their pages are not confirmed, so they keep the root.
  deepseek: { pages: { 'api.deepseek.com': 'https://platform.deepseek.com/top_up' } },
  moonshot: { pages: { 'api.moonshot.cn': 'https://platform.moonshot.cn/console/pay' } },
  siliconflow: { pages: { 'api.siliconflow.cn': 'https://cloud.siliconflow.cn/expensebill' } },
} as const satisfies Partial<Record<ResolvedKind, TopUpRule>>;

const rules: Partial<Record<string, TopUpRule>> = TOP_UP;

function hostOf(siteRoot: string): string {
  try {
    return new URL(siteRoot).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * The page where a person adds money for this key, where known; else the key's site root.
 * `detected` is the kind an `auto` key was last read as (`KeyStatus.detectedKind`).
 */
export function topUpPage(key: Pick<KeyConfig, 'kind' | 'baseUrl'>, detected?: string): string {
  const kind = key.kind === 'auto' ? detected : key.kind;
  const rule = kind ? rules[kind] : undefined;
  if (rule && 'path' in rule) return `${key.baseUrl}${rule.path}`;
  const host = hostOf(key.baseUrl);
  // An `auto` key not read yet: a provider's own host says which provider it is.
  const candidates = rule ? [rule] : kind ? [] : Object.values(rules);
  for (const candidate of candidates) if (candidate && 'pages' in candidate && candidate.pages[host]) return candidate.pages[host];
  return key.baseUrl;
}
