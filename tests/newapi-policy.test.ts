import { describe, expect, it } from 'vitest';
import type { KeyConfig, KeyStatus, Reading, ReadOutcome } from '@/lib/model';
import { newApiPolicy } from '@/lib/providers/newapi/policy';
import { DEFAULT_SITE_DISPLAY } from '@/lib/providers/newapi/units';
import type { BudgetLog, SiteCache } from '@/lib/providers/policy';
import { TOKEN_ROUTE_BUDGET } from '@/lib/schedule';
import { jsonResponse, NOW } from './helpers';

// new-api's policy on its own, without the engine: what a gateway would receive
// (requests sent or held back) and what the engine is given to store.

const SITE = 'https://relay.example';
const key: KeyConfig = { id: 'k1', label: 'k', baseUrl: SITE, kind: 'newapi-token', secret: 'sk-x', createdAt: 0, updatedAt: 0 };
const item = <T>(value: T) => ({ getValue: async () => structuredClone(value) });

function setup(stored: { budget?: BudgetLog; sites?: SiteCache; keys?: KeyConfig[] } = {}) {
  const asked: string[] = [];
  const policy = newApiPolicy({
    fetch: async (input) => {
      asked.push(String(input));
      return jsonResponse(200, { success: true, data: { quota_per_unit: 1000, quota_display_type: 'CNY' } });
    },
    now: () => NOW,
    sites: item(stored.sites ?? {}),
    budget: item(stored.budget ?? {}),
    keys: item(stored.keys ?? [key]),
  });
  return { policy, asked };
}

describe('new-api policy: the token route budget', () => {
  it('lets the budget’s requests through, holds the next one back until the window frees, and hands the log to the commit', async () => {
    const { policy } = setup();
    const gate = (await policy.context(key, false)).gate;
    if (!gate) throw new Error('no gate');
    const token = `${SITE}/api/usage/token/`;
    for (let i = 0; i < TOKEN_ROUTE_BUDGET.requests; i++) expect(gate(token)).toBeNull();
    expect(gate(token)).toMatchObject({ kind: 'rate-limited', heldBack: true, retryAt: NOW + TOKEN_ROUTE_BUDGET.windowMs });
    // Other routes spend nothing.
    expect(gate(`${SITE}/v1/dashboard/billing/subscription`)).toBeNull();
    const writes = await policy.drain?.()();
    expect(writes?.budget?.[SITE]).toHaveLength(TOKEN_ROUTE_BUDGET.requests);
    // Written once per change.
    expect((await policy.drain?.()())?.budget).toBeUndefined();
  });

  it('takes a dead cycle’s sites as spent from when it started', async () => {
    const { policy } = setup();
    await policy.recover?.([{ startedAt: NOW - 60_000, origins: [SITE] }]);
    const gate = (await policy.context(key, false)).gate;
    expect(gate?.(`${SITE}/api/usage/token/`)).toMatchObject({ heldBack: true, retryAt: NOW - 60_000 + TOKEN_ROUTE_BUDGET.windowMs });
    expect((await policy.drain?.()())?.budget?.[SITE]?.length).toBeGreaterThanOrEqual(TOKEN_ROUTE_BUDGET.requests);
  });
});

describe('new-api policy: the site display cache', () => {
  it('asks `/api/status` once for concurrent reads, and stores what it learnt with the stored sites', async () => {
    const other = { display: DEFAULT_SITE_DISPLAY, fetchedAt: NOW };
    const { policy, asked } = setup({
      sites: { 'https://other.example': other },
      keys: [key, { ...key, id: 'k2', baseUrl: 'https://other.example' }],
    });
    const context = await policy.context(key, false);
    const [a, b] = await Promise.all([context.siteDisplay?.(), context.siteDisplay?.()]);
    expect(asked).toEqual([`${SITE}/api/status`]);
    expect(a).toMatchObject({ quotaPerUnit: 1000, displayType: 'CNY', newApi: true });
    expect(b).toEqual(a);
    const writes = await policy.drain?.()();
    expect(writes?.sites).toEqual({ 'https://other.example': other, [SITE]: { display: a, fetchedAt: NOW } });
  });

  it.each([
    ['polling trusts a day-old answer', false, 23 * 3600_000, 0],
    ['polling asks again after a day', false, 25 * 3600_000, 1],
    ['a refresh asks again after ten minutes', true, 11 * 60_000, 1],
    ['a refresh trusts a five-minute-old answer', true, 5 * 60_000, 0],
  ])('%s', async (_name, onDemand, age, requests) => {
    const { policy, asked } = setup({ sites: { [SITE]: { display: DEFAULT_SITE_DISPLAY, fetchedAt: NOW - age } } });
    await (await policy.context(key, onDemand)).siteDisplay?.();
    expect(asked).toHaveLength(requests);
  });
});

describe('new-api policy: reading through billing when held back', () => {
  const last: Reading = {
    kind: 'newapi-token',
    scope: 'key',
    unit: { code: 'USD', symbol: '$' },
    unlimited: false,
    remaining: 40,
    granted: 100,
    used: 60,
    expiresAt: 1_900_000_000,
    name: 'my key',
    fetchedAt: NOW - 3600_000,
  };
  const previous: KeyStatus = { reading: last, error: null, attemptedAt: NOW - 3600_000, failures: 0 };
  const heldBack: ReadOutcome = { ok: false, error: { kind: 'rate-limited', message: 'held back', retryAt: NOW + 1, heldBack: true } };
  const billing = (fields: Partial<Reading>): ReadOutcome => ({
    ok: true,
    reading: {
      ...last,
      kind: 'openai-billing',
      scope: 'unqualified',
      name: undefined,
      expiresAt: null,
      remaining: 30,
      used: 70,
      fetchedAt: NOW,
      ...fields,
    },
  });
  const refused: ReadOutcome = { ok: false, error: { kind: 'auth', message: 'HTTP 401' } };

  it.each<[string, KeyStatus | undefined, ReadOutcome, ReadOutcome | null, 'held' | 'billing' | 'merged']>([
    ['a read that was not held back is kept, billing is not asked', previous, { ok: true, reading: last }, null, 'held'],
    ['a key never read on the token route waits its turn', undefined, heldBack, null, 'held'],
    ['billing with the same grant is taken, with the token route’s name', previous, heldBack, billing({}), 'merged'],
    ['billing with another grant (the owner’s wallet) is not taken', previous, heldBack, billing({ granted: 5000 }), 'held'],
    ['billing in another unit is not taken', previous, heldBack, billing({ unit: { code: 'CNY' } }), 'held'],
    ['billing refusing the key is news worth showing now', previous, heldBack, refused, 'billing'],
    [
      'billing failing otherwise leaves the key held back',
      previous,
      heldBack,
      { ok: false, error: { kind: 'server', message: 'HTTP 502' } },
      'held',
    ],
  ])('%s', async (_name, before, outcome, answer, expected) => {
    const { policy } = setup();
    const asked: string[] = [];
    const result = await policy.fallback?.(key, before, outcome, async (kind) => {
      asked.push(kind);
      if (!answer) throw new Error('billing should not be asked');
      return answer;
    });
    expect(asked).toEqual(answer ? ['openai-billing'] : []);
    if (expected === 'held') expect(result).toBe(outcome);
    if (expected === 'billing') expect(result).toBe(answer);
    if (expected === 'merged') {
      expect(result).toEqual({
        ok: true,
        reading: { ...(answer as { reading: Reading }).reading, kind: 'newapi-token', scope: 'key', name: 'my key' },
      });
    }
  });
});

describe('new-api policy: the caches stay small and trust no future time', () => {
  it('the budget log drops times older than its window, and an origin left with none (a deleted key’s, a draft’s)', async () => {
    const GONE = 'https://deleted.example';
    const old = NOW - TOKEN_ROUTE_BUDGET.windowMs - 1;
    const { policy } = setup({ budget: { [SITE]: [old, NOW - 1000], [GONE]: [old] } });
    (await policy.context(key, true)).gate?.(`${SITE}/api/usage/token/`);
    expect((await policy.drain?.()())?.budget).toEqual({ [SITE]: [NOW - 1000, NOW] });
  });

  it('the display cache is written with only the sites some key uses (a key deleted while it was read)', async () => {
    const display = { display: DEFAULT_SITE_DISPLAY, fetchedAt: NOW };
    const { policy } = setup({ sites: { 'https://deleted.example': display }, keys: [] });
    await (await policy.context(key, true)).siteDisplay?.();
    expect((await policy.drain?.()())?.sites).toEqual({});
  });

  it('site settings stamped in the future (a clock that was ahead) are fetched again, not trusted until then', async () => {
    const { policy, asked } = setup({ sites: { [SITE]: { display: DEFAULT_SITE_DISPLAY, fetchedAt: NOW + 86_400_000 } } });
    await (await policy.context(key, false)).siteDisplay?.();
    expect(asked).toEqual([`${SITE}/api/status`]);
  });
});
