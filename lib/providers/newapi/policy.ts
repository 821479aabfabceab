import { pruned, sitesInUse } from '../../storage/site-caches';
import type { PolicyFactory, PolicyWrites } from '../policy';
import { billingFallback } from './billing-fallback';
import { tokenRouteBudget } from './budget';
import { SITE_DISPLAY_TTL_MS, SITE_DISPLAY_TTL_ON_DEMAND_MS, siteDisplayCache } from './site-display';

/**
 * new-api's rules for every read (shared/spec/new-api.md §3, §6.1): the token route's
 * rate budget, the site display settings cache, and the billing fallback for a key
 * held back by the budget. Declared by the `newapi-token` provider.
 */
export const newApiPolicy: PolicyFactory = (deps) => {
  const budget = tokenRouteBudget(deps);
  const sites = siteDisplayCache(deps);
  return {
    async context(key, onDemand) {
      return {
        gate: await budget.gate(),
        siteDisplay: () => sites.get(key.baseUrl, onDemand ? SITE_DISPLAY_TTL_ON_DEMAND_MS : SITE_DISPLAY_TTL_MS),
      };
    },
    fallback: billingFallback,
    recover: budget.recover,
    drain() {
      const fetched = sites.take();
      return async () => {
        const writes: PolicyWrites = {};
        // Written with only the sites some key uses: a key deleted while it was read does not bring its site back.
        if (Object.keys(fetched).length)
          writes.sites = pruned({ ...(await deps.sites.getValue()), ...fetched }, sitesInUse(await deps.keys.getValue()).roots);
        const log = budget.take();
        if (log) writes.budget = log;
        return writes;
      };
    },
  };
};
