import type { KeyConfig } from './model';
import type { TopUpRule } from './providers/manifest';
import { PROVIDER_IDS, pageOf } from './providers/pages';
import { hostnameOf } from './url';

export type { TopUpRule };

/** Each kind's top-up rule, from its manifest (zod-free, so the popup can use it); a kind without one opens its site root. */
const rules: Partial<Record<string, TopUpRule>> = Object.fromEntries(
  PROVIDER_IDS.flatMap((id) => {
    const rule = pageOf(id).topUp;
    return rule ? [[id, rule]] : [];
  }),
);

/**
 * The page where a person adds money for this key, where known; else the key's site root.
 * `detected` is the kind an `auto` key was last read as (`KeyStatus.detectedKind`).
 */
export function topUpPage(key: Pick<KeyConfig, 'kind' | 'baseUrl'>, detected?: string): string {
  const kind = key.kind === 'auto' ? detected : key.kind;
  const rule = kind ? rules[kind] : undefined;
  if (rule && 'path' in rule) return `${key.baseUrl}${rule.path}`;
  const host = hostnameOf(key.baseUrl);
  // An `auto` key not read yet: a provider's own host says which provider it is.
  const candidates = rule ? [rule] : kind ? [] : Object.values(rules);
  for (const candidate of candidates) if (candidate && 'pages' in candidate && candidate.pages[host]) return candidate.pages[host];
  return key.baseUrl;
}
