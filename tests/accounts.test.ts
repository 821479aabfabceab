import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '@/lib/alerts';
import { createEngine } from '@/lib/engine';
import type { KeyConfig, Reading } from '@/lib/model';
import { readTokenList, tokenReading } from '@/lib/providers/newapi/account-tokens';
import { DEFAULT_SITE_DISPLAY } from '@/lib/providers/newapi/units';
import { readKey } from '@/lib/providers/read';
import { DEFAULT_SETTINGS, keyState } from '@/lib/state';
import { allViewsBySeverity, tokenViews, withTokenViews } from '@/lib/token-views';
import { memoryStore } from '../bench/memory-item';
import type { FakeAccountToken, TokenListVersion } from './fake-gateway/accounts';
import { type FakeGateway, type GatewayOptions, startGateway } from './fake-gateway/gateway';
import { cannedContext, jsonResponse, key48, liveContext, NOW, NOW_S } from './helpers';

const ACCESS = 'acc-token-abcdefghijklmnopqrstuv';
const gateways: FakeGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

async function gateway(options: Partial<GatewayOptions> & Pick<GatewayOptions, 'accounts'>, flavor: GatewayOptions['flavor'] = 'new-api') {
  const g = await startGateway({
    now: () => NOW,
    flavor,
    users: [{ id: 7, accessToken: ACCESS, quota: 1_000_000, usedQuota: 0 }],
    ...options,
  });
  gateways.push(g);
  return g;
}

const account = (g: FakeGateway, fields: Partial<KeyConfig> = {}): KeyConfig => ({
  id: 'acc',
  label: 'my account',
  baseUrl: g.url,
  kind: 'newapi-user',
  secret: ACCESS,
  userId: 7,
  watchTokens: true,
  createdAt: 0,
  updatedAt: 0,
  ...fields,
});

const manyTokens = (n: number): FakeAccountToken[] =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, userId: 7, key: key48(`t${i}`), name: `token ${i + 1}`, remain: 500_000, used: 0 }));

const forbiddenPaths = (g: FakeGateway) => g.requests.filter((r) => r.path.startsWith('/api/usage/token') || /\/key(s)?$/.test(r.path));
const listPaths = (g: FakeGateway) =>
  g.requests.filter((r) => r.path.startsWith('/api/token/')).map((r) => r.path.replace('/api/token/?', ''));

describe('token list: paging on every server version (new-api-accounts.md §A.7–§A.10)', () => {
  const cases: [TokenListVersion, GatewayOptions['flavor'], string[]][] = [
    ['new-api', 'new-api', ['p=0&size=100&page_size=100', 'p=2&size=100&page_size=100']],
    ['new-api-2025-07', 'new-api', ['p=0&size=100&page_size=100', 'p=2&size=100&page_size=100']],
    ['new-api-2025-06', 'new-api', ['p=0&size=100&page_size=100', 'p=2&size=100&page_size=100']],
    ['new-api-legacy', 'new-api', ['p=0&size=100&page_size=100', 'p=1&size=100&page_size=100', 'p=2&size=100&page_size=100']],
    ['one-api', 'one-api', Array.from({ length: 15 }, (_, p) => `p=${p}&size=100&page_size=100`)],
    ['one-hub', 'one-hub', ['p=0&size=100&page_size=100', 'page=2&size=100']],
  ];
  for (const [version, flavor, expected] of cases) {
    it(`${version}: reads all 137 tokens with the expected requests, never the token route or a reveal route`, async () => {
      const g = await gateway({ accounts: { listVersion: version, tokens: manyTokens(137) } }, flavor);
      const outcome = await readKey(account(g), liveContext(g.url));
      expect(outcome.ok).toBe(true);
      const tokens = outcome.ok ? (outcome.reading.tokens ?? []) : [];
      expect(tokens.map((t) => t.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 137 }, (_, i) => i + 1));
      expect(listPaths(g)).toEqual(expected);
      expect(forbiddenPaths(g)).toEqual([]);
      // Stored readings never hold a key, masked or full.
      expect(JSON.stringify(outcome)).not.toContain(key48('t0').slice(0, 12));
    });
  }

  it('stops when a server ignores the page number and sends the same page again', async () => {
    const seen: string[] = [];
    const page = [{ id: 3, name: 'a', status: 1, expired_time: -1, remain_quota: 1, unlimited_quota: false, used_quota: 0 }];
    const context = cannedContext((url) => {
      seen.push(url);
      return jsonResponse(200, { data: page, message: '', success: true });
    });
    const result = await readTokenList('http://relay.test', {}, context);
    expect(result).toMatchObject({ ok: true, truncated: false });
    expect(seen).toHaveLength(2);
  });

  it('caps a list that never ends at 50 pages and says it was cut', async () => {
    let id = 0;
    const context = cannedContext(() =>
      jsonResponse(200, {
        data: [{ id: ++id, name: 'x', status: 1, expired_time: -1, remain_quota: 1, unlimited_quota: false, used_quota: 0 }],
        success: true,
      }),
    );
    const result = await readTokenList('http://relay.test', {}, context);
    expect(result).toMatchObject({ ok: true, truncated: true });
    expect(id).toBe(50);
  });

  it('gives a clear error for a refused access token or an unreadable list, and keeps the wallet reading', async () => {
    const refused = cannedContext(() => jsonResponse(200, { message: 'Unauthorized, invalid access token', success: false }));
    expect(await readTokenList('http://relay.test', {}, refused)).toMatchObject({ ok: false, error: { kind: 'auth' } });
    const odd = cannedContext(() => jsonResponse(200, { data: { items: [{ name: 'no id' }], total: 1 }, success: true }));
    expect(await readTokenList('http://relay.test', {}, odd)).toMatchObject({ ok: false, error: { kind: 'bad-response' } });
  });

  it("leaves out other users' tokens (a root user's list, §Z)", async () => {
    const g = await gateway({ accounts: { tokens: manyTokens(3) } });
    const context = liveContext(g.url);
    const body = { data: { page: 1, page_size: 100, total: 2, items: [] as unknown[] }, success: true };
    body.data.items = [
      { id: 1, user_id: 7, name: 'mine', status: 1, expired_time: -1, remain_quota: 1, unlimited_quota: false, used_quota: 0 },
      { id: 2, user_id: 8, name: 'theirs', status: 1, expired_time: -1, remain_quota: 1, unlimited_quota: false, used_quota: 0 },
    ];
    const result = await readTokenList('http://relay.test', {}, { ...context, fetch: async () => jsonResponse(200, body) }, 7);
    expect(result.ok && result.tokens.map((t) => t.name)).toEqual(['mine']);
  });

  it('does not read the token list when watching is off', async () => {
    const g = await gateway({ accounts: { tokens: manyTokens(3) } });
    const outcome = await readKey(account(g, { watchTokens: false }), liveContext(g.url));
    expect(outcome.ok && outcome.reading.tokens).toBeUndefined();
    expect(listPaths(g)).toEqual([]);
  });
});

describe('token readings: derived state (§A.4) and rows', () => {
  const raw = (fields: Partial<Parameters<typeof tokenReading>[0]>) => ({
    id: 1,
    name: 'x',
    status: 1,
    expired_time: -1,
    remain_quota: 1_000_000,
    unlimited_quota: false,
    used_quota: 0,
    ...fields,
  });

  it('maps quota to the display unit, -1 to never, negative remaining to 0, unlimited to no cap', () => {
    expect(tokenReading(raw({ remain_quota: 4_250_000, used_quota: 750_000 }), DEFAULT_SITE_DISPLAY)).toMatchObject({
      remaining: 8.5,
      granted: 10,
      used: 1.5,
      expiresAt: null,
    });
    expect(tokenReading(raw({ remain_quota: -5 }), DEFAULT_SITE_DISPLAY).remaining).toBe(0);
    expect(tokenReading(raw({ unlimited_quota: true, remain_quota: -900 }), DEFAULT_SITE_DISPLAY)).toMatchObject({
      remaining: null,
      granted: null,
      unlimited: true,
    });
    expect(tokenReading(raw({ expired_time: 0 }), DEFAULT_SITE_DISPLAY).expiresAt).toBe(0);
    expect(tokenReading(raw({ name: '<img src=x onerror=alert(1)>'.repeat(10) }), DEFAULT_SITE_DISPLAY).name).toHaveLength(64);
  });
});

describe('watched accounts through the engine: rows, alerts, history, one pass per round', () => {
  let clock = NOW;
  const tokens = (): FakeAccountToken[] => [
    { id: 1, userId: 7, key: key48('ok'), name: 'healthy', remain: 4_500_000, used: 500_000 },
    { id: 2, userId: 7, key: key48('low'), name: 'low', remain: 200_000, used: 4_800_000 },
    { id: 3, userId: 7, key: key48('exp'), name: 'expired', remain: 1_000_000, used: 0, expiresAt: NOW_S - 60 },
    { id: 4, userId: 7, key: key48('exh'), name: 'exhausted', remain: 0, used: 1_000_000 },
    { id: 5, userId: 7, key: key48('dis'), name: 'disabled', remain: 1_000_000, used: 0, status: 2 },
    { id: 6, userId: 8, key: key48('oth'), name: 'other user', remain: 1_000_000, used: 0 },
  ];

  async function setup() {
    clock = NOW;
    const g = await gateway({ now: () => clock, accounts: { tokens: tokens() } });
    const key = account(g);
    const store = memoryStore([key]);
    const announced: { key: string; alert: Alert }[] = [];
    const engine = createEngine({
      fetch: (...a) => fetch(...a),
      now: () => clock,
      hasHostAccess: async () => true,
      timeoutMs: 2000,
      ...store.deps,
      onCommitted: (alerts) => {
        announced.push(...alerts.map((a) => ({ key: a.key.label, alert: a.alert })));
      },
    });
    return { g, key, store, engine, announced };
  }

  it('shows each token as a row under its account with the state its fields give', async () => {
    const { g, key, store, engine } = await setup();
    await engine.refresh('all');
    const views = tokenViews(key, store.data.statuses.acc, DEFAULT_SETTINGS, clock);
    const by = Object.fromEntries(views.map((v) => [v.key.label, v]));
    expect(Object.keys(by).sort()).toEqual(['disabled', 'exhausted', 'expired', 'healthy', 'low']);
    expect(views.map((v) => v.state)).toEqual(['expired', 'exhausted', 'invalid', 'low', 'ok']);
    expect(by.disabled?.status?.error?.kind).toBe('forbidden');
    expect(by.healthy?.status?.reading).toMatchObject({ remaining: 9, granted: 10, unit: { code: 'USD' }, expiresAt: null });
    for (const v of views) {
      expect(v.parent).toEqual({ id: 'acc', label: 'my account' });
      expect(v.key.secret).toBe('');
    }
    // Placed right after the account; the badge sees them too.
    const ranked = withTokenViews([{ key, status: store.data.statuses.acc, state: 'ok' }], DEFAULT_SETTINGS, clock);
    expect(ranked.map((v) => v.key.label)).toEqual(['my account', 'expired', 'exhausted', 'disabled', 'low', 'healthy']);
    expect(allViewsBySeverity(ranked, DEFAULT_SETTINGS, clock)[0]?.state).toBe('expired');
    expect(forbiddenPaths(g)).toEqual([]);
    expect(JSON.stringify(store.data)).not.toContain(key48('ok').slice(0, 12));
  });

  it('uses exactly one token-list pass per round and announces each token crossing once', async () => {
    const { g, engine, announced } = await setup();
    await engine.refresh('all');
    const states = announced.filter((a) => a.alert.kind === 'state').map((a) => `${a.key}=${a.alert.state}`);
    expect(states.sort()).toEqual(['disabled=invalid', 'exhausted=exhausted', 'expired=expired', 'low=low']);
    clock += 30 * 60_000;
    await engine.refresh('all');
    clock += 30 * 60_000;
    await engine.refresh('all');
    expect(listPaths(g)).toEqual(Array(3).fill('p=0&size=100&page_size=100'));
    expect(announced.filter((a) => a.alert.kind === 'state')).toHaveLength(4);
    expect(forbiddenPaths(g)).toEqual([]);
  });

  it("keeps each token's history for forecasts, and drops the tokens that disappear", async () => {
    const { g, store, engine } = await setup();
    const list = g.options.accounts?.tokens ?? [];
    for (let i = 0; i < 4; i++) {
      await engine.refresh('all');
      const healthy = list.find((t) => t.id === 1);
      if (healthy) healthy.remain -= 250_000;
      clock += 60 * 60_000;
    }
    expect(store.data.history['acc:token:1']).toHaveLength(4);
    const trend = store.data.statuses.acc?.children?.['acc:token:1']?.trend;
    expect(trend?.burnPerDay).toBeCloseTo(12, 5);
    expect(trend?.runsOutAt).not.toBeNull();
    // Token 1 deleted on the gateway, a new one created.
    list.splice(
      list.findIndex((t) => t.id === 1),
      1,
      { id: 9, userId: 7, key: key48('new'), name: 'new', remain: 1_000_000, used: 0 },
    );
    await engine.refresh('all');
    expect(store.data.history['acc:token:1']).toBeUndefined();
    expect(store.data.statuses.acc?.children?.['acc:token:1']).toBeUndefined();
    expect(store.data.statuses.acc?.children?.['acc:token:9']).toBeDefined();
    expect(store.data.history['acc:token:9']).toHaveLength(1);
  });

  it('keeps the last known tokens, marked as errors, when the token list fails this round', async () => {
    const { g, key, store, engine } = await setup();
    await engine.refresh('all');
    const accounts = g.options.accounts as { tokens: FakeAccountToken[] };
    const original = accounts.tokens;
    // A token without an id: the list is unreadable this round.
    accounts.tokens = [{ userId: 7, name: 'broken', key: 'k' } as FakeAccountToken];
    clock += 60_000;
    await engine.refresh('all');
    accounts.tokens = original;
    const views = tokenViews(key, store.data.statuses.acc, DEFAULT_SETTINGS, clock);
    expect(views).toHaveLength(5);
    expect(views.every((v) => v.state === 'expired' || v.state === 'error')).toBe(true);
    expect(store.data.statuses.acc?.reading?.tokensError?.kind).toBe('bad-response');
  });
});

describe('subscription plans (§B)', () => {
  const sub = (fields: Partial<import('./fake-gateway/accounts').FakeSubscription>) => ({
    id: 311,
    userId: 7,
    planId: 4,
    total: 12_500_000,
    used: 3_000_000,
    startTime: NOW_S - 10 * 86400,
    endTime: NOW_S + 20 * 86400,
    nextReset: NOW_S + 5 * 3600,
    ...fields,
  });

  it('reads active plans with their window, reset and end, apart from the wallet', async () => {
    const g = await gateway({
      accounts: {
        tokens: [],
        subscriptions: [sub({}), sub({ id: 120, status: 'expired', endTime: NOW_S - 86400 }), sub({ id: 5, planId: 9, total: 0 })],
        plans: [{ id: 4, title: 'Pro Monthly' }],
      },
    });
    const outcome = await readKey(account(g, { watchTokens: false }), liveContext(g.url));
    const reading = outcome.ok ? outcome.reading : null;
    expect(reading?.remaining).toBe(2);
    expect(reading?.plans).toEqual([
      expect.objectContaining({
        id: 311,
        title: 'Pro Monthly',
        remaining: 19,
        total: 25,
        resetsAt: NOW_S + 5 * 3600,
        endsAt: NOW_S + 20 * 86400,
      }),
      expect.objectContaining({ id: 5, title: null, planId: 9, unlimited: true, remaining: null }),
    ]);
    expect(g.requests.map((r) => r.path)).toEqual(['/api/user/self', '/api/status', '/api/subscription/self', '/api/subscription/plans']);
  });

  it('shows a window as fresh once its reset time has passed (§B.3)', async () => {
    const g = await gateway({ accounts: { tokens: [], subscriptions: [sub({ used: 12_000_000, nextReset: NOW_S - 10 })] } });
    const outcome = await readKey(account(g), liveContext(g.url));
    expect(outcome.ok && outcome.reading.plans?.[0]).toMatchObject({ remaining: 25, used: 0 });
  });

  it('shows no plan section on a server without subscriptions (404 Invalid URL)', async () => {
    const g = await gateway({ accounts: { tokens: [] } });
    const outcome = await readKey(account(g), liveContext(g.url));
    expect(outcome.ok).toBe(true);
    expect(outcome.ok && 'plans' in outcome.reading).toBe(false);
    expect(outcome.ok && outcome.reading.plansError).toBeUndefined();
    expect(g.requests.find((r) => r.path === '/api/subscription/self')?.status).toBe(404);
  });

  it('an empty wallet is not exhausted while a plan covers it', () => {
    const reading: Reading = {
      kind: 'newapi-user',
      scope: 'account',
      unit: { code: 'USD' },
      unlimited: false,
      remaining: 0,
      granted: 5,
      used: 5,
      expiresAt: null,
      fetchedAt: NOW,
    };
    const key = { id: 'a', label: 'a', baseUrl: 'http://x', kind: 'newapi-user', secret: 's', createdAt: 0, updatedAt: 0 } as const;
    const status = { reading, error: null, attemptedAt: NOW, failures: 0 };
    expect(keyState(key, status, DEFAULT_SETTINGS, NOW)).toBe('exhausted');
    const plan = {
      id: 1,
      planId: 1,
      title: null,
      remaining: 3,
      total: 25,
      used: 22,
      unlimited: false,
      resetsAt: null,
      endsAt: NOW_S + 86400,
    };
    expect(keyState(key, { ...status, reading: { ...reading, plans: [plan] } }, DEFAULT_SETTINGS, NOW)).toBe('ok');
  });

  it('alerts when a plan runs low in its window and when it is about to end, once each', async () => {
    let clock = NOW;
    const g = await gateway({
      now: () => clock,
      accounts: { tokens: [], subscriptions: [sub({ used: 12_000_000, endTime: NOW_S + 2 * 86400 })], plans: [{ id: 4, title: 'Pro' }] },
    });
    const store = memoryStore([account(g, { watchTokens: false })]);
    const announced: string[] = [];
    const engine = createEngine({
      fetch: (...a) => fetch(...a),
      now: () => clock,
      hasHostAccess: async () => true,
      ...store.deps,
      onCommitted: (alerts) => {
        announced.push(...alerts.map((a) => `${a.key.label}:${a.alert.kind}:${a.alert.state}`));
      },
    });
    await engine.refresh('all');
    clock += 60_000;
    await engine.refresh('all');
    expect(announced.sort()).toEqual(['my account · Pro:expiring:low', 'my account · Pro:state:low']);
  });
});
