import { afterEach, describe, expect, it } from 'vitest';
import { formatTimeLeft, timeLeft } from '@/lib/expiry';
import { formatDuration, formatRelative } from '@/lib/format';
import type { KeyConfig } from '@/lib/model';
import { ADAPTERS, readKey } from '@/lib/providers/read';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { tokenViews } from '@/lib/token-views';
import type { FakeAccountToken, FakeSubscription } from './fake-gateway/accounts';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { cannedContext, jsonResponse, key48, liveContext, makeKey, NOW, NOW_S } from './helpers';

/** Values no gateway should send and no formatter takes: beyond any date, or no number at all. */
const HOSTILE = [1.7e308, -1.7e308, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 9e15];
const LOCALES = ['en-US', 'zh-CN', 'ja'];
const DAY = 86_400_000;

describe('time in words never throws (lib/format.ts, lib/expiry.ts)', () => {
  for (const locale of LOCALES) {
    it(`${locale}: an absurd time or span is "(unknown)"; a real one is still said`, () => {
      for (const value of HOSTILE) {
        expect(formatRelative(value, NOW, locale), `formatRelative(${value})`).toBe('(unknown)');
        expect(formatDuration(value, locale), `formatDuration(${value})`).toBe('(unknown)');
        expect(formatTimeLeft(value, NOW, locale), `formatTimeLeft(${value})`).toBe('(unknown)');
        // The badge's "3d": no "Infinityd" or "NaNh".
        expect(timeLeft(value, NOW), `timeLeft(${value})`).toBeNull();
      }
      // The same functions still say an ordinary time.
      expect(formatRelative(NOW + 3 * DAY, NOW, locale)).not.toBe('(unknown)');
      expect(formatDuration(4 * DAY, locale)).toMatch(/4/);
      expect(formatTimeLeft(NOW_S + 3 * 86400, NOW, locale)).toMatch(/3/);
    });
  }

  it('says an ordinary time as before', () => {
    expect(formatRelative(NOW - 5 * 60_000, NOW, 'en-US')).toBe('5 minutes ago');
    expect(formatDuration(4 * DAY, 'en-US')).toBe('4 days');
    expect(formatTimeLeft(NOW_S + 3 * 86400, NOW, 'en-US')).toBe('in 3 days');
    expect(formatTimeLeft(NOW_S - 60, NOW, 'en-US')).toBe('');
    expect(timeLeft(NOW_S + 3 * 86400, NOW)).toEqual({ unit: 'day', value: 3 });
  });
});

const ACCESS = 'acc-token-abcdefghijklmnopqrstuv';
const gateways: FakeGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

async function accountGateway(tokens: FakeAccountToken[], subscriptions?: FakeSubscription[]) {
  const g = await startGateway({
    now: () => NOW,
    flavor: 'new-api',
    users: [{ id: 7, accessToken: ACCESS, quota: 1_000_000, usedQuota: 250_000 }],
    accounts: { tokens, ...(subscriptions ? { subscriptions, plans: [{ id: 4, title: 'Pro' }] } : {}) },
  });
  gateways.push(g);
  return g;
}

const account = (g: FakeGateway): KeyConfig => ({
  id: 'acc',
  label: 'my account',
  baseUrl: g.url,
  kind: 'newapi-user',
  secret: ACCESS,
  userId: 7,
  watchTokens: true,
  createdAt: 0,
  updatedAt: 0,
});

const token = (id: number, fields: Partial<FakeAccountToken> = {}): FakeAccountToken => ({
  id,
  userId: 7,
  key: key48(`t${id}`),
  name: `token ${id}`,
  remain: 2_500_000,
  used: 500_000,
  ...fields,
});

describe('the sanity gate on a watched account: one bad token or plan costs only itself (lib/providers/read.ts)', () => {
  it('keeps the account and every token it can name, each absurd figure neutralised', async () => {
    const g = await accountGateway([
      token(1, { expiresAt: 1.7e308 }),
      token(2, { expiresAt: -1.7e308 }),
      token(3, { remain: 1e300 }),
      token(4, { status: 1e300 }),
      token(5, { expiresAt: NOW_S + 86400 }),
    ]);
    const outcome = await readKey(account(g), liveContext(g.url));
    expect(outcome.ok).toBe(true);
    const reading = outcome.ok ? outcome.reading : null;
    // The account's own figures: 1,000,000 quota units at 500,000 per dollar.
    expect(reading).toMatchObject({ remaining: 2, granted: 2.5, used: 0.5 });
    const byId = new Map(reading?.tokens?.map((t) => [t.id, t]));
    expect(byId.size).toBe(5);
    // Beyond any date the relay never reaches it (§A.4 `expired_time < now`); below 0 it is long past.
    expect(byId.get(1)).toMatchObject({ expiresAt: null, remaining: 5, granted: 6 });
    expect(byId.get(2)).toMatchObject({ expiresAt: 0, remaining: 5 });
    // Figures out of range are unknown, not 2e294 dollars.
    expect(byId.get(3)).toMatchObject({ remaining: null, granted: null, used: 0, unlimited: false });
    expect(byId.get(4)).toMatchObject({ status: 0, remaining: 5 });
    expect(byId.get(5)).toMatchObject({ expiresAt: NOW_S + 86400, status: 1, remaining: 5 });
    expect(reading?.tokensTruncated).toBeUndefined();

    // As rows: expired for the one long past, the others judged on their figures.
    const status = { reading, error: null, attemptedAt: NOW, failures: 0 };
    const states = Object.fromEntries(
      tokenViews(account(g), reading ? status : undefined, DEFAULT_SETTINGS, NOW).map((v) => [v.key.label, v.state]),
    );
    expect(states).toEqual({ 'token 1': 'ok', 'token 2': 'expired', 'token 3': 'ok', 'token 4': 'invalid', 'token 5': 'ok' });
  });

  it('leaves out a plan with a figure out of range, keeps the others and the wallet, and records why', async () => {
    const sub = (fields: Partial<FakeSubscription>): FakeSubscription => ({
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
    const g = await accountGateway([], [sub({}), sub({ id: 312, endTime: 1.7e308 }), sub({ id: 313, total: 1e300 })]);
    const outcome = await readKey(account(g), liveContext(g.url));
    const reading = outcome.ok ? outcome.reading : null;
    expect(reading?.remaining).toBe(2);
    expect(reading?.plans?.map((p) => p.id)).toEqual([311]);
    expect(reading?.plansError).toMatchObject({ kind: 'bad-response', message: expect.stringMatching(/out of any sensible range/) });
  });

  it('r9s: an absurd per-model usage leaves the usage out, never the balance', async () => {
    const key = makeKey({ baseUrl: 'https://portal-api.r9s.ai', secret: 'sk_mg_0123', kind: 'r9s-manager' });
    const context = cannedContext((url) =>
      url.includes('/balance')
        ? jsonResponse(200, { meta: { code: 0 }, data: { balance: 12.5 } })
        : jsonResponse(200, {
            meta: { code: 0 },
            data: {
              records: [
                { model: 'gpt-4o', tokens: 1e300 },
                { model: 'o1', tokens: 10 },
              ],
            },
          }),
    );
    const outcome = await ADAPTERS['r9s-manager'](key, context);
    expect(outcome).toMatchObject({ ok: true, reading: { remaining: 12.5 } });
    expect(outcome.ok && 'usageByModel' in outcome.reading).toBe(false);
    // An ordinary usage is kept.
    const fine = cannedContext((url) =>
      url.includes('/balance')
        ? jsonResponse(200, { meta: { code: 0 }, data: { balance: 12.5 } })
        : jsonResponse(200, { meta: { code: 0 }, data: { records: [{ model: 'o1', tokens: 10 }] } }),
    );
    expect(await ADAPTERS['r9s-manager'](key, fine)).toMatchObject({ ok: true, reading: { usageByModel: [{ model: 'o1', tokens: 10 }] } });
  });
});

describe('custom key: an expiry beyond any date is named, by its path (lib/providers/custom.ts)', () => {
  const key = makeKey({
    baseUrl: 'https://proxy.example.com',
    secret: 'abc123',
    kind: 'custom',
    custom: { path: '/api/balance', remaining: '/data/balance', expiresAt: '/data/expire_at' },
  });
  const read = (expireAt: unknown) =>
    readKey(
      key,
      cannedContext(() => jsonResponse(200, { data: { balance: 5, expire_at: expireAt } })),
    );

  it.each([9e15, 1.7e308, '9000000000000000'])('%s', async (expireAt) => {
    expect(await read(expireAt)).toMatchObject({
      ok: false,
      error: { kind: 'bad-response', message: expect.stringMatching(/^"expiresAt" \(\/data\/expire_at\) is out of range/) },
    });
  });

  it('still reads seconds, milliseconds and dates', async () => {
    expect(await read(NOW_S + 86400)).toMatchObject({ ok: true, reading: { remaining: 5, expiresAt: NOW_S + 86400 } });
    expect(await read((NOW_S + 86400) * 1000)).toMatchObject({ ok: true, reading: { expiresAt: NOW_S + 86400 } });
    expect(await read('2027-01-01T00:00:00Z')).toMatchObject({ ok: true, reading: { expiresAt: Date.UTC(2027, 0, 1) / 1000 } });
  });
});
