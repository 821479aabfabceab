import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '@/lib/engine';
import type { KeyConfig, KeyStatus, ReadOutcome } from '@/lib/model';
import { ADAPTERS, readKey } from '@/lib/providers/read';
import { capping, DEFAULT_SETTINGS, keyState } from '@/lib/state';
import { memoryStore } from '../bench/memory-item';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { answer } from './fake-gateway/providers';
import { SUB2API_ERRORS } from './fake-gateway/sub2api';
import { liveContext, makeKey } from './helpers';

/** shared/spec/relays.md §8: "now = 2026-12-08T08:00:00Z (Unix 1796716800)". */
const NOW = Date.UTC(2026, 11, 8, 8, 0, 0);
const at = (iso: string) => Date.parse(iso) / 1000;

// relays.md §2.3 and §8.1, served verbatim (the spec's line breaks are only for reading).
const S1 =
  '{"days_until_expiry":11,"expires_at":"2026-12-20T00:00:00+08:00","isValid":true,"mode":"quota_limited",' +
  '"quota":{"limit":50,"remaining":37.5,"unit":"USD","used":12.5},' +
  '"rate_limits":[{"limit":5,"remaining":1.2,"reset_at":"2026-12-08T19:00:00+08:00","used":3.8,"window":"5h","window_start":"2026-12-08T14:00:00+08:00"},' +
  '{"limit":20,"remaining":20,"used":0,"window":"1d","window_start":null}],' +
  '"remaining":37.5,"status":"active","unit":"USD",' +
  '"usage":{"average_duration_ms":5210.5,"rpm":0,"today":{"actual_cost":1.3,"cache_creation_tokens":0,"cache_read_tokens":52000,"cost":1.3,"input_tokens":1200,"output_tokens":900,"requests":7,"total_tokens":54100},"total":{"actual_cost":12.5,"cache_creation_tokens":0,"cache_read_tokens":410000,"cost":12.5,"input_tokens":9000,"output_tokens":7000,"requests":61,"total_tokens":426000},"tpm":0}}';
const S2 = S1.replace(
  '{"limit":5,"remaining":1.2,"reset_at":"2026-12-08T19:00:00+08:00","used":3.8,"window":"5h","window_start":"2026-12-08T14:00:00+08:00"}',
  '{"limit":5,"remaining":0,"reset_at":"2026-12-08T18:00:00+08:00","used":5.02,"window":"5h","window_start":"2026-12-08T13:00:00+08:00"}',
);
const S3 =
  '{"isValid":true,"mode":"quota_limited","quota":{"limit":50,"remaining":0,"unit":"USD","used":50.3},"remaining":0,"status":"quota_exhausted","unit":"USD"}';
const S4 =
  '{"days_until_expiry":0,"expires_at":"2026-12-01T00:00:00+08:00","isValid":true,"mode":"quota_limited","quota":{"limit":50,"remaining":20,"unit":"USD","used":30},"remaining":20,"status":"expired","unit":"USD"}';
const S5 = S4.replace('"status":"expired"', '"status":"active"');
const S6 =
  '{"isValid":true,"mode":"unrestricted","planName":"Claude Pro","remaining":12.5,' +
  '"subscription":{"daily_limit_usd":30,"daily_usage_usd":10,"expires_at":"2027-01-01T00:00:00+08:00","monthly_limit_usd":null,"monthly_usage_usd":0,"weekly_limit_usd":100,"weekly_usage_usd":87.5,"weekly_window_start":"2026-12-05T09:00:00+08:00"},' +
  '"unit":"USD"}';
const S7 =
  '{"isValid":true,"mode":"unrestricted","planName":"Team","remaining":-1,"subscription":{"daily_limit_usd":null,"daily_usage_usd":3,"expires_at":"2027-03-01T00:00:00+08:00","monthly_limit_usd":null,"monthly_usage_usd":40,"weekly_limit_usd":null,"weekly_usage_usd":12},"unit":"USD"}';
const S8 = '{"isValid":true,"mode":"unrestricted","planName":"Claude Pro","unit":"USD"}';
const WALLET = '{"balance":3.2,"isValid":true,"mode":"unrestricted","planName":"钱包余额","remaining":3.2,"unit":"USD"}';
const WALLET_EMPTY = '{"balance":0,"isValid":true,"mode":"unrestricted","planName":"钱包余额","remaining":0,"unit":"USD"}';
const VERSION_A = '{"isValid":true,"planName":"Team","remaining":-1,"unit":"USD"}';
/** A subscription that ended on 2026-12-01 (before now), as a previous reading of scenario 8 saw it. */
const ENDED = S6.replace('"expires_at":"2027-01-01T00:00:00+08:00"', '"expires_at":"2026-12-01T00:00:00+08:00"');

const accounts: Record<string, unknown> = {
  'sk-s1': S1,
  'sk-s2': S2,
  'sk-s3': S3,
  'sk-s4': S4,
  'sk-s5': S5,
  'sk-s6': S6,
  'sk-s7': S7,
  'sk-s8': S8,
  'sk-wallet': WALLET,
  'sk-a': VERSION_A,
  'sk-a-wallet': '{"isValid":true,"planName":"钱包余额","remaining":4.5,"unit":"USD"}',
  'sk-a-full': '{"isValid":true,"planName":"Team","remaining":0,"unit":"USD"}',
  'sk-no-sub': answer(403, SUB2API_ERRORS.SUBSCRIPTION_NOT_FOUND),
  'sk-sub-invalid': answer(403, '{"code":"SUBSCRIPTION_INVALID","message":"subscription has expired"}'),
  'sk-ip': answer(403, '{"code":"ACCESS_DENIED","message":"Access denied. Your IP is 10.0.0.1"}'),
  'sk-500': answer(500, '{"code":"INTERNAL_ERROR","message":"Failed to validate API key"}'),
  'sk-odd': '{"data":{"balance":3}}',
};

let gateway: FakeGateway;
beforeAll(async () => {
  gateway = await startGateway({ flavor: 'sub2api', provider: { accounts }, now: () => NOW });
});
afterAll(() => gateway.close());

const keyFor = (secret: string): KeyConfig => makeKey({ label: secret, kind: 'sub2api', baseUrl: gateway.url, secret });
const read = (secret: string) =>
  ADAPTERS.sub2api(
    keyFor(secret),
    liveContext(gateway.url, () => NOW),
  );
const stateOf = (secret: string, outcome: ReadOutcome) => {
  const status: KeyStatus = outcome.ok
    ? { reading: outcome.reading, error: null, attemptedAt: NOW, failures: 0 }
    : { reading: null, error: { ...outcome.error, at: NOW }, attemptedAt: NOW, failures: 1 };
  return keyState(keyFor(secret), status, DEFAULT_SETTINGS, NOW);
};
const reading = (outcome: ReadOutcome) => {
  if (!outcome.ok) throw new Error(`not read: ${outcome.error.kind} ${outcome.error.message}`);
  return outcome.reading;
};
const usd = (name: string, limit: number | null, used: number | null, remaining: number | null, resetsAt: number | null) => ({
  name,
  unit: 'USD',
  limit,
  used,
  remaining,
  resetsAt,
});

describe('Sub2API: GET /v1/usage (relays.md §2, scenarios §8.1)', () => {
  it('asks GET /v1/usage with exactly "Bearer <key>", nothing in the query', async () => {
    await read('sk-s1');
    const asked = gateway.requests.at(-1);
    expect(asked).toMatchObject({ method: 'GET', path: '/v1/usage', status: 200 });
    expect(asked?.headers.authorization).toBe('Bearer sk-s1');
  });

  it('1: a key quota with 5h and daily spend windows is ok, its quota the row, its expiry kept', async () => {
    const outcome = await read('sk-s1');
    const r = reading(outcome);
    expect(stateOf('sk-s1', outcome)).toBe('ok');
    expect(r.windows).toMatchObject([
      usd('5h', 5, 3.8, 1.2, at('2026-12-08T11:00:00Z')),
      usd('day', 20, 0, 20, null),
      { ...usd('total', 50, 12.5, 37.5, null), resets: false },
    ]);
    expect(r).toMatchObject({ remaining: 37.5, unit: { code: 'USD' }, unlimited: false, expiresAt: at('2026-12-19T16:00:00Z') });
  });

  it('2: a full 5-hour window caps the key until its reset', async () => {
    const outcome = await read('sk-s2');
    expect(stateOf('sk-s2', outcome)).toBe('capped');
    expect(capping(reading(outcome), NOW)).toEqual({ capped: true, resumesAt: at('2026-12-08T10:00:00Z') });
  });

  it('3: status quota_exhausted with the quota spent is exhausted at 0', async () => {
    const outcome = await read('sk-s3');
    expect(stateOf('sk-s3', outcome)).toBe('exhausted');
    expect(reading(outcome).remaining).toBe(0);
  });

  it('4: status expired is expired at its stated expiry, the quota left kept', async () => {
    const outcome = await read('sk-s4');
    expect(stateOf('sk-s4', outcome)).toBe('expired');
    expect(reading(outcome)).toMatchObject({ expiresAt: at('2026-11-30T16:00:00Z'), remaining: 20 });
  });

  it('5: an expiry in the past is expired even while the status still says active', async () => {
    const outcome = await read('sk-s5');
    expect(stateOf('sk-s5', outcome)).toBe('expired');
  });

  it('6: a subscription with daily and weekly limits: low on the week, its end the expiry, no monthly window', async () => {
    const outcome = await read('sk-s6');
    expect(stateOf('sk-s6', outcome)).toBe('low');
    const r = reading(outcome);
    expect(r.windows).toMatchObject([usd('day', 30, 10, 20, null), usd('week', 100, 87.5, 12.5, at('2026-12-12T01:00:00Z'))]);
    expect(r.windows?.map((w) => w.name)).toEqual(['day', 'week']);
    expect(r).toMatchObject({ unlimited: false, expiresAt: at('2026-12-31T16:00:00Z'), plan: 'Claude Pro' });
  });

  it('7: a subscription with no limit set is unlimited, never −1 USD, with no windows', async () => {
    const outcome = await read('sk-s7');
    expect(stateOf('sk-s7', outcome)).toBe('ok');
    const r = reading(outcome);
    expect(r).toMatchObject({ unlimited: true, remaining: null, expiresAt: at('2027-02-28T16:00:00Z'), plan: 'Team' });
    expect(r.windows ?? []).toEqual([]);
  });

  it('8: no active subscription is exhausted on a first reading', async () => {
    const outcome = await read('sk-s8');
    expect(stateOf('sk-s8', outcome)).toBe('exhausted');
  });

  it('9: a wallet is the owner’s balance, shared by their keys; exhausted at 0', async () => {
    const outcome = await read('sk-wallet');
    expect(stateOf('sk-wallet', outcome)).toBe('ok');
    expect(reading(outcome)).toMatchObject({ remaining: 3.2, unit: { code: 'USD' }, scope: 'account', unlimited: false });
    // The wallet's "钱包余额" is not a plan's name.
    expect(reading(outcome).plan).toBeUndefined();
    accounts['sk-wallet-empty'] = WALLET_EMPTY;
    const empty = await read('sk-wallet-empty');
    expect(stateOf('sk-wallet-empty', empty)).toBe('exhausted');
  });

  it('10: version A (Dec-2025): −1 is unlimited; 403 INSUFFICIENT_BALANCE is exhausted', async () => {
    const outcome = await read('sk-a');
    expect(stateOf('sk-a', outcome)).toBe('ok');
    expect(reading(outcome)).toMatchObject({ unlimited: true, remaining: null });
    accounts['sk-a-broke'] = answer(403, SUB2API_ERRORS.INSUFFICIENT_BALANCE);
    const broke = await read('sk-a-broke');
    expect(stateOf('sk-a-broke', broke)).toBe('exhausted');
  });

  it('early 2026 and Dec-2025 builds: 429 USAGE_LIMIT_EXCEEDED is a full window, reset unknown (§1.4, §2.6)', async () => {
    accounts['sk-over'] = answer(429, SUB2API_ERRORS.USAGE_LIMIT_EXCEEDED);
    const over = await read('sk-over');
    expect(stateOf('sk-over', over)).toBe('capped');
    expect(capping(reading(over), NOW)).toEqual({ capped: true, resumesAt: null });
    expect(reading(over).windows).toMatchObject([{ remaining: 0, resetsAt: null }]);
  });

  it('a 429 that is not the usage limit (a burst of invalid keys) stays rate-limited, Retry-After honoured', async () => {
    accounts['sk-burst'] = answer(429, SUB2API_ERRORS.INVALID_AUTH_RATE_LIMITED, { retryAfter: 60 });
    const burst = await read('sk-burst');
    expect(burst).toMatchObject({ ok: false, error: { kind: 'rate-limited', retryAt: NOW + 60_000 } });
    accounts['sk-bare'] = answer(429, '');
    expect(await read('sk-bare')).toMatchObject({ ok: false, error: { kind: 'rate-limited' } });
  });

  it('11: 401 API_KEY_DISABLED is invalid/auth', async () => {
    accounts['sk-off'] = answer(401, SUB2API_ERRORS.API_KEY_DISABLED);
    const outcome = await read('sk-off');
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'auth', message: 'HTTP 401: API key is disabled' } });
    expect(stateOf('sk-off', outcome)).toBe('invalid');
  });

  it('version A: the wallet plan name is a balance; 0 left of a plan is a full window, reset unknown', async () => {
    const wallet = await read('sk-a-wallet');
    expect(reading(wallet)).toMatchObject({ remaining: 4.5, scope: 'account' });
    const full = await read('sk-a-full');
    expect(stateOf('sk-a-full', full)).toBe('capped');
    expect(capping(reading(full), NOW)).toEqual({ capped: true, resumesAt: null });
    expect(reading(full).windows).toMatchObject([{ name: 'Team', remaining: 0, resetsAt: null }]);
  });

  it('refusals (§2.6): no subscription is exhausted, an invalid one expired, an IP ban forbidden, a 500 server', async () => {
    expect(stateOf('sk-no-sub', await read('sk-no-sub'))).toBe('exhausted');
    expect(stateOf('sk-sub-invalid', await read('sk-sub-invalid'))).toBe('expired');
    expect(await read('sk-ip')).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await read('sk-500')).toMatchObject({ ok: false, error: { kind: 'server' } });
    expect(await read('sk-nobody')).toMatchObject({ ok: false, error: { kind: 'auth', message: 'HTTP 401: Invalid API key' } });
  });

  it('status expired without a date is expired by now; a week over since it was used reads as used 0 (§2.3, §2.4)', async () => {
    accounts['sk-expired-bare'] = S4.replace('"days_until_expiry":0,"expires_at":"2026-12-01T00:00:00+08:00",', '');
    expect(stateOf('sk-expired-bare', await read('sk-expired-bare'))).toBe('expired');
    accounts['sk-old-week'] = S6.replace(
      '"weekly_window_start":"2026-12-05T09:00:00+08:00"',
      '"weekly_window_start":"2026-11-28T09:00:00+08:00"',
    );
    const outcome = await read('sk-old-week');
    expect(reading(outcome).windows?.[1]).toMatchObject(usd('week', 100, 0, 100, null));
    expect(stateOf('sk-old-week', outcome)).toBe('ok');
  });

  it('an answer that is not Sub2API’s is bad-response (§7.1 rule 5)', async () => {
    expect(await read('sk-odd')).toMatchObject({ ok: false, error: { kind: 'bad-response' } });
  });

  it('auto sends a key to /v1/usage only once the site said it is Sub2API, without the key (§7.1 rules 3–4)', async () => {
    const before = gateway.requests.length;
    const outcome = await readKey(
      { ...keyFor('sk-s1'), kind: 'auto' },
      liveContext(gateway.url, () => NOW),
    );
    expect(outcome).toMatchObject({ ok: true, reading: { kind: 'sub2api' } });
    const paths = gateway.requests.slice(before).map((r) => r.path);
    expect(paths.indexOf('/api/v1/settings/public')).toBeLessThan(paths.indexOf('/v1/usage'));
    expect(
      gateway.requests
        .slice(before)
        .filter((r) => r.headers.authorization)
        .map((r) => r.path),
    ).toEqual(['/v1/usage']);
  });
});

describe('Sub2API through the engine: what the previous reading remembers (§8.1 scenarios 8, 11)', () => {
  const engineFor = (keys: KeyConfig[]) => {
    const store = memoryStore(keys);
    const engine = createEngine({
      fetch: (...args) => fetch(...args),
      now: () => NOW,
      hasHostAccess: async () => true,
      timeoutMs: 2000,
      ...store.deps,
    });
    return { engine, store };
  };

  it('8: no subscription after one that had ended is expired (its end kept); after one still running, exhausted', async () => {
    accounts['sk-ended'] = ENDED;
    accounts['sk-taken'] = S6;
    const keys = [keyFor('sk-ended'), keyFor('sk-taken')];
    const { engine, store } = engineFor(keys);
    await engine.refresh('all');
    const states = () => keys.map((k) => keyState(k, store.data.statuses[k.id], DEFAULT_SETTINGS, NOW));
    expect(states()).toEqual(['expired', 'low']);
    accounts['sk-ended'] = S8;
    accounts['sk-taken'] = S8;
    await engine.refresh('all');
    expect(states()).toEqual(['expired', 'exhausted']);
    expect(store.data.statuses['sk-ended']?.reading?.expiresAt).toBe(at('2026-11-30T16:00:00Z'));
    // And it stays so on the next read, the end now remembered by the reading itself.
    await engine.refresh('all');
    expect(states()).toEqual(['expired', 'exhausted']);
  });

  it('11: a disabled key is invalid/auth and its last reading is kept', async () => {
    accounts['sk-later-off'] = WALLET;
    const key = keyFor('sk-later-off');
    const { engine, store } = engineFor([key]);
    await engine.refresh('all');
    accounts['sk-later-off'] = answer(401, SUB2API_ERRORS.API_KEY_DISABLED);
    await engine.refresh('all');
    const status = store.data.statuses['sk-later-off'];
    expect(keyState(key, status, DEFAULT_SETTINGS, NOW)).toBe('invalid');
    expect(status).toMatchObject({ error: { kind: 'auth' }, reading: { remaining: 3.2, scope: 'account' } });
  });
});
