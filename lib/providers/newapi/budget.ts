import type { CycleClaim } from '../../engine/claims';
import type { ReadError } from '../../model';
import { TOKEN_ROUTE_BUDGET, takeBudget } from '../../schedule';
import type { BudgetLog, PolicyDeps } from '../policy';
import { TOKEN_USAGE_PATH } from './token';

/**
 * The token route's rate budget per site origin (shared/spec/new-api.md §6.1): loaded
 * once, spent by each request to `/api/usage/token/`, and written with the next commit.
 */
export function tokenRouteBudget(deps: Pick<PolicyDeps, 'budget' | 'now'>) {
  let log: BudgetLog | null = null;
  let load: Promise<BudgetLog> | null = null;
  let dirty = false;

  // One load shared by every concurrent first read, so no reservation is made on a copy that is then dropped.
  const loaded = () => {
    load ??= deps.budget.getValue().then((stored) => (log = stored));
    return load;
  };

  return {
    /** A gate for a read's requests: a token-route request past the budget is held back, and not sent. */
    async gate(): Promise<(url: string) => ReadError | null> {
      const spent = await loaded();
      return (url) => {
        const target = new URL(url);
        if (!target.pathname.endsWith(TOKEN_USAGE_PATH)) return null;
        const taken = takeBudget(spent[target.origin] ?? [], deps.now());
        spent[target.origin] = taken.log;
        dirty = true;
        if (taken.retryAt === null) return null;
        return { kind: 'rate-limited', message: "held back to stay within the site's rate limit", retryAt: taken.retryAt, heldBack: true };
      };
    },

    /**
     * A worker that died mid-cycle left its claim behind. Its token-route requests may
     * not have been logged, so its sites' budgets are taken as spent from the moment it
     * started: Quota Glance may wait a little, but never overspends a site's budget.
     */
    async recover(dead: readonly CycleClaim[]): Promise<void> {
      const spent = await loaded();
      for (const claim of dead) {
        for (const origin of claim.origins) {
          const filler = Array.from({ length: TOKEN_ROUTE_BUDGET.requests }, () => claim.startedAt);
          spent[origin] = [...(spent[origin] ?? []), ...filler];
        }
      }
      dirty = true;
    },

    /**
     * The log to write, once after each change; undefined when nothing changed. Times
     * older than the window say nothing and are dropped, and so is an origin left with
     * none (a deleted key's site, a draft that was never saved): the log stays small.
     */
    take(): BudgetLog | undefined {
      if (!log) return undefined;
      const since = deps.now() - TOKEN_ROUTE_BUDGET.windowMs;
      // In place: gates handed out earlier write into this same object.
      for (const [origin, times] of Object.entries(log)) {
        const recent = times.filter((t) => t > since);
        if (recent.length === times.length) continue;
        if (recent.length) log[origin] = recent;
        else delete log[origin];
        dirty = true;
      }
      if (!dirty) return undefined;
      dirty = false;
      return log;
    },
  };
}
