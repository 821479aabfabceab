import type { KeyConfig, KeyState, KeyStatus, Reading, Threshold, Unit } from './model';
import type { LowAmounts, Settings } from './schema';
import { isUsableKey, isUsableStatus, SETTING_CHECKS } from './storage/shape';
import { judgeWindows, resumesAt } from './windows';

/** Global settings and default low amounts: stored shapes, defined in lib/schema.ts. */
export type { LowAmounts, Settings } from './schema';

export const DEFAULT_LOW_AMOUNTS: LowAmounts = { USD: 1, CNY: 7, tokens: 500_000, other: 1 };

export const DEFAULT_SETTINGS: Settings = {
  intervalMinutes: 30,
  defaultThreshold: { type: 'percent', value: 10 },
  defaultLowAmounts: DEFAULT_LOW_AMOUNTS,
  notifications: true,
  expiryWarningDays: [7, 3, 1],
  forecastWarningDays: 3,
  windowLowPercent: 20,
};

/**
 * Settings as stored, completed with defaults for anything missing or unusable (older
 * versions, hand-edited storage): each bad setting falls back alone, and each bad unit
 * of the low amounts. lib/storage/check.ts reports which ones did.
 */
export function withDefaults(stored: Partial<Settings> | null | undefined): Settings {
  const raw: Record<string, unknown> = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? stored : {};
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS, ...raw };
  for (const [field, ok] of Object.entries(SETTING_CHECKS)) {
    if (field !== 'defaultLowAmounts' && !ok(raw[field])) settings[field] = DEFAULT_SETTINGS[field as keyof Settings];
  }
  const amounts = raw.defaultLowAmounts as Record<string, unknown> | null | undefined;
  const lowAmounts: Record<string, number> = { ...DEFAULT_LOW_AMOUNTS };
  if (typeof amounts === 'object' && amounts !== null) {
    for (const unit of Object.keys(DEFAULT_LOW_AMOUNTS)) {
      const value = amounts[unit];
      if (typeof value === 'number' && Number.isFinite(value)) lowAmounts[unit] = value;
    }
  }
  settings.defaultLowAmounts = lowAmounts;
  return settings as unknown as Settings;
}

/** The default low amount for a unit. */
export function lowAmountFor(unit: Unit, amounts: LowAmounts): number {
  if (unit.code === 'USD' || unit.code === 'CNY' || unit.code === 'tokens') return amounts[unit.code];
  return amounts.other;
}

/**
 * The threshold that applies to a reading: the key's own, else the default. A
 * percentage needs a granted amount; a reading without one (a balance, a wallet) is
 * judged against the default low amount of its unit instead. A key's own amount wins.
 */
export function effectiveThreshold(key: KeyConfig, reading: Reading, settings: Settings): Threshold {
  const threshold = key.threshold ?? settings.defaultThreshold;
  // A wallet (an account's balance) has no granted amount, whatever its answer adds up to
  // (a new-api wallet's "granted" is remaining + used): a percentage of it means nothing (automation.md §5).
  const granted = reading.scope === 'account' ? null : reading.granted;
  if (threshold.type === 'amount' || (granted !== null && granted > 0)) return threshold;
  return { type: 'amount', value: lowAmountFor(reading.unit, settings.defaultLowAmounts ?? DEFAULT_LOW_AMOUNTS) };
}

/**
 * An active plan that can still pay: unlimited, allowance left, or its window reset since
 * it was read (new-api-accounts.md §B.3, §B.5), so an empty wallet is not the end.
 */
const planCovers = (reading: Reading, nowS: number) =>
  !!reading.plans?.some((p) => p.unlimited || (p.remaining ?? 0) > 0 || (p.resetsAt !== null && p.resetsAt <= nowS));

/** Whether a reading is under its threshold (a percentage needs a known, positive granted amount). */
export function isLow(reading: Reading, threshold: Threshold, nowS = 0): boolean {
  if (reading.unlimited || reading.remaining === null || planCovers(reading, nowS)) return false;
  if (threshold.type === 'amount') return reading.remaining < threshold.value;
  if (reading.granted === null || reading.granted <= 0) return false;
  return (reading.remaining / reading.granted) * 100 < threshold.value;
}

const isExpired = (reading: Reading | null, now: number) => !!reading && reading.expiresAt !== null && reading.expiresAt * 1000 <= now;
const walletEmpty = (reading: Reading) => !reading.unlimited && reading.remaining !== null && reading.remaining <= 0;

/** An empty wallet whose plans are all used up for now: the account pays again at the first plan reset ahead. */
function plansResumeAt(reading: Reading, nowS: number): number | null {
  if (!walletEmpty(reading) || planCovers(reading, nowS)) return null;
  const resets = (reading.plans ?? []).flatMap((p) => (p.resetsAt !== null && p.resetsAt > nowS ? [p.resetsAt] : []));
  return resets.length ? Math.min(...resets) : null;
}

/**
 * A key's state (shared/spec/automation.md §4). A fresh reading decides by itself.
 * After a failed attempt the last reading still tells what is certain (an expiry in
 * the past; a wallet already empty, which is why billing now refuses the key);
 * otherwise a refused credential is `invalid` and any other failure is `error`.
 * Precedence: expired > exhausted > invalid > capped > low > ok. Quota windows: a full
 * one (reset ahead) is `capped`, a used-up lifetime `total` is `exhausted`, one under
 * `windowLowPercent` left is `low` (automation.md §4.1, relays.md §1.3).
 */
export function keyState(key: KeyConfig, status: KeyStatus | undefined, settings: Settings, now: number): KeyState {
  if (!status || (status.reading === null && status.error === null)) return 'pending';
  const { reading, error } = status;
  const nowS = Math.floor(now / 1000);
  if (isExpired(reading, now)) return 'expired';
  const windows = reading && judgeWindows(reading, nowS, settings.windowLowPercent ?? DEFAULT_SETTINGS.windowLowPercent);
  // Used up for good: an empty wallet no plan pays now or after a reset (new-api-accounts.md §B.5), or a lifetime total.
  const plans = reading && plansResumeAt(reading, nowS);
  const exhausted = !!reading && ((walletEmpty(reading) && !planCovers(reading, nowS) && !plans) || !!windows?.usedUp);
  // A held-back read asked nothing: beside a reading (as an older version stored it) it says nothing; a key
  // never read says it waits for the site's rate limit (`error`, `rate-limited`).
  if (error && !(error.heldBack && reading)) {
    // Refused: this credential. A watched token whose account could not read the list (code `account`) is not refused.
    if ((error.kind === 'auth' || error.kind === 'forbidden') && error.code !== 'account') return exhausted ? 'exhausted' : 'invalid';
    return 'error';
  }
  if (!reading || !windows) return 'pending';
  if (exhausted) return 'exhausted';
  if (windows.full.length || plans) return 'capped';
  return isLow(reading, effectiveThreshold(key, reading, settings), nowS) || windows.low || runsOutSoon(status, settings, now)
    ? 'low'
    : 'ok';
}

/**
 * The runway rule (issue #16): a key whose own forecast (lib/history.ts) says it runs out
 * within `forecastWarningDays` days is `low`, however far above its threshold it still is.
 * 0 turns it off. Unlimited keys and keys without a forecast have no runway.
 */
export function runsOutSoon(status: KeyStatus | undefined, settings: Settings, now: number): boolean {
  const runsOutAt = status?.trend?.runsOutAt ?? null;
  const reading = status?.reading;
  const days = settings.forecastWarningDays;
  if (!reading || reading.unlimited || runsOutAt === null || !(days > 0)) return false;
  return runsOutAt - now < days * 86_400_000;
}

/**
 * Whether a reading is `capped` (automation.md §4.1) and when it works again (Unix
 * seconds; null when unknown): the latest reset among its full windows, or for an
 * empty wallet the first reset ahead among its plans.
 */
export function capping(reading: Reading | null, now: number): { capped: boolean; resumesAt: number | null } {
  const nowS = Math.floor(now / 1000);
  const full = reading ? judgeWindows(reading, nowS, 0).full : [];
  const plans = reading && plansResumeAt(reading, nowS);
  return full.length ? { capped: true, resumesAt: resumesAt(full) } : { capped: !!plans, resumesAt: plans || null };
}

/** Most severe first: the popup's order and the badge's priority. */
export const STATE_SEVERITY: Record<KeyState, number> = {
  expired: 0,
  exhausted: 1,
  invalid: 2,
  capped: 3,
  low: 4,
  error: 5,
  pending: 6,
  ok: 7,
};

/** Fraction of granted left, for ordering keys of one state; unknown sorts last. */
export function remainingFraction(reading: Reading | null): number {
  if (!reading || reading.unlimited || reading.remaining === null) return Number.POSITIVE_INFINITY;
  if (reading.granted === null || reading.granted <= 0) return reading.remaining <= 0 ? 0 : Number.POSITIVE_INFINITY;
  return reading.remaining / reading.granted;
}

/**
 * How close a key is to running out, on one scale for every kind: the fraction of
 * granted left, or for a balance without a granted amount its remaining measured
 * against the default low amount, scaled so that both cross at the same point (an
 * r9s key at $0.40 against $1 sorts like a key with 4% left, not last).
 */
function leftOfThreshold(view: { key: KeyConfig; status?: KeyStatus | undefined }, settings: Settings): number {
  const reading = view.status?.reading ?? null;
  if (!reading || reading.unlimited || reading.remaining === null || (reading.granted !== null && reading.granted > 0)) {
    return remainingFraction(reading);
  }
  const threshold = effectiveThreshold(view.key, reading, settings);
  const percent = settings.defaultThreshold.type === 'percent' ? settings.defaultThreshold.value / 100 : 0.1;
  if (threshold.type !== 'amount' || threshold.value <= 0) return remainingFraction(reading);
  return Math.max(0, reading.remaining) * (percent / threshold.value);
}

export interface KeyView {
  key: KeyConfig;
  status: KeyStatus | undefined;
  state: KeyState;
  /** A key not otherwise in trouble whose expiry is inside the warning window. */
  expiringSoon?: boolean;
  /** Set on a row that stands for one token of a watched account (automation.md §3.3): that account key. */
  parent?: { id: string; label: string };
  /** A capped key: when it works again, Unix seconds; null when a full window's reset is unknown (`data-resets-at`). */
  resumesAt?: number | null;
}

/** Keys with their states, worst first; ties by fraction left, then soonest expiry, then label. */
export function rankKeys(
  keys: readonly KeyConfig[],
  statuses: Readonly<Record<string, KeyStatus>>,
  settings: Settings,
  now: number,
): KeyView[] {
  // A stored key that cannot be used is kept in storage and reported (lib/storage/check.ts), not shown.
  const views = (Array.isArray(keys) ? keys : []).filter(isUsableKey).map((key): KeyView => {
    const stored = statuses[key.id];
    const status = isUsableStatus(stored) ? stored : undefined;
    const state = keyState(key, status, settings, now);
    const soon = isExpiringSoon(status?.reading ?? null, settings, now);
    const view: KeyView = soon ? { key, status, state, expiringSoon: true } : { key, status, state };
    if (state === 'capped') view.resumesAt = capping(status?.reading ?? null, now).resumesAt;
    return view;
  });
  const expiry = (v: KeyView) => v.status?.reading?.expiresAt ?? Number.POSITIVE_INFINITY;
  // Each key's share left is worked out once, not at every comparison (500 keys: ~9,000).
  const left = new Map(views.map((v) => [v, leftOfThreshold(v, settings)]));
  return views.sort(
    (a, b) =>
      STATE_SEVERITY[a.state] - STATE_SEVERITY[b.state] ||
      Number(!!b.expiringSoon) - Number(!!a.expiringSoon) ||
      (left.get(a) ?? 0) - (left.get(b) ?? 0) ||
      expiry(a) - expiry(b) ||
      a.key.label.localeCompare(b.key.label),
  );
}

/**
 * Whether a reading's expiry is in the future but inside the expiry warning window
 * (the largest of the warning days, 7 by default): the row says "expires soon" and
 * the badge names it (see `badgeFor`).
 */
export function isExpiringSoon(reading: Reading | null, settings: Settings, now: number): boolean {
  if (!reading || reading.expiresAt === null) return false;
  const left = reading.expiresAt * 1000 - now;
  const window = Math.max(0, ...settings.expiryWarningDays) * 86_400_000;
  return left > 0 && left <= window;
}
