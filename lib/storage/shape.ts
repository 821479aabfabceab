/**
 * lib/storage/shape.ts: cheap, zod-free checks of stored values, for code that also runs in the popup (which
 * must stay small, so zod stays out of it). They accept what the schemas in
 * lib/schema.ts accept, as far as the code that reads the value depends on it;
 * tests/schema.test.ts holds them to the schemas. The full check, with its report,
 * is lib/storage/check.ts (background and options page).
 */
import type { KeyConfig, KeyStatus, Settings } from '../schema';
import { STORED_KINDS } from '../schema-kinds';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const str = (v: unknown): v is string => typeof v === 'string';
const bool = (v: unknown): v is boolean => typeof v === 'boolean';
const optional = (v: unknown, check: (v: unknown) => boolean) => v === undefined || check(v);
const numOrNull = (v: unknown) => v === null || num(v);
const listOf = (v: unknown, check: (v: unknown) => boolean) => Array.isArray(v) && v.every(check);

const isThreshold = (v: unknown) => isObj(v) && (v.type === 'percent' || v.type === 'amount') && num(v.value);
const isCustom = (v: unknown) =>
  isObj(v) &&
  str(v.path) &&
  optional(v.headers, (h) => isObj(h) && Object.values(h).every(str)) &&
  ['remaining', 'granted', 'used', 'unlimited', 'expiresAt'].every((f) => optional(v[f], str)) &&
  optional(v.scale, num);

/** Whether a stored key can be shown and read: its fields have their types and its kind is known. */
export function isUsableKey(v: unknown): v is KeyConfig {
  return (
    isObj(v) &&
    str(v.id) &&
    v.id !== '' &&
    str(v.label) &&
    str(v.baseUrl) &&
    (STORED_KINDS as readonly unknown[]).includes(v.kind) &&
    str(v.secret) &&
    num(v.createdAt) &&
    num(v.updatedAt) &&
    optional(v.userId, num) &&
    optional(v.currency, str) &&
    optional(v.custom, isCustom) &&
    optional(v.watchTokens, bool) &&
    optional(v.expiresAt, num) &&
    optional(v.threshold, isThreshold) &&
    optional(v.intervalMinutes, num) &&
    optional(v.snoozedUntil, num) &&
    optional(v.muted, bool) &&
    optional(v.pinned, bool)
  );
}

/** The stored key list split into the keys that can be used and the entries that cannot (kept as they are). */
export function splitKeys(stored: unknown): { keys: KeyConfig[]; unusable: unknown[] } {
  if (stored === null || stored === undefined) return { keys: [], unusable: [] };
  if (!Array.isArray(stored)) return { keys: [], unusable: [stored] };
  const keys: KeyConfig[] = [];
  const unusable: unknown[] = [];
  for (const entry of stored) (isUsableKey(entry) ? keys : unusable).push(entry as KeyConfig);
  return { keys, unusable };
}

const isUnit = (v: unknown) => isObj(v) && str(v.code) && optional(v.symbol, str);
const isError = (v: unknown) => isObj(v) && str(v.kind) && str(v.message);
const isPoint = (v: unknown) => Array.isArray(v) && v.length === 2 && num(v[0]) && num(v[1]);
const isTrend = (v: unknown) => isObj(v) && numOrNull(v.burnPerDay) && numOrNull(v.runsOutAt) && listOf(v.sparkline, isPoint);
const isAlert = (v: unknown) => isObj(v) && optional(v.state, str) && optional(v.expiryStage, num) && optional(v.expiresAt, numOrNull);
const isToken = (v: unknown) =>
  isObj(v) &&
  num(v.id) &&
  str(v.name) &&
  numOrNull(v.remaining) &&
  numOrNull(v.granted) &&
  num(v.used) &&
  bool(v.unlimited) &&
  numOrNull(v.expiresAt);
// What the popup reads of a window (lib/windows.ts); the schema checks the rest.
const isWindow = (v: unknown) =>
  isObj(v) && str(v.name) && str(v.unit) && ['limit', 'used', 'remaining', 'percentUsed', 'resetsAt'].every((f) => numOrNull(v[f]));
const isPlan = (v: unknown) =>
  isObj(v) &&
  num(v.id) &&
  numOrNull(v.remaining) &&
  numOrNull(v.total) &&
  num(v.used) &&
  bool(v.unlimited) &&
  numOrNull(v.resetsAt) &&
  num(v.endsAt);

function isReading(v: unknown): boolean {
  return (
    isObj(v) &&
    numOrNull(v.remaining) &&
    numOrNull(v.granted) &&
    numOrNull(v.used) &&
    isUnit(v.unit) &&
    bool(v.unlimited) &&
    numOrNull(v.expiresAt) &&
    str(v.scope) &&
    str(v.kind) &&
    num(v.fetchedAt) &&
    optional(v.name, str) &&
    optional(v.plan, str) &&
    optional(v.authScheme, (a) => a === 'bearer') &&
    optional(v.modelLimits, (l) => listOf(l, str)) &&
    optional(v.couponBalance, num) &&
    optional(v.usageByModel, (l) => listOf(l, (u) => isObj(u) && str(u.model) && num(u.tokens))) &&
    optional(v.tokens, (l) => listOf(l, isToken)) &&
    optional(v.tokensError, isError) &&
    optional(v.plans, (l) => listOf(l, isPlan)) &&
    optional(v.plansError, isError) &&
    optional(v.windows, (l) => listOf(l, isWindow)) &&
    optional(v.parts, (l) => listOf(l, (p) => isObj(p) && str(p.part) && num(p.amount))) &&
    optional(v.otherBalances, (l) => listOf(l, (b) => isObj(b) && isUnit(b.unit) && num(b.amount))) &&
    optional(v.usageWindows, (w) => isObj(w) && num(w.day) && num(w.week) && num(w.month)) &&
    optional(v.cut, (l) => listOf(l, str))
  );
}

/** Whether a stored status can be used; one that cannot is treated as unknown (the key shows as pending). */
export function isUsableStatus(v: unknown): v is KeyStatus {
  return (
    isObj(v) &&
    (v.reading === null || isReading(v.reading)) &&
    (v.error === null || (isError(v.error) && num((v.error as Obj).at))) &&
    numOrNull(v.attemptedAt) &&
    num(v.failures) &&
    optional(v.detectedKind, str) &&
    optional(v.trend, isTrend) &&
    optional(v.alert, isAlert) &&
    optional(v.heldBack, (h) => isObj(h) && num(h.at) && num(h.until)) &&
    optional(
      v.children,
      (c) => isObj(c) && Object.values(c).every((x) => isObj(x) && optional(x.alert, isAlert) && optional(x.trend, isTrend)),
    )
  );
}

/** Each setting's check; a setting that fails falls back to its default alone. `defaultLowAmounts` is checked per unit. */
export const SETTING_CHECKS: { [F in keyof Settings]: (v: unknown) => boolean } = {
  intervalMinutes: (v) => num(v) && v > 0,
  defaultThreshold: isThreshold,
  defaultLowAmounts: (v) => isObj(v) && ['USD', 'CNY', 'tokens', 'other'].every((u) => num(v[u])),
  notifications: bool,
  expiryWarningDays: (v) => listOf(v, num),
  forecastWarningDays: num,
  windowLowPercent: (v) => num(v) && v >= 0 && v <= 100,
};

/** Whether a stored history series can be used. */
export const isSeries = (v: unknown) => listOf(v, isPoint);

const isDisplay = (v: unknown) =>
  isObj(v) &&
  num(v.quotaPerUnit) &&
  str(v.displayType) &&
  num(v.usdExchangeRate) &&
  str(v.customSymbol) &&
  num(v.customRate) &&
  bool(v.newApi);
/** Whether the stored `sites` cache can be used. */
export const isSiteCache = (v: unknown) => isObj(v) && Object.values(v).every((e) => isObj(e) && isDisplay(e.display) && num(e.fetchedAt));
/** Whether the stored token-route budget can be used. */
export const isBudget = (v: unknown) => isObj(v) && Object.values(v).every((times) => listOf(times, num));
/** Whether the stored cycle claims can be used. */
export const isCycles = (v: unknown) => isObj(v) && Object.values(v).every((c) => isObj(c) && num(c.startedAt) && listOf(c.origins, str));
