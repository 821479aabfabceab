import { describe, expect, it } from 'vitest';
import { TOKEN_ROUTE_BUDGET } from '@/lib/schedule';
import { simulateDay } from '../bench/simulate-day';

// Counts requests over 24 simulated hours against a gateway that enforces new-api's
// default limits. Time is the simulation's own clock (engine, gateway and rate limits
// all read it), so the outcome does not depend on the machine's speed; the work is a
// fixed 1,440 simulated minutes, so no wall-clock timeout is set that a slow or busy
// machine could hit (issue #7, item 17). Every request still ends: the engine's own
// request timeout bounds each one.
const NO_WALL_CLOCK_LIMIT = { timeout: 0 };

describe('24 hours of polling one new-api site at default settings', () => {
  it.each([10, 25])(
    'with %i keys: no 429, the user’s logins never refused, every key read about every 30 minutes',
    NO_WALL_CLOCK_LIMIT,
    async (keys) => {
      const day = await simulateDay({ keys, loginsPerHour: 6 });
      expect(day.refused429).toBe(0);
      expect(day.loginsRefused).toBe(0);
      expect(day.loginsTried).toBe(144);
      expect(day.tokenRoutePeakPerWindow).toBeLessThanOrEqual(TOKEN_ROUTE_BUDGET.requests);
      expect(day.readsPerKey.min).toBeGreaterThanOrEqual(40);
    },
  );
});
