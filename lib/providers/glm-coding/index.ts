import { errorForStatus, gatewayMessage, getJson, type HttpResult } from '../../http';
import type { KeyConfig, ReadOutcome } from '../../model';
import type { QuotaWindow } from '../../schema';
import { toNumber, toWindow } from '../../window-facts';
import type { Adapter, AdapterContext } from '../adapter';
import { failure } from '../adapter';
import { noFields } from '../fields';
import { bareSecret } from '../secret';
import type { Provider } from '../types';
import { manifest } from './manifest';

type Scheme = 'raw' | 'bearer';

/**
 * Keys that answered only with `Bearer ` (relays.md §5: "remember what worked"), by key
 * id, last change and site, so an edit forgets it. Readers get no previous status, so
 * this lives as long as the worker: a worker that forgets pays one refused request.
 */
const bearerKeys = new Set<string>();
const memoryOf = (key: KeyConfig) => `${key.id}\n${key.updatedAt}\n${key.baseUrl}`;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** relays.md §5: raw `Authorization` as the official plugins send it; some clients send `Bearer `. */
const headersFor = (key: KeyConfig, scheme: Scheme) => ({
  Authorization: `${scheme === 'bearer' ? 'Bearer ' : ''}${bareSecret(key.secret)}`,
  'Accept-Language': 'en-US,en',
  'Content-Type': 'application/json',
});

/** A refusal that the other scheme may cure: HTTP 401/403, or HTTP 200 with `code` 401 (relays.md §5). */
const refused = (answer: HttpResult) =>
  answer.ok &&
  (answer.response.status === 401 ||
    answer.response.status === 403 ||
    (isObj(answer.response.body) && answer.response.body.success !== true && answer.response.body.code === 401));

/** The platform's own words: `msg` (relays.md §5; the texts are not stable). */
const msgOf = (body: unknown) => (isObj(body) && typeof body.msg === 'string' && body.msg.trim() ? body.msg.slice(0, 2000) : undefined);

/** relays.md §5: window length code (unit 3 hours, 6 weeks, 1 days, 5 minutes) → the window's name. */
function lengthName(unit: unknown, number: unknown): string | null {
  const n = toNumber(number);
  if (n === null || !Number.isInteger(n) || n <= 0) return null;
  if (unit === 3) return `${n}h`;
  if (unit === 6) return n === 1 ? 'week' : `${n}w`;
  if (unit === 1) return n === 1 ? 'day' : `${n}d`;
  if (unit === 5) return `${n}m`;
  return null;
}

/** One window from a `limits[]` entry (relays.md §5 "Reading"). */
function windowOf(entry: Record<string, unknown>, name: string): QuotaWindow {
  const common = { name, scope: 'plan' as const, resetsAt: entry.nextResetTime };
  const total = toNumber(entry.usage);
  const current = toNumber(entry.currentValue);
  const left = toNumber(entry.remaining);
  // `usage` is the window's total, despite the name; used = max(usage − remaining, currentValue) (CodexBar, Token Monitor).
  if (entry.type !== 'CREDIT_LIMIT' && total !== null && total > 0 && (current !== null || left !== null)) {
    const used = Math.max(left === null ? 0 : total - left, current ?? 0);
    const unit = entry.type === 'TIME_LIMIT' ? 'requests' : 'tokens';
    return toWindow({ ...common, unit, limit: total, used, remaining: left });
  }
  return toWindow({ ...common, unit: 'percent', percentUsed: entry.percentage });
}

/** relays.md §5: the plan's windows: token (or credit) windows by length, the MCP allowance as `month`. */
function windowsOf(limits: unknown[]): QuotaWindow[] {
  const entries = limits.filter(isObj);
  const windows: QuotaWindow[] = [];
  // Token windows without a length code: by `nextResetTime` when each has one (earliest = 5h), else by position.
  const unnamed = entries.filter((e) => e.type !== 'TIME_LIMIT' && lengthName(e.unit, e.number) === null);
  const resets = unnamed.map((e) => toNumber(e.nextResetTime));
  const order = resets.every((r) => r !== null) ? [...unnamed].sort((a, b) => Number(a.nextResetTime) - Number(b.nextResetTime)) : unnamed;
  for (const entry of entries) {
    if (entry.type === 'TIME_LIMIT') windows.push(windowOf(entry, 'month'));
    else if (entry.type === 'TOKENS_LIMIT' || entry.type === 'CREDIT_LIMIT') {
      const rank = order.indexOf(entry);
      const name = lengthName(entry.unit, entry.number) ?? (['5h', 'week'][rank] || `limit-${rank + 1}`);
      windows.push(windowOf(entry, name));
    }
  }
  return windows;
}

async function ask(key: KeyConfig, scheme: Scheme, context: AdapterContext) {
  return getJson(`${key.baseUrl}/api/monitor/usage/quota/limit`, headersFor(key, scheme), context);
}

/** The plan's name where the answer gives one (relays.md §5: `level`, else `planName`, `plan`, `planType`, `packageName`). */
function planOf(data: Record<string, unknown>): { plan?: string } {
  const named = ['level', 'planName', 'plan', 'planType', 'packageName'].map((f) => data[f]).find((v) => typeof v === 'string' && v.trim());
  return typeof named === 'string' ? { plan: named.trim().slice(0, 100) } : {};
}

/**
 * A GLM Coding Plan key (relays.md §5): raw `Authorization` first, once more with
 * `Bearer ` when refused, and the scheme that worked is tried first next time:
 * remembered by the reading itself (`authScheme`), so a worker that restarts asks once, not twice.
 */
export const readGlmCoding: Adapter = async (key, context): Promise<ReadOutcome> => {
  const memory = memoryOf(key);
  const first: Scheme = bearerKeys.has(memory) || context.previous?.authScheme === 'bearer' ? 'bearer' : 'raw';
  let scheme = first;
  let answer = await ask(key, scheme, context);
  if (refused(answer)) {
    scheme = first === 'raw' ? 'bearer' : 'raw';
    answer = await ask(key, scheme, context);
  }
  // Transport failures, 429 with its `Retry-After`, an empty body (a key on the other region): getJson's.
  if (!answer.ok) return answer;
  const { status, body } = answer.response;
  if (status !== 200) {
    const error = errorForStatus(status, msgOf(body) ?? gatewayMessage(body));
    // relays.md §5: a 403 is a refused key here, not a key without rights.
    return { ok: false, error: status === 403 ? { ...error, kind: 'auth' } : error };
  }
  if (!isObj(body)) return failure('bad-response', 'HTTP 200, not a GLM quota answer');
  if (body.success !== true || body.code !== 200) {
    const words = msgOf(body);
    const detail = `code ${String(body.code)}${words ? `: ${words}` : ''}`;
    // relays.md §5: code 401 a refused key, 500 a key without a coding plan, anything else the server's.
    if (body.code === 401) return failure('auth', detail);
    return failure(body.code === 500 ? 'not-supported' : 'server', detail);
  }
  const data = isObj(body.data) ? body.data : null;
  // relays.md §7.1 (5): a coding-plan answer has `data.limits[]`.
  if (!data || !Array.isArray(data.limits)) return failure('bad-response', 'HTTP 200, no quota limits');
  if (scheme === 'bearer') bearerKeys.add(memory);
  else bearerKeys.delete(memory);
  return {
    ok: true,
    reading: {
      kind: 'glm-coding',
      scope: 'key',
      unit: { code: 'percent' },
      unlimited: false,
      remaining: null,
      granted: null,
      used: null,
      expiresAt: null,
      windows: windowsOf(data.limits),
      // §5: the plan level (`lite`, `pro`, `max`); some answers say `planName` or `plan` instead.
      ...planOf(data),
      ...(scheme === 'bearer' ? { authScheme: 'bearer' as const } : {}),
      fetchedAt: context.now(),
    },
  };
};

export const glmCoding = { ...manifest, unit: { from: 'answer' }, fields: noFields, read: readGlmCoding } satisfies Provider;

/** This folder's kind, for the registry (lib/providers/index.ts). */
export const provider = glmCoding;
