import type { KeyConfig, KeyState, KeyStatus, Threshold } from './model';
import type { AlertMemory } from './schema';
import { capping, effectiveThreshold, isLow, runsOutSoon, type Settings } from './state';
import { judgeWindows } from './windows';

/** States that warrant a notification, by how bad they are (higher is worse; automation.md §4's order). */
const ALERT_RANK: Partial<Record<KeyState, number>> = { low: 1, capped: 2, invalid: 3, exhausted: 4, expired: 5 };

/** What was last announced for a key, so each crossing is announced once (stored shape: lib/schema.ts). */
export type { AlertMemory } from './schema';

export type AlertKind = 'state' | 'expiring' | 'restored';

/** States a key is announced as back from when it returns to `ok` (automation.md §5): not `expired`, which stays the past. */
const RESTORED_FROM: ReadonlySet<KeyState> = new Set(['low', 'capped', 'exhausted', 'invalid']);

export interface Alert {
  kind: AlertKind;
  state: KeyState;
  /** For `expiring`: whole days left; for `low` by its runway: days until it runs out. */
  days?: number;
  /** For `expiring`: the expiry (Unix seconds), so the text says the same as the popup. */
  expiresAt?: number;
  /** For `capped`: when the key works again (Unix seconds), when known. */
  resumesAt?: number;
  /** For `capped`: the full window's name (`5h`, `day`, a plan's title), when one is full. */
  window?: string;
  /** For `restored`: the state the key came back from (alert channels say it, automation.md §5.1). */
  from?: KeyState;
  /** Notifications are off: announced on alert channels only, not in the browser. */
  quiet?: true;
}

/** A crossing into `capped`: which window is full and when the key works again (automation.md §5). */
function cappedAlert(reading: KeyStatus['reading'], now: number): Alert {
  const { resumesAt } = capping(reading, now);
  const full = reading ? judgeWindows(reading, Math.floor(now / 1000), 0).full : [];
  // The window that holds the key longest names it: with two full, the later reset is when it works.
  const named = [...full].sort((a, b) => (b.resetsAt ?? Number.POSITIVE_INFINITY) - (a.resetsAt ?? Number.POSITIVE_INFINITY))[0];
  return {
    kind: 'state',
    state: 'capped',
    ...(resumesAt !== null ? { resumesAt } : {}),
    ...(named ? { window: named.name } : {}),
  };
}

/** How far above its threshold a low key must climb before it can warn again. */
export const LOW_HYSTERESIS = 1.25;

const scaled = (threshold: Threshold): Threshold => ({ ...threshold, value: threshold.value * LOW_HYSTERESIS });

/**
 * Decides what to announce after a key's new status, and what to remember.
 * A notification goes out when the key gets worse (into low, refused, exhausted or
 * expired; low includes a forecast inside the runway, said with its days), and when
 * its expiry crosses a warning stage (7, 3, 1 days by default). It re-arms only
 * once the key has recovered: a low key must climb 25% above its threshold (so a
 * balance hovering at the line does not warn on every poll), any other state must
 * clear. Snoozed and muted keys are silenced everywhere, not their memory; the global
 * switch marks alerts `quiet` (channels only).
 */
export function judgeAlerts(
  key: KeyConfig,
  status: KeyStatus,
  state: KeyState,
  memory: AlertMemory | undefined,
  settings: Settings,
  now: number,
): { memory: AlertMemory; alerts: Alert[] } {
  const next: AlertMemory = { ...memory };
  const alerts: Alert[] = [];
  const reading = status.reading;

  const rank = ALERT_RANK[state] ?? 0;
  const known = next.state ? (ALERT_RANK[next.state] ?? 0) : 0;
  // The runway rule (lib/state.ts `runsOutSoon`): a low key says how many days its forecast gives it.
  const runsOutAt = status.trend?.runsOutAt ?? null;
  const runway = runsOutAt === null ? null : Math.max(1, Math.round((runsOutAt - now) / 86_400_000));
  if (rank > known) {
    if (state === 'capped') alerts.push(cappedAlert(reading, now));
    else if (state === 'low' && runway !== null && runsOutSoon(status, settings, now)) alerts.push({ kind: 'state', state, days: runway });
    else alerts.push({ kind: 'state', state });
    next.state = state;
  } else if (rank > 0 && rank < known) {
    // Better but not well (topped up, still low): remember the milder state, no news.
    next.state = state;
  } else if (rank === 0 && next.state && state !== 'error' && state !== 'pending') {
    // A runway that only just grew past the limit does not clear either (same 25 %).
    const stillNearLow =
      next.state === 'low' &&
      reading !== null &&
      (isLow(reading, scaled(effectiveThreshold(key, reading, settings)), Math.floor(now / 1000)) ||
        runsOutSoon(status, { ...settings, forecastWarningDays: settings.forecastWarningDays * LOW_HYSTERESIS }, now));
    if (!stillNearLow) {
      // Back to work: "CI pipeline is back: $12.00 left" (automation.md §5; off with `notifyRestored`).
      if (state === 'ok' && RESTORED_FROM.has(next.state)) alerts.push({ kind: 'restored', state, from: next.state });
      delete next.state;
    }
  }

  const expiresAt = reading?.expiresAt ?? null;
  if (expiresAt !== next.expiresAt) {
    next.expiresAt = expiresAt;
    delete next.expiryStage;
  }
  if (expiresAt !== null && expiresAt * 1000 > now) {
    const daysLeft = (expiresAt * 1000 - now) / 86_400_000;
    const stage = [...settings.expiryWarningDays].sort((a, b) => a - b).find((d) => daysLeft <= d);
    if (stage !== undefined && (next.expiryStage === undefined || stage < next.expiryStage)) {
      // The same rounding as the popup and the badge (lib/expiry.ts).
      alerts.push({ kind: 'expiring', state, days: Math.max(1, Math.ceil(daysLeft)), expiresAt });
      next.expiryStage = stage;
    }
  }

  // A forecast inside the runway makes the key `low` (lib/state.ts), announced above with its days.
  delete next.forecast;

  // A muted key is still read and remembered, but never announced (automation.md §3.1), on any channel; nor a snoozed one.
  const silenced = key.muted === true || (key.snoozedUntil !== undefined && key.snoozedUntil > now);
  // The notifications switch quiets the browser's notifications only: alert channels are
  // their own opt-in and still hear of it (automation.md §5.1).
  const quiet = !settings.notifications;
  return { memory: next, alerts: silenced ? [] : quiet ? alerts.map((alert) => ({ ...alert, quiet: true as const })) : alerts };
}
