import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reading, ReadOutcome } from '@/lib/model';
import { readKey } from '@/lib/providers/read';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { key48, liveContext, makeKey, NOW, NOW_S } from './helpers';

const healthy = key48('healthy');
const unlimited = key48('unlimited');
const exhausted = key48('exhausted');
const expired = key48('expired');
const disabled = key48('disabled');
const banned = key48('banned');

const tokens = [
  { key: healthy, name: 'laptop-key', remain: 4_250_000, used: 750_000, expiresAt: NOW_S + 3 * 86400, modelLimits: ['gpt-4o-mini', ''] },
  { key: unlimited, name: 'unlimited', remain: -900_000, used: 900_000, unlimited: true, owner: { quota: 2_000_000, used: 500_000 } },
  { key: exhausted, remain: 0, used: 5_000_000 },
  { key: expired, remain: 1_000_000, used: 0, expiresAt: NOW_S - 2 * 86400 },
  { key: disabled, remain: 1_000_000, used: 0, status: 2 as const },
  { key: banned, remain: 1_000_000, used: 0, ownerBanned: true },
];

const gateways: Record<string, FakeGateway> = {};
beforeAll(async () => {
  gateways.usd = await startGateway({
    now: () => NOW,
    flavor: 'new-api',
    tokens,
    users: [{ id: 42, accessToken: 'acc-token-abcdefghijklmnopqrstuv', quota: 1_250_000, usedQuota: 250_000 }],
  });
  gateways.cny = await startGateway({ now: () => NOW, flavor: 'new-api', tokens, display: { type: 'CNY', rate: 7.3 } });
  gateways.tokens = await startGateway({ now: () => NOW, flavor: 'new-api', tokens, display: { type: 'TOKENS' } });
  gateways.custom = await startGateway({
    now: () => NOW,
    flavor: 'new-api',
    tokens,
    display: { type: 'CUSTOM', customSymbol: '🪙', customRate: 2 },
  });
  gateways.sub = await startGateway({ now: () => NOW, flavor: 'new-api', tokens, prefix: '/relay' });
  gateways.strict = await startGateway({ now: () => NOW, flavor: 'new-api-strict', tokens });
  gateways.oneapi = await startGateway({
    now: () => NOW,
    flavor: 'one-api',
    tokens,
    users: [{ id: 7, accessToken: 'oneapi-access', quota: 500_000, usedQuota: 0 }],
  });
  gateways.onehub = await startGateway({ now: () => NOW, flavor: 'one-hub', tokens });
  gateways.wallet = await startGateway({ now: () => NOW, flavor: 'new-api', tokens, displayTokenStat: false });
  gateways.proxy = await startGateway({ now: () => NOW, flavor: 'proxy-502' });
  gateways.spa = await startGateway({ now: () => NOW, flavor: 'spa' });
  gateways.r9s = await startGateway({
    now: () => NOW,
    flavor: 'r9s',
    r9s: [
      {
        key: 'sk_mg_aaaa',
        balance: 25.5,
        coupon: 3,
        records: [
          { timestamp: NOW_S - 3600, tokens: 2048, model: 'gpt-4o-mini' },
          { timestamp: NOW_S - 7200, tokens: 1000, model: 'gpt-4o-mini' },
          { timestamp: NOW_S - 30 * 86400, tokens: 9, model: 'old' },
        ],
      },
      {
        key: 'sk_mg_bbbb',
        balance: 0,
        currency: 'cny',
        paginated: true,
        metaCode: 200,
        records: [{ timestamp: NOW_S - 60, tokens: 10, model: 'claude' }],
      },
    ],
  });
});
afterAll(async () => {
  await Promise.all(Object.values(gateways).map((g) => g.close()));
});

const read = (
  name: string,
  fields: Parameters<typeof makeKey>[0] extends infer F ? Omit<F & object, 'baseUrl'> & { baseUrl?: string } : never,
) => {
  const gateway = gateways[name];
  if (!gateway) throw new Error(name);
  const baseUrl = fields.baseUrl ?? gateway.url;
  return readKey(makeKey({ ...fields, baseUrl } as Parameters<typeof makeKey>[0]), liveContext(baseUrl));
};

const reading = (outcome: ReadOutcome): Reading => {
  if (!outcome.ok) throw new Error(`expected a reading, got ${outcome.error.kind}: ${outcome.error.message}`);
  return outcome.reading;
};
/** What the gateway received for key reads (the public /api/status lookups and the /v1/models checks left out). */
const calls = (name: string) =>
  (gateways[name]?.requests ?? []).filter((r) => !r.path.endsWith('/api/status') && !r.path.endsWith('/v1/models'));
const modelChecks = (name: string) => (gateways[name]?.requests ?? []).filter((r) => r.path.endsWith('/v1/models'));

const errorKind = (outcome: ReadOutcome) => (outcome.ok ? 'ok' : outcome.error.kind);

describe('new-api token route (/api/usage/token/)', () => {
  it('reads a healthy key in the site unit with expiry, name and model limits', async () => {
    const r = reading(await read('usd', { kind: 'newapi-token', secret: `sk-${healthy}` }));
    expect(r).toMatchObject({
      kind: 'newapi-token',
      scope: 'key',
      unit: { code: 'USD' },
      remaining: 8.5,
      granted: 10,
      used: 1.5,
      unlimited: false,
      expiresAt: NOW_S + 3 * 86400,
      name: 'laptop-key',
      modelLimits: ['gpt-4o-mini'],
    });
    const request = calls('usd').at(-1);
    expect(request?.path).toBe('/api/usage/token/');
    expect(request?.headers.authorization).toBe(`Bearer sk-${healthy}`);
  });

  it('catches a disabled key that the token route shows as healthy, keeping its figures (§9.11)', async () => {
    const outcome = await read('usd', { kind: 'newapi-token', secret: `sk-${disabled}` });
    expect(errorKind(outcome)).toBe('auth');
    expect(!outcome.ok && outcome.reading).toMatchObject({ remaining: 2, granted: 2 });
    expect(modelChecks('usd').at(-1)?.headers.authorization).toBe(`Bearer sk-${disabled}`);
  });

  it('does not ask /v1/models about a key already known to be spent or expired', async () => {
    const before = modelChecks('usd').length;
    reading(await read('usd', { kind: 'newapi-token', secret: `sk-${exhausted}` }));
    reading(await read('usd', { kind: 'newapi-token', secret: `sk-${expired}` }));
    expect(modelChecks('usd')).toHaveLength(before);
  });

  it('adds the sk- prefix to a bare 48-character key', async () => {
    reading(await read('usd', { kind: 'newapi-token', secret: healthy }));
    expect(calls('usd').at(-1)?.headers.authorization).toBe(`Bearer sk-${healthy}`);
  });

  it.each([
    ['cny', { code: 'CNY' }, 62.05],
    ['tokens', { code: 'tokens' }, 4_250_000],
    ['custom', { code: 'custom', symbol: '🪙' }, 17],
  ])('shows quota in the %s site unit', async (site, unit, remaining) => {
    const r = reading(await read(site, { kind: 'newapi-token', secret: `sk-${healthy}` }));
    expect(r.unit).toEqual(unit);
    expect(r.remaining).toBe(remaining);
  });

  it('shows an unlimited key as unlimited, not as its negative leftover', async () => {
    const r = reading(await read('usd', { kind: 'newapi-token', secret: `sk-${unlimited}` }));
    expect(r).toMatchObject({ unlimited: true, remaining: null, granted: null, used: 1.8, expiresAt: null });
  });

  it('reports an exhausted key as 0 remaining and an expired key with its past expiry', async () => {
    expect(reading(await read('usd', { kind: 'newapi-token', secret: `sk-${exhausted}` })).remaining).toBe(0);
    expect(reading(await read('usd', { kind: 'newapi-token', secret: `sk-${expired}` })).expiresAt).toBe(NOW_S - 2 * 86400);
  });

  it.each([
    ['an unknown key', `sk-${key48('nobody')}`, 'auth'],
    ['a key with a channel suffix (HTTP 200, success false)', `sk-${healthy}-12`, 'auth'],
    ['a key whose owner is banned', `sk-${banned}`, 'forbidden'],
  ])('types %s as %s', async (_, secret, kind) => {
    expect(errorKind(await read('usd', { kind: 'newapi-token', secret }))).toBe(kind);
  });

  it('works on a site served under a path prefix', async () => {
    reading(await read('sub', { kind: 'newapi-token', secret: healthy }));
    expect(calls('sub').at(-1)?.path).toBe('/relay/api/usage/token/');
  });

  it('types the 2025-08…2026-02 strict route’s 401 for a spent key as a refusal, without reading its Chinese message', async () => {
    const outcome = await read('strict', { kind: 'newapi-token', secret: exhausted });
    expect(errorKind(outcome)).toBe('auth');
    expect(!outcome.ok && outcome.error.message).toContain('HTTP 401');
  });

  it('says not-supported where the route does not exist (one-api)', async () => {
    expect(errorKind(await read('oneapi', { kind: 'newapi-token', secret: healthy }))).toBe('not-supported');
  });
});

describe('OpenAI-compatible billing', () => {
  it('reads remaining = hard limit − usage/100 and the expiry', async () => {
    const r = reading(await read('usd', { kind: 'openai-billing', secret: healthy }));
    expect(r).toMatchObject({
      kind: 'openai-billing',
      unit: { code: 'USD' },
      remaining: 8.5,
      granted: 10,
      used: 1.5,
      expiresAt: NOW_S + 3 * 86400,
      unlimited: false,
    });
    expect(
      calls('usd')
        .slice(-2)
        .map((q) => q.path),
    ).toEqual(['/v1/dashboard/billing/subscription', '/v1/dashboard/billing/usage']);
  });

  it('labels CNY sites as CNY although the fields say _usd', async () => {
    const r = reading(await read('cny', { kind: 'openai-billing', secret: healthy }));
    expect(r.unit.code).toBe('CNY');
    expect(r.remaining).toBe(62.05);
  });

  it('treats CUSTOM display as USD on billing (§2.2)', async () => {
    expect(reading(await read('custom', { kind: 'openai-billing', secret: healthy })).unit.code).toBe('USD');
  });

  it('treats the 100000000 sentinel as unlimited', async () => {
    const r = reading(await read('usd', { kind: 'openai-billing', secret: unlimited }));
    expect(r).toMatchObject({ unlimited: true, remaining: null, granted: null });
  });

  it.each([exhausted, expired, disabled])('types a key billing refuses (401) as auth', async (secret) => {
    expect(errorKind(await read('usd', { kind: 'openai-billing', secret }))).toBe('auth');
  });

  it('reads one-api with its own conversion and no /api/status display type', async () => {
    const r = reading(await read('oneapi', { kind: 'openai-billing', secret: healthy }));
    expect(r).toMatchObject({ unit: { code: 'USD' }, remaining: 8.5, granted: 10 });
  });

  it('does not call wallet numbers the key’s own (DisplayTokenStatEnabled off)', async () => {
    const r = reading(await read('wallet', { kind: 'openai-billing', secret: unlimited }));
    expect(r.scope).toBe('unqualified');
    expect(r.remaining).toBe(4);
  });

  it('falls back to the paths without /v1 when /v1 is missing', async () => {
    const outcome = await readKey(makeKey({ kind: 'openai-billing', baseUrl: 'http://x.test', secret: healthy }), {
      ...liveContext(gateways.usd?.url ?? ''),
      fetch: (input, init) => {
        const url = new URL(String(input));
        const target = `${gateways.usd?.url}${url.pathname}`;
        if (url.pathname.startsWith('/v1/'))
          return Promise.resolve(
            new Response('{"error":{"message":"Invalid URL","type":"invalid_request_error"}}', {
              status: 404,
              headers: { 'content-type': 'application/json' },
            }),
          );
        // Re-wrapped so the answer carries no URL of the other origin.
        return fetch(target, init).then(async (res) => new Response(await res.text(), { status: res.status, headers: res.headers }));
      },
    });
    expect(reading(outcome).remaining).toBe(8.5);
  });

  it('says bad-response, not a number, for a proxy HTML page', async () => {
    expect(errorKind(await read('spa', { kind: 'openai-billing', secret: healthy }))).toBe('bad-response');
    expect(errorKind(await read('proxy', { kind: 'openai-billing', secret: healthy }))).toBe('server');
  });
});

describe('new-api account (/api/user/self)', () => {
  it('reads the wallet with New-Api-User', async () => {
    const r = reading(await read('usd', { kind: 'newapi-user', secret: 'acc-token-abcdefghijklmnopqrstuv', userId: 42 }));
    expect(r).toMatchObject({ kind: 'newapi-user', scope: 'account', remaining: 2.5, granted: 3, used: 0.5, expiresAt: null });
    const request = calls('usd').at(-1);
    expect(request?.headers['new-api-user']).toBe('42');
    expect(request?.headers.authorization).toBe('acc-token-abcdefghijklmnopqrstuv');
  });

  it.each([
    ['a wrong user id', 'acc-token-abcdefghijklmnopqrstuv', 43],
    ['an unknown access token (HTTP 200 success false)', 'nope', 42],
  ])('types %s as auth', async (_, secret, userId) => {
    expect(errorKind(await read('usd', { kind: 'newapi-user', secret, userId }))).toBe('auth');
  });
});

describe('r9s.ai management API', () => {
  it('reads balance, coupon apart, and 7-day usage per model', async () => {
    const r = reading(await read('r9s', { kind: 'r9s-manager', secret: 'sk_mg_aaaa' }));
    expect(r).toMatchObject({
      kind: 'r9s-manager',
      unit: { code: 'USD' },
      remaining: 25.5,
      granted: null,
      couponBalance: 3,
      usageByModel: [{ model: 'gpt-4o-mini', tokens: 3048 }],
    });
    const usage = calls('r9s').at(-1)?.path ?? '';
    expect(usage).toMatch(/^\/api\/v1\/portal\/management\/usage\?start_time=\d+&end_time=\d+$/);
  });

  it('accepts meta.code 200 and the paginated list shape, and upper-cases the currency', async () => {
    const r = reading(await read('r9s', { kind: 'r9s-manager', secret: 'sk_mg_bbbb' }));
    expect(r).toMatchObject({ unit: { code: 'CNY' }, remaining: 0, usageByModel: [{ model: 'claude', tokens: 10 }] });
  });

  it.each([['sk_mg_cccc'], ['not-a-key']])('types a refused key %s as auth', async (secret) => {
    expect(errorKind(await read('r9s', { kind: 'r9s-manager', secret }))).toBe('auth');
  });
});

describe('auto detection', () => {
  it('uses the token route on new-api', async () => {
    expect(reading(await read('usd', { kind: 'auto', secret: healthy })).kind).toBe('newapi-token');
  });
  it('goes straight to billing on sites that are not new-api (one-api, one-hub), sparing the token route', async () => {
    const tokenRoute = (site: string) => calls(site).filter((r) => r.path.includes('/api/usage/token')).length;
    const before = [tokenRoute('oneapi'), tokenRoute('onehub')];
    expect(reading(await read('oneapi', { kind: 'auto', secret: healthy })).kind).toBe('openai-billing');
    expect(reading(await read('onehub', { kind: 'auto', secret: `sk-${healthy}` })).kind).toBe('openai-billing');
    expect([tokenRoute('oneapi'), tokenRoute('onehub')]).toEqual(before);
  });
  it('sends sk_mg_ keys to r9s', async () => {
    expect(reading(await read('r9s', { kind: 'auto', secret: 'sk_mg_aaaa' })).kind).toBe('r9s-manager');
  });
});
