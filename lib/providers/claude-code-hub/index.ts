import { getJson, type HttpResult, postJson } from '../../http';
import type { ReadError, Reading } from '../../model';
import type { QuotaWindow } from '../../schema';
import { toNumber, toUnixSeconds, toWindow } from '../../window-facts';
import type { Adapter } from '../adapter';
import { failure } from '../adapter';
import { expiredNow, keepFiguresWhenExpired, totalOf } from '../claude-common';
import { askPublicly, bearer, statusError } from '../common';
import { noFields } from '../fields';
import type { Provider } from '../types';
import { manifest } from './manifest';

export const QUOTA_PATH = '/api/v1/me/quota';
export const LEGACY_QUOTA_PATH = '/api/actions/my-usage/getMyQuota';
export const MODELS_PATH = '/v1/models';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A limit the hub enforces: a number above 0 (`null` and ≤ 0 are none, relays.md §4.2). */
const positive = (v: unknown) => {
  const n = toNumber(v);
  return n !== null && n > 0 ? n : null;
};

/** The hub's windows, by the suffix of its field names (relays.md §4.2 table). */
const PERIODS = [
  ['5h', '5h'],
  ['day', 'Daily'],
  ['week', 'Weekly'],
  ['month', 'Monthly'],
  ['total', 'Total'],
] as const;

/**
 * The windows of both scopes (a key is stopped by whichever is reached first), only where a
 * limit is set. Resets are unknown: the hub's day, week and month follow a server
 * timezone it does not send (§1.1 rule 6); `5h` and a rolling key day slide.
 */
export function hubWindows(quota: Obj): QuotaWindow[] {
  const windows: QuotaWindow[] = [];
  for (const scope of ['key', 'user'] as const) {
    for (const [name, field] of PERIODS) {
      const limit = positive(quota[`${scope}Limit${field}Usd`]);
      if (limit === null) continue;
      const rolling = name === '5h' || (name === 'day' && scope === 'key' && quota.dailyResetMode === 'rolling');
      const used = quota[`${scope}Current${field}Usd`];
      windows.push(toWindow({ name, scope, unit: 'USD', limit, used, resets: name !== 'total', rolling }));
    }
  }
  return windows;
}

/** The earlier of the key's and its owner's expiry (relays.md §4.2). */
function earliest(...values: unknown[]): number | null {
  const times = values.map(toUnixSeconds).filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

function quotaReading(quota: Obj, now: number): Reading {
  const windows = hubWindows(quota);
  const total = totalOf(windows);
  return {
    kind: 'claude-code-hub',
    scope: 'key',
    unit: { code: 'USD' },
    unlimited: windows.length === 0,
    remaining: total?.remaining ?? null,
    granted: total?.limit ?? null,
    used: total?.used ?? null,
    expiresAt: earliest(quota.expiresAt, quota.userExpiresAt),
    ...(typeof quota.keyName === 'string' && quota.keyName ? { name: quota.keyName } : {}),
    ...(windows.length ? { windows } : {}),
    fetchedAt: now,
  };
}

/** relays.md §7.1 rule 5: a quota object has `keyLimit5hUsd` (null or not). */
const isQuota = (v: unknown): v is Obj => isObj(v) && 'keyLimit5hUsd' in v;

const statusOf = (r: HttpResult) => (r.ok ? r.response.status : null);
const bodyOf = (r: HttpResult) => (r.ok ? r.response.body : undefined);
/** The problem's `errorCode` (application/problem+json, §4.4). */
const problemCode = (body: unknown) => (isObj(body) && typeof body.errorCode === 'string' ? body.errorCode : '');

/**
 * A Claude Code Hub key (relays.md §4): `GET /api/v1/me/quota`, else (older hubs, 404)
 * the deprecated `POST /api/actions/my-usage/getMyQuota`. Hubs in the default `opaque`
 * session mode refuse a raw key on both (§4.1): then `GET /v1/models`, answered by the
 * hub itself, tells a good key (quota not readable by key) from an expired or refused one.
 */
export const readClaudeCodeHub: Adapter = async (key, context) => {
  const auth = bearer(key);
  const v1 = await getJson(`${key.baseUrl}${QUOTA_PATH}`, auth, context);
  if (v1.ok && v1.response.status === 200) {
    return isQuota(v1.response.body)
      ? { ok: true, reading: quotaReading(v1.response.body, context.now()) }
      : failure('bad-response', 'HTTP 200, not a Claude Code Hub quota');
  }
  // A missing route is a 404, and Next.js answers it with its HTML page (not JSON).
  const v1Missing = v1.ok ? v1.response.status === 404 : /^HTTP 404\b/.test(v1.error.message);
  const v1Refused = statusOf(v1) === 401 && problemCode(bodyOf(v1)) !== 'auth.missing';
  if (!v1Missing && !v1Refused) {
    if (!v1.ok) return v1;
    // 400 `me.action_failed` and other failures of the action (§4.4).
    const error = statusError(v1.response.status, v1.response.body);
    return { ok: false, error: v1.response.status === 400 ? { ...error, kind: 'server' } : error };
  }

  const legacy = await postJson(`${key.baseUrl}${LEGACY_QUOTA_PATH}`, auth, {}, context);
  const legacyStatus = statusOf(legacy);
  if (legacy.ok && legacyStatus === 200) {
    const body = legacy.response.body;
    return isObj(body) && body.ok === true && isQuota(body.data)
      ? { ok: true, reading: quotaReading(body.data, context.now()) }
      : failure('bad-response', 'HTTP 200, not a Claude Code Hub quota');
  }
  const legacyGone = legacyStatus === 410 || legacyStatus === 404 || (!legacy.ok && /^HTTP 404\b/.test(legacy.error.message));
  // Refused on every quota route there is: the key itself may be good (§4.1 tolerant rule).
  if (legacyStatus === 401 || (v1Refused && legacyGone)) return modelsProbe(key, context);
  if (legacyGone) return failure('not-supported', `HTTP ${legacyStatus ?? 404}: this site has no Claude Code Hub quota route`);
  if (!legacy.ok) return legacy;
  // 400 and 500 of the legacy action are the server's failures (§4.4).
  const error = statusError(legacy.response.status, legacy.response.body);
  return { ok: false, error: { ...error, kind: error.kind === 'bad-response' ? 'server' : error.kind } };
};

/** `GET /v1/models`: 200 means the key is good and the hub only refuses quota reads by key; 401 says why it refuses the key. */
async function modelsProbe(key: Parameters<Adapter>[0], context: Parameters<Adapter>[1]) {
  const models = await getJson(`${key.baseUrl}${MODELS_PATH}`, bearer(key), context);
  if (!models.ok) return models;
  const { status, body } = models.response;
  if (status === 200) return failure('not-supported', 'this hub does not allow key-based quota reads');
  const error: ReadError = statusError(status, body);
  const type = isObj(body) && isObj(body.error) && typeof body.error.type === 'string' ? body.error.type : '';
  // `key_expired` and `user_expired` (since 2026-05; older hubs send one type for every refusal).
  if (status === 401 && type.endsWith('_expired')) return expiredNow('claude-code-hub', error, context.now());
  return { ok: false as const, error };
}

export const claudeCodeHub = {
  ...manifest,
  unit: { from: 'fixed', code: 'USD' },
  fields: noFields,
  read: readClaudeCodeHub,
  policy: keepFiguresWhenExpired('claude-code-hub'),
  // relays.md §7.1: `/api/v1/health` with `X-API-Version` (hubs since 2026-04-30), else `/v1/_ping` (since 2026-04-13).
  siteProbe: async (baseUrl, context) => {
    const health = await askPublicly(`${baseUrl}/api/v1/health`, context);
    if (isObj(health?.body) && health.body.status === 'ok' && health.headers.has('x-api-version')) return true;
    const ping = await askPublicly(`${baseUrl}/v1/_ping`, context);
    return isObj(ping?.body) && ping.body.status === 'pong';
  },
} satisfies Provider;

/** This folder's kind, for the registry (lib/providers/index.ts). */
export const provider = claudeCodeHub;
