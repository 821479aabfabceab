import { describe, expect, it } from 'vitest';
import { TOKEN_ROUTE_BUDGET } from '@/lib/schedule';
import { simulateDay } from '../bench/simulate-day';

// Counts requests over 24 simulated hours against a gateway that enforces new-api's
// default limits; no wall-clock timing is asserted.
describe('24 hours of polling one new-api site at default settings', () => {
  it.each([10, 25])('with %i keys: no 429, the user’s logins never refused, every key read about every 30 minutes', async (keys) => {
    const day = await simulateDay({ keys, loginsPerHour: 6 });
    expect(day.refused429).toBe(0);
    expect(day.loginsRefused).toBe(0);
    expect(day.loginsTried).toBe(144);
    expect(day.tokenRoutePeakPerWindow).toBeLessThanOrEqual(TOKEN_ROUTE_BUDGET.requests);
    expect(day.readsPerKey.min).toBeGreaterThanOrEqual(40);
  });
});
