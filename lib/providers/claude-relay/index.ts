import { gatewayMessage, postJson } from '../../http';
import type { ReadError, Reading, ReadOutcome } from '../../model';
import type { QuotaWindow } from '../../schema';
import { toNumber, toUnixSeconds, toWindow } from '../../window-facts';
import type { Adapter, AdapterContext } from '../adapter';
import { failure } from '../adapter';
import { expiredNow, keepFiguresWhenExpired, totalOf } from '../claude-common';
import { askPublicly, statusError } from '../common';
import { noFields } from '../fields';
import { bareSecret } from '../secret';
import type { Provider } from '../types';
import { manifest } from './manifest';

export const USER_STATS_PATH = '/apiStats/api/user-stats';

const UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/i;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A limit CRS counts as set: a number above 0 (`0` is "none", relays.md §1.2). */
const positive = (v: unknown) => {
  const n = toNumber(v);
  return n !== null && n > 0 ? n : null;
};

/**
 * What a refusal means (relays.md §3.4): matched on status and `error`, since the
 * messages are partly Chinese. An expired key is said by `已过期` (by `apiKey`) or by
 * `API key has expired` (by `apiId`).
 */
function refusal(status: number, body: unknown): { expired: boolean; error: ReadError } {
  const b = isObj(body) ? body : {};
  const error = typeof b.error === 'string' ? b.error : '';
  const message = typeof b.message === 'string' ? b.message : '';
  const said = { message: `HTTP ${status}: ${gatewayMessage(body) ?? error}`.trim() };
  if (status === 401 && /已过期/.test(message)) return { expired: true, error: { kind: 'auth', ...said } };
  if (status === 403 && error === 'API key has expired') return { expired: true, error: { kind: 'auth', ...said } };
  if (status === 401 && message === 'Internal validation error') return { expired: false, error: { kind: 'server', ...said } };
  if (status === 400 && /^Invalid API (key|ID) format$/.test(error)) return { expired: false, error: { kind: 'auth', ...said } };
  if (status === 401) return { expired: false, error: { kind: 'auth', ...said } };
  if (status === 403) return { expired: false, error: { kind: 'forbidden', ...said } };
  // By `apiId` an unknown key is a 404 with its own words; any other 404 is a route this site does not have.
  if (status === 404 && error === 'API key not found') return { expired: false, error: { kind: 'auth', ...said } };
  return { expired: false, error: statusError(status, body) };
}

type Stats = { ok: true; data: Obj } | { ok: false; outcome: ReadOutcome };

/** One POST to the stats route; `data` of a success, else what the refusal means. */
async function userStats(baseUrl: string, by: { apiKey: string } | { apiId: string }, context: AdapterContext): Promise<Stats> {
  const result = await postJson(`${baseUrl}${USER_STATS_PATH}`, {}, by, context);
  if (!result.ok) return { ok: false, outcome: result };
  const { status, body } = result.response;
  if (status !== 200) {
    const { expired, error } = refusal(status, body);
    return { ok: false, outcome: expired ? expiredNow('claude-relay', error, context.now()) : { ok: false, error } };
  }
  // relays.md §7.1 rule 5: a claude-relay answer has `success: true` and `data.limits`.
  if (!isObj(body) || body.success !== true || !isObj(body.data) || !isObj(body.data.limits))
    return { ok: false, outcome: failure('bad-response', 'HTTP 200, not a claude-relay-service stats answer') };
  return { ok: true, data: body.data };
}

/** The rate window's name by its length in minutes (relays.md §3.3): `5h`, `day`, else `<n>m`. */
const rateName = (minutes: number) => (minutes === 300 ? '5h' : minutes === 1440 ? 'day' : `${minutes}m`);

/** The windows of relays.md §3.3 from `data.limits`. */
export function relayWindows(limits: Obj): QuotaWindow[] {
  const windows: QuotaWindow[] = [];
  const minutes = positive(limits.rateLimitWindow);
  if (minutes !== null) {
    const end = limits.windowEndTime;
    const left = toNumber(limits.windowRemainingSeconds);
    // A running window ends at `windowEndTime` (ms); with none, or 0 s left, the next request opens a new one.
    const resetsAt = end !== null && left !== null && left > 0 ? end : null;
    const rate = { name: rateName(minutes), scope: 'key' as const, resetsAt };
    const tokenLimit = positive(limits.tokenLimit);
    const cost = positive(limits.rateLimitCost);
    // `tokenLimit` > 0 replaces `rateLimitCost` (§3.2).
    if (cost !== null && tokenLimit === null) windows.push(toWindow({ ...rate, unit: 'USD', limit: cost, used: limits.currentWindowCost }));
    if (tokenLimit !== null) windows.push(toWindow({ ...rate, unit: 'tokens', limit: tokenLimit, used: limits.currentWindowTokens }));
    const requests = positive(limits.rateLimitRequests);
    if (requests !== null) windows.push(toWindow({ ...rate, unit: 'requests', limit: requests, used: limits.currentWindowRequests }));
  }
  // Day and week follow the server's TIMEZONE_OFFSET, which the answer does not carry: reset unknown (§1.1 rule 6).
  const daily = positive(limits.dailyCostLimit);
  if (daily !== null) windows.push(toWindow({ name: 'day', scope: 'key', unit: 'USD', limit: daily, used: limits.currentDailyCost }));
  const weekly = positive(limits.weeklyOpusCostLimit);
  if (weekly !== null) windows.push(toWindow({ name: 'week', scope: 'key', unit: 'USD', limit: weekly, used: limits.weeklyOpusCost }));
  const total = positive(limits.totalCostLimit);
  if (total !== null)
    windows.push(toWindow({ name: 'total', scope: 'key', unit: 'USD', limit: total, used: limits.currentTotalCost, resets: false }));
  return windows;
}

/**
 * A claude-relay-service key from `POST /apiStats/api/user-stats` (relays.md §3): by
 * `apiKey`, or by `apiId` when the stored secret is the key's UUID. This route does not
 * activate a key, count a request or refuse a used-up key; the gateway's
 * `/api/v1/usage` does all three and is never asked (§3.1).
 */
export const readClaudeRelay: Adapter = async (key, context) => {
  const secret = bareSecret(key.secret);
  const by = UUID.test(secret) ? { apiId: secret } : { apiKey: secret };
  const first = await userStats(key.baseUrl, by, context);
  if (!first.ok) return first.outcome;
  let limits = first.data.limits as Obj;
  // §3.1 weekly bug: by `apiKey` the weekly figures are the Monday-00:00 week's; by `apiId` they are the configured one's.
  if ('apiKey' in by && (positive(limits.weeklyOpusCostLimit) ?? 0) > 0 && typeof first.data.id === 'string' && UUID.test(first.data.id)) {
    const byId = await userStats(key.baseUrl, { apiId: first.data.id }, context);
    if (byId.ok) {
      const { weeklyOpusCost, weeklyResetDay, weeklyResetHour } = byId.data.limits as Obj;
      limits = { ...limits, weeklyOpusCost, weeklyResetDay, weeklyResetHour };
    }
  }
  const windows = relayWindows(limits);
  const total = totalOf(windows);
  // `""` is no expiry, or an activation key's clock not started (§3.3: "starts on first use").
  const expiresAt = toUnixSeconds(first.data.expiresAt);
  const reading: Reading = {
    kind: 'claude-relay',
    scope: 'key',
    unit: { code: 'USD' },
    unlimited: windows.length === 0,
    remaining: total?.remaining ?? null,
    granted: total?.limit ?? null,
    used: total?.used ?? null,
    expiresAt,
    ...(typeof first.data.name === 'string' && first.data.name ? { name: first.data.name } : {}),
    ...(windows.length ? { windows } : {}),
    fetchedAt: context.now(),
  };
  return { ok: true, reading };
};

export const claudeRelay = {
  ...manifest,
  unit: { from: 'fixed', code: 'USD' },
  fields: noFields,
  read: readClaudeRelay,
  policy: keepFiguresWhenExpired('claude-relay'),
  // relays.md §7.1: `GET /health` names the service (the `cr_` prefix is only a default).
  siteProbe: async (baseUrl, context) => {
    const answer = await askPublicly(`${baseUrl}/health`, context);
    return isObj(answer?.body) && answer.body.service === 'claude-relay-service';
  },
} satisfies Provider;

/** This folder's kind, for the registry (lib/providers/index.ts). */
export const provider = claudeRelay;
