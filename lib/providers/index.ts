import type { KeyConfig } from '../model';
import { hostUnit } from './common';
import { custom } from './custom';
import { deepseek } from './deepseek';
import { glmCoding } from './glm-coding';
import { kimiCode } from './kimi-code';
import type { ProviderId } from './manifests';
import { moonshot } from './moonshot';
import { newapiToken, newapiUser, openaiBilling } from './newapi';
import { openrouter } from './openrouter';
import type { PolicyContext, PolicyDeps, PolicyFactory, PolicyWrites, ReadPolicy } from './policy';
import { r9sManager } from './r9s-manager';
import { siliconflow } from './siliconflow';
import { stepfun } from './stepfun';
import type { Provider } from './types';

export { defaultSiteOf, probeOrder, recognise } from './detect';
export { PROVIDER_IDS, type ProviderId } from './manifests';

/**
 * Every kind's provider: its manifest with its reader, by backup `kind`. One line per
 * provider folder, checked against lib/providers/manifests.ts (same kinds, same order is
 * tested in tests/registry.test.tsx).
 */
const REGISTRY = {
  'newapi-token': newapiToken,
  'openai-billing': openaiBilling,
  'newapi-user': newapiUser,
  'r9s-manager': r9sManager,
  openrouter,
  deepseek,
  moonshot,
  siliconflow,
  stepfun,
  'glm-coding': glmCoding,
  'kimi-code': kimiCode,
  custom,
} as const satisfies { [K in ProviderId]: Provider & { id: K } };
export const PROVIDERS: { readonly [K in ProviderId]: Provider } = REGISTRY;

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

/** Every policy the registry's providers declare, as one. */
export function registryPolicy(deps: PolicyDeps): Required<ReadPolicy> {
  const policies = (Object.keys(PROVIDERS) as ProviderId[]).flatMap((id) => {
    const factory: PolicyFactory | undefined = PROVIDERS[id].policy;
    return factory ? [factory(deps)] : [];
  });
  return {
    async context(key, onDemand) {
      const parts: PolicyContext[] = [];
      for (const policy of policies) parts.push(await policy.context(key, onDemand));
      const gates = parts.flatMap((part) => (part.gate ? [part.gate] : []));
      const merged: PolicyContext = Object.assign({}, ...parts);
      if (gates.length > 1)
        merged.gate = (url) => gates.reduce<ReturnType<(typeof gates)[number]>>((held, gate) => held ?? gate(url), null);
      return merged;
    },
    async fallback(key, previous, outcome, readAs) {
      for (const policy of policies) if (policy.fallback) outcome = await policy.fallback(key, previous, outcome, readAs);
      return outcome;
    },
    async recover(dead) {
      for (const policy of policies) await policy.recover?.(dead);
    },
    drain() {
      const finish = policies.flatMap((policy) => (policy.drain ? [policy.drain()] : []));
      return async () => {
        const writes: PolicyWrites = {};
        for (const part of finish) Object.assign(writes, await part());
        return writes;
      };
    },
  };
}
