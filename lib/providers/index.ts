import type { KeyConfig } from '../model';
import { collect, type FolderModules } from './collect';
import { hostUnit } from './common';
import { PROVIDER_IDS, type ProviderId } from './manifests';
import type { PolicyContext, PolicyDeps, PolicyFactory, PolicyWrites, ReadPolicy } from './policy';
import type { Provider } from './types';

export { defaultSiteOf, probeOrder, recognise } from './detect';
export { PROVIDER_IDS, type ProviderId } from './manifests';

/**
 * Every kind's provider (`lib/providers/<folder>/index.ts`): its manifest with its reader,
 * by backup `kind`, in the registry's order (lib/providers/pages.ts).
 */
export const PROVIDERS = collect<ProviderId, Provider>(
  import.meta.glob<unknown>('./*/index.ts', { eager: true, import: 'provider' }) as FolderModules,
  (value) => typeof value.read === 'function',
  PROVIDER_IDS,
  'provider (index.ts)',
);

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
