import type { Sort } from './appearance';
import type { KeyConfig, KeyState, KeyStatus, Unit } from './model';
import { displaySite } from './site';
import { type KeyView, remainingFraction } from './state';

/** How many keys are in each state that needs attention, with keys the extension may not read yet apart. */
export interface AttentionCounts {
  expired: number;
  exhausted: number;
  invalid: number;
  low: number;
  capped: number;
  error: number;
  noAccess: number;
  pending: number;
  total: number;
}

/** Counts for the popup's summary line. `noAccess` keys are counted there, not as errors. */
export function attentionCounts(views: readonly KeyView[], needsAccess: (view: KeyView) => boolean): AttentionCounts {
  const counts: AttentionCounts = {
    expired: 0,
    exhausted: 0,
    invalid: 0,
    capped: 0,
    low: 0,
    error: 0,
    noAccess: 0,
    pending: 0,
    total: views.length,
  };
  for (const view of views) {
    if ((view.state === 'error' || view.state === 'pending') && needsAccess(view)) counts.noAccess++;
    else if (view.state !== 'ok') counts[view.state]++;
  }
  return counts;
}

/** Remaining amounts added up per unit, never across units; unlimited, unknown and account tokens (already in their account) left out. */
export function totalsByUnit(views: readonly KeyView[]): { unit: Unit; amount: number }[] {
  const totals = new Map<string, { unit: Unit; amount: number }>();
  for (const view of views) {
    const reading = view.status?.reading;
    if (view.parent || !reading || reading.unlimited || reading.remaining === null) continue;
    const id = reading.unit.code === 'custom' ? `custom:${reading.unit.symbol ?? ''}` : reading.unit.code;
    const entry = totals.get(id) ?? { unit: reading.unit, amount: 0 };
    entry.amount += Math.max(0, reading.remaining);
    totals.set(id, entry);
  }
  // Currencies first, then tokens, then site currencies.
  const rank = (u: Unit) => (u.code === 'tokens' ? 1 : u.code === 'custom' ? 2 : 0);
  return [...totals.values()].sort((a, b) => rank(a.unit) - rank(b.unit) || a.unit.code.localeCompare(b.unit.code));
}

/** The popup's order: `urgency` keeps rankKeys' worst-first order; the others break ties by it. */
export function sortViews(views: readonly KeyView[], sort: Sort): KeyView[] {
  if (sort === 'urgency') return [...views];
  const rank = new Map(views.map((v, i) => [v.key.id, i]));
  const tie = (a: KeyView, b: KeyView) => (rank.get(a.key.id) ?? 0) - (rank.get(b.key.id) ?? 0);
  const expiry = (v: KeyView) => v.status?.reading?.expiresAt ?? Number.POSITIVE_INFINITY;
  const compare: Record<Exclude<Sort, 'urgency'>, (a: KeyView, b: KeyView) => number> = {
    // Numbers in labels in their order: Key 2 before Key 10.
    name: (a, b) => a.key.label.localeCompare(b.key.label, undefined, { numeric: true }),
    remaining: (a, b) => remainingFraction(a.status?.reading ?? null) - remainingFraction(b.status?.reading ?? null),
    expiry: (a, b) => expiry(a) - expiry(b),
  };
  return [...views].sort((a, b) => compare[sort](a, b) || tie(a, b));
}

/** What the popup's filter can show: every key, those needing attention, one state, or keys without access. */
export type Filter = 'all' | 'attention' | 'no-access' | KeyState;

/** Whether a key shows under the search text and filter. */
export function matches(view: KeyView, query: string, filter: Filter, needsAccess: boolean): boolean {
  if (filter === 'attention' && (view.state === 'ok' || view.state === 'pending') && !needsAccess) return false;
  if (filter === 'no-access' && !needsAccess) return false;
  if (filter !== 'all' && filter !== 'attention' && filter !== 'no-access' && view.state !== filter) return false;
  const text = query.trim().toLowerCase();
  if (!text) return true;
  return [view.key.label, displaySite(view.key.baseUrl), view.status?.reading?.name ?? '', view.parent?.label ?? ''].some((s) =>
    s.toLowerCase().includes(text),
  );
}

/**
 * Statuses as the popup keeps them in memory: each trend's sparkline is left in storage
 * until a row's details ask for it (500 keys' history is most of what storage holds).
 */
export function compactStatuses(statuses: Record<string, KeyStatus>): Record<string, KeyStatus> {
  const out: Record<string, KeyStatus> = {};
  for (const [id, status] of Object.entries(statuses))
    out[id] = status.trend?.sparkline.length ? { ...status, trend: { ...status.trend, sparkline: [] } } : status;
  return out;
}

/**
 * Keys as the popup keeps them in memory: without their secrets, which it never sends
 * nor shows (reads are asked of the background by key id). Less to hold at 500 keys,
 * and nothing secret in the page.
 */
export function withoutSecrets(keys: KeyConfig[]): KeyConfig[] {
  return keys.map((key) => (key.secret ? { ...key, secret: '' } : key));
}

/** Where the popup notes the key ids it showed, in the page's own `localStorage`. */
const LAST_SHOWN = 'quota-glance:last-shown-ids';

/**
 * The key ids the popup showed last time (ids only, nothing secret), so its next opening
 * can read their statuses beside the key list (lib/storage-layout.ts `statusesAlongside`).
 * A missing or unreadable note is no ids: the statuses are then read after the list.
 */
export const lastShownIds = {
  read(store: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): string[] {
    try {
      const ids = JSON.parse(store?.getItem(LAST_SHOWN) ?? '[]') as unknown;
      return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string').slice(0, 5000) : [];
    } catch {
      return [];
    }
  },
  write(ids: readonly string[], store: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage): void {
    try {
      const text = JSON.stringify(ids);
      if (store?.getItem(LAST_SHOWN) !== text) store?.setItem(LAST_SHOWN, text);
    } catch {
      // A page that cannot keep the note reads the statuses after the list next time.
    }
  },
};
