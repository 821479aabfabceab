import { getJson, parseRetryAfter } from '../../http';
import type { Reading, ReadOutcome } from '../../model';
import { toNumber, toUnixSeconds, toWindow } from '../../window-facts';
import type { QuotaWindow } from '../../windows';
import type { Adapter } from '../adapter';
import { failure } from '../adapter';
import { askPublicly, bearer, statusError } from '../common';
import { noFields } from '../fields';
import type { PolicyFactory } from '../policy';
import type { Provider } from '../types';
import { manifest } from './manifest';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** §2.3: the key's rate windows by their names in the answer. */
const RATE_WINDOWS: Readonly<Record<string, string>> = { '5h': '5h', '1d': 'day', '7d': 'week' };
/** §2.4: the subscription's windows, `<prefix>_limit_usd` / `<prefix>_usage_usd`. */
const PLAN_WINDOWS = [
  ['day', 'daily'],
  ['week', 'weekly'],
  ['month', 'monthly'],
] as const;
/** §2.4: the plan name Sub2API gives a wallet-billed key ("wallet balance"). */
const WALLET = '钱包余额';
const WEEK_S = 7 * 86_400;

type Base = Pick<Reading, 'kind' | 'unit' | 'fetchedAt'>;

/**
 * No active subscription (§2.4: `remaining` and `subscription` both absent; §2.6
 * `SUBSCRIPTION_NOT_FOUND`): used up until an administrator acts, so `exhausted`. Whether
 * the subscription had ended instead is the previous reading's to say (`sub2apiPolicy`).
 */
const noSubscription = (base: Base, expiresAt: number | null = null): Reading => ({
  ...base,
  scope: 'key',
  unlimited: false,
  remaining: 0,
  granted: null,
  used: null,
  expiresAt,
});

/** The owner's wallet (§2.4): one balance shared by all the user's keys, exhausted at ≤ 0. */
const wallet = (base: Base, balance: number | null): Reading => ({
  ...base,
  scope: 'account',
  unlimited: false,
  remaining: balance,
  granted: null,
  used: null,
  expiresAt: null,
});

/** §2.3 `mode: "quota_limited"`: the key's own quota (`total`) and its 5h / 1d / 7d spend windows. */
function quotaLimited(body: Obj, base: Base, nowS: number): Reading {
  const windows: QuotaWindow[] = [];
  for (const r of Array.isArray(body.rate_limits) ? body.rate_limits : []) {
    const name = isObj(r) && typeof r.window === 'string' ? (RATE_WINDOWS[r.window] ?? r.window) : null;
    if (!name || !isObj(r)) continue;
    // `reset_at` is sent only while a window runs; an ended one shows used 0 and no reset.
    windows.push(toWindow({ name, scope: 'key', unit: 'USD', limit: r.limit, used: r.used, remaining: r.remaining, resetsAt: r.reset_at }));
  }
  const q = isObj(body.quota) ? body.quota : null;
  const total =
    q && toWindow({ name: 'total', scope: 'key', unit: 'USD', limit: q.limit, used: q.used, remaining: q.remaining, resets: false });
  if (total) windows.push(total);
  let expiresAt = toUnixSeconds(body.expires_at);
  // `status` may lag behind `expires_at` (scenario 5), and says `expired` before any date does: expired by now at the latest.
  if (body.status === 'expired' && (expiresAt === null || expiresAt > nowS)) expiresAt = nowS;
  const spent = body.status === 'quota_exhausted';
  return {
    ...base,
    scope: 'key',
    unlimited: false,
    remaining: spent ? 0 : (total?.remaining ?? null),
    granted: total?.limit ?? null,
    used: total?.used ?? null,
    expiresAt,
    ...(windows.length ? { windows } : {}),
  };
}

/** §2.4 subscription: day / week / month windows where a limit is set (`null` or ≤ 0 is none), the plan's end. */
function subscription(sub: Obj, base: Base, nowS: number): Reading {
  const windows: QuotaWindow[] = [];
  for (const [name, prefix] of PLAN_WINDOWS) {
    const limit = toNumber(sub[`${prefix}_limit_usd`]);
    if (limit === null || limit <= 0) continue;
    let used: unknown = sub[`${prefix}_usage_usd`];
    let resetsAt: number | null = null;
    // Only the week's start is sent (C+): it resets 7 days after. `/v1/usage` skips window upkeep,
    // so a week already over still shows its old use: it is read as used 0, its next start unknown.
    const start = name === 'week' ? toUnixSeconds(sub.weekly_window_start) : null;
    if (start !== null) resetsAt = start + WEEK_S;
    if (resetsAt !== null && resetsAt <= nowS) {
      used = 0;
      resetsAt = null;
    }
    windows.push(toWindow({ name, scope: 'plan', unit: 'USD', limit, used, resetsAt }));
  }
  return {
    ...base,
    scope: 'key',
    // §1.2: no window set (`remaining: -1`) is unlimited; never a −1 amount.
    unlimited: windows.length === 0,
    remaining: null,
    granted: null,
    used: null,
    expiresAt: toUnixSeconds(sub.expires_at),
    ...(windows.length ? { windows } : {}),
  };
}

/**
 * Version A (Dec-2025) and any answer with only `remaining` (§2.4): a subscription group's
 * tightest window left, as one window named after the plan: `-1` unlimited, `0` full
 * (reset unknown). The row shows what is left, there being no limit to measure it against.
 */
function planOnly(body: Obj, base: Base, left: number): Reading {
  const name = typeof body.planName === 'string' && body.planName.trim() ? body.planName.trim() : 'plan';
  const unlimited = left < 0;
  const window = toWindow({ name, scope: 'plan', unit: 'USD', remaining: left });
  return {
    ...base,
    scope: 'key',
    unlimited,
    remaining: unlimited || left <= 0 ? null : left,
    granted: null,
    used: null,
    expiresAt: null,
    ...(unlimited ? {} : { windows: [window] }),
  };
}

/** A 429 `USAGE_LIMIT_EXCEEDED`: one full plan window, reset unknown, so the key is `capped` until it answers again. */
function windowFull(base: Base): Reading {
  return {
    ...base,
    scope: 'key',
    unlimited: false,
    remaining: null,
    granted: null,
    used: null,
    expiresAt: null,
    windows: [toWindow({ name: 'plan', scope: 'plan', unit: 'USD', remaining: 0 })],
  };
}

/** §2.6: refusals that say something about the quota rather than the key. */
function refusal(status: number, body: unknown, base: Base, nowS: number, retryAt?: number): ReadOutcome {
  const code = isObj(body) && typeof body.code === 'string' ? body.code : null;
  const handler = isObj(body) && isObj(body.error) ? body.error.type : null;
  if (code === 'INSUFFICIENT_BALANCE') return { ok: true, reading: wallet(base, 0) };
  if (code === 'SUBSCRIPTION_NOT_FOUND' || (status === 403 && handler === 'subscription_error'))
    return { ok: true, reading: noSubscription(base) };
  if (code === 'SUBSCRIPTION_INVALID') return { ok: true, reading: noSubscription(base, nowS) };
  // Early-2026 and Dec-2025 builds (§1.4): a subscription window is full; which one, and when it resets, is not said.
  if (status === 429 && code === 'USAGE_LIMIT_EXCEEDED') return { ok: true, reading: windowFull(base) };
  if (status === 429) return { ok: false, error: { kind: 'rate-limited', message: 'HTTP 429', ...(retryAt ? { retryAt } : {}) } };
  return { ok: false, error: statusError(status, body) };
}

/**
 * A Sub2API key (shared/spec/relays.md §2): `GET /v1/usage` with exactly `Bearer <key>`
 * (Dec-2025 builds compare the scheme case-sensitively), never the key in the query.
 */
export const readSub2Api: Adapter = async (key, context) => {
  const result = await getJson(`${key.baseUrl}/v1/usage`, bearer(key), { ...context, answer429: true });
  if (!result.ok) return result;
  const { status, body } = result.response;
  const base: Base = { kind: 'sub2api', unit: { code: 'USD' }, fetchedAt: context.now() };
  const nowS = Math.floor(context.now() / 1000);
  if (status !== 200) return refusal(status, body, base, nowS, parseRetryAfter(result.response.headers.get('retry-after'), context.now()));
  // §7.1 rule 5: a Sub2API answer has `mode`, or `isValid` + `planName` + `unit` (version A).
  const shaped = isObj(body) && (typeof body.mode === 'string' || ('isValid' in body && 'planName' in body && 'unit' in body));
  if (!shaped) return failure('bad-response', 'HTTP 200, not a Sub2API usage answer');
  if (body.mode === 'quota_limited') return { ok: true, reading: quotaLimited(body, base, nowS) };
  // The subscription group's name (§2.4); the wallet's "钱包余额" names no plan.
  const plan =
    typeof body.planName === 'string' && body.planName.trim() && body.planName !== WALLET
      ? { plan: body.planName.trim().slice(0, 100) }
      : {};
  if (isObj(body.subscription)) return { ok: true, reading: { ...subscription(body.subscription, base, nowS), ...plan } };
  const left = toNumber(body.remaining);
  if ('balance' in body || body.planName === WALLET) return { ok: true, reading: wallet(base, toNumber(body.balance) ?? left) };
  if (left === null) return { ok: true, reading: { ...noSubscription(base), ...plan } };
  return { ok: true, reading: { ...planOnly(body, base, left), ...plan } };
};

const isNoSubscription = (r: Reading) => r.kind === 'sub2api' && r.scope === 'key' && r.remaining === 0 && !r.windows?.length;

/**
 * §2.4: an answer without a subscription cannot say whether it ended or was taken away.
 * The previous reading can: when its subscription had already ended, the key is
 * `expired` (that end is kept), else `exhausted` (relays.md §8.1 scenario 8).
 */
export const sub2apiPolicy: PolicyFactory = (deps) => ({
  context: async () => ({}),
  async fallback(_key, previous, outcome) {
    if (!outcome.ok || !isNoSubscription(outcome.reading)) return outcome;
    const last = previous?.reading;
    const ended = last?.kind === 'sub2api' ? last.expiresAt : null;
    if (ended === null || ended * 1000 > deps.now()) return outcome;
    return { ok: true, reading: { ...outcome.reading, expiresAt: ended } };
  },
});

export const sub2api = {
  ...manifest,
  unit: { from: 'fixed', code: 'USD' },
  fields: noFields,
  read: readSub2Api,
  policy: sub2apiPolicy,
  // §2.7: the public settings, `{"code":0,"message":"success","data":{…"site_name"…,"version"…}}`.
  siteProbe: async (baseUrl, context) => {
    const body = (await askPublicly(`${baseUrl}/api/v1/settings/public`, context))?.body;
    return (
      isObj(body) && body.code === 0 && body.message === 'success' && isObj(body.data) && 'site_name' in body.data && 'version' in body.data
    );
  },
} satisfies Provider;

/** This folder's kind, for the registry (lib/providers/index.ts). */
export const provider = sub2api;
