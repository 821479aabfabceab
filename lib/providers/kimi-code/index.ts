import { errorForStatus, gatewayMessage, getJson } from '../../http';
import type { ReadOutcome } from '../../model';
import type { QuotaWindow } from '../../schema';
import { toNumber, toWindow } from '../../window-facts';
import type { Adapter } from '../adapter';
import { failure } from '../adapter';
import { bearer } from '../common';
import { noFields } from '../fields';
import type { Provider } from '../types';
import { manifest } from './manifest';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** relays.md §6: the site root, or a base that already ends in `/coding/v1` or `/coding`. */
export function usagesUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (/\/coding\/v1$/.test(base)) return `${base}/usages`;
  if (/\/coding$/.test(base)) return `${base}/v1/usages`;
  return `${base}/coding/v1/usages`;
}

/** relays.md §6: a reset as `resetTime`, `resetAt`, `reset_time`, `reset_at` (a time) or `reset_in`/`resetIn` (seconds from now). */
function resetOf(detail: Record<string, unknown>, nowS: number): unknown {
  const at = detail.resetTime ?? detail.resetAt ?? detail.reset_time ?? detail.reset_at;
  if (at !== undefined && at !== null) return at;
  const seconds = toNumber(detail.reset_in ?? detail.resetIn);
  return seconds === null || seconds < 0 ? null : nowS + Math.round(seconds);
}

/** relays.md §6: `{duration, timeUnit}` → `5h` (300 minutes), `week` (7 days), else `<n>m`/`<n>h`/`<n>d`. */
function lengthName(window: unknown): string | null {
  if (!isObj(window)) return null;
  const n = toNumber(window.duration);
  const unit = String(window.timeUnit ?? '').replace(/^TIME_UNIT_/, '');
  const minutes = { MINUTE: 1, HOUR: 60, DAY: 1440 }[unit];
  if (n === null || n <= 0 || minutes === undefined) return null;
  if (n * minutes === 300) return '5h';
  if (n * minutes === 7 * 1440) return 'week';
  return `${n}${unit[0]?.toLowerCase()}`;
}

/** relays.md §6: counts (decimal strings or numbers) taken as requests. */
const countWindow = (name: string, detail: Record<string, unknown>, nowS: number): QuotaWindow =>
  toWindow({
    name,
    scope: 'plan',
    unit: 'requests',
    limit: detail.limit,
    used: detail.used,
    remaining: detail.remaining,
    resetsAt: resetOf(detail, nowS),
  });

/** relays.md §6: the named pools of `usages{}` (from ~2026-09). */
const POOLS: Record<string, string> = { limit_5h: '5h', limit_7d: 'week', limit_month_total: 'month', limit_month_code: 'month-code' };

function windowsOf(body: Record<string, unknown>, nowS: number): QuotaWindow[] {
  const windows: QuotaWindow[] = [];
  // The unnamed `usage` is the weekly limit (the official client's "Weekly limit", CodexBar #1412).
  if (isObj(body.usage)) windows.push(countWindow('week', body.usage, nowS));
  for (const entry of Array.isArray(body.limits) ? body.limits : []) {
    const name = isObj(entry) ? lengthName(entry.window) : null;
    if (name && isObj(entry) && isObj(entry.detail)) windows.push(countWindow(name, entry.detail, nowS));
  }
  const pools = isObj(body.usages) ? body.usages : {};
  for (const [field, name] of Object.entries(POOLS)) {
    if (!(field in pools)) continue;
    // A pool that repeats a counted window (`limit_5h` = the 300-minute `limits[]` entry) keeps the counted one.
    if (windows.some((w) => w.name === name)) continue;
    const pool = pools[field];
    const ratio = isObj(pool) ? toNumber(pool.used_ratio) : null;
    windows.push(
      toWindow({
        name,
        scope: 'plan',
        unit: 'percent',
        // A `null` pool is unknown, never 0.
        percentUsed: ratio === null ? null : ratio * 100,
        resetsAt: isObj(pool) ? resetOf(pool, nowS) : null,
      }),
    );
  }
  return windows;
}

/** A refusal's words, read tolerantly (relays.md §6: `error.message`, `error`, `message`, `details`). */
function refusalWords(body: unknown): string | undefined {
  const loose = isObj(body) ? [body.error, body.details].find((v) => typeof v === 'string' && v.trim() !== '') : undefined;
  return gatewayMessage(body) ?? (typeof loose === 'string' ? loose.slice(0, 2000) : undefined);
}

/** A Kimi Code plan key (relays.md §6): `usage` (weekly), `limits[]` (counted) and `usages{}` (named pools). */
export const readKimiCode: Adapter = async (key, context): Promise<ReadOutcome> => {
  // 429 with `Retry-After` is honoured by getJson (relays.md §6, §7.2).
  const answer = await getJson(usagesUrl(key.baseUrl), bearer(key), context);
  if (!answer.ok) return answer;
  const { status, body } = answer.response;
  // relays.md §6: 401 a refused key, 403 forbidden, 404 no usage endpoint; bodies unconfirmed.
  if (status !== 200) return { ok: false, error: errorForStatus(status, refusalWords(body)) };
  // relays.md §7.1 (5): a Kimi Code answer has `usage`, `limits` or `usages`.
  if (!isObj(body) || !(isObj(body.usage) || Array.isArray(body.limits) || isObj(body.usages)))
    return failure('bad-response', 'HTTP 200, not a Kimi Code usage answer');
  return {
    ok: true,
    reading: {
      kind: 'kimi-code',
      scope: 'key',
      unit: { code: 'requests' },
      unlimited: false,
      remaining: null,
      granted: null,
      used: null,
      expiresAt: null,
      windows: windowsOf(body, Math.floor(context.now() / 1000)),
      fetchedAt: context.now(),
    },
  };
};

export const kimiCode = { ...manifest, unit: { from: 'answer' }, fields: noFields, read: readKimiCode } satisfies Provider;

/** This folder's kind, for the registry (lib/providers/index.ts). */
export const provider = kimiCode;
