import { bareSecret } from '../adapters/types';
import type { KeyConfig } from '../model';
import { hostUnit } from './common';
import { custom } from './custom';
import { deepseek } from './deepseek';
import { moonshot } from './moonshot';
import { newapiToken } from './newapi-token';
import { newapiUser } from './newapi-user';
import { openaiBilling } from './openai-billing';
import { openrouter } from './openrouter';
import { r9sManager } from './r9s-manager';
import { siliconflow } from './siliconflow';
import { stepfun } from './stepfun';
import type { Provider } from './types';

/**
 * Every kind of key Quota Glance reads, by backup `kind`. Adding a provider is one
 * file in this folder and one line here; `KeyKind` is derived from these names.
 */
export const PROVIDERS = {
  'newapi-token': newapiToken,
  'openai-billing': openaiBilling,
  'newapi-user': newapiUser,
  'r9s-manager': r9sManager,
  openrouter,
  deepseek,
  moonshot,
  siliconflow,
  stepfun,
  custom,
} as const satisfies Record<string, Provider>;

/** A kind the registry reads (every kind but `auto`). */
export type ProviderId = keyof typeof PROVIDERS;

/** The registry's kinds, in its order. */
export const PROVIDER_IDS = Object.keys(PROVIDERS) as ProviderId[];

/** The host of a site root, or '' when it is not a URL. */
function hostOf(siteRoot: string): string {
  try {
    return new URL(siteRoot).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * The kind `auto` can tell without asking anyone (shared/spec/automation.md §2): a
 * secret prefix (`sk_mg_`, `sk-or-`), then a provider's own host. Null means ask the
 * site (the relay kinds).
 */
export function recognise(key: Pick<KeyConfig, 'secret' | 'baseUrl'>): ProviderId | null {
  const secret = bareSecret(key.secret);
  const host = hostOf(key.baseUrl);
  for (const id of PROVIDER_IDS) {
    const prefix = PROVIDERS[id].detect.secretPrefix;
    if (prefix && secret.toLowerCase().startsWith(prefix.toLowerCase())) return id;
  }
  for (const id of PROVIDER_IDS) {
    const hosts: readonly string[] = PROVIDERS[id].detect.hosts ?? [];
    if (host && hosts.includes(host)) return id;
  }
  return null;
}

/** The site root the form fills in for a kind, if it has a home. */
export const defaultSiteOf = (kind: ProviderId): string | undefined => PROVIDERS[kind].defaultSite;

/**
 * The unit code a kind's reading takes when the key names none (automation.md §2), for
 * the form to preselect; null when the answer states its own unit.
 */
export function defaultUnitOf(kind: ProviderId, baseUrl: string): string | null {
  const rule = PROVIDERS[kind].unit;
  if (rule.from !== 'key') return null;
  if (rule.otherwise !== 'host') return rule.otherwise;
  return hostUnit({ baseUrl } as KeyConfig, true).code;
}
