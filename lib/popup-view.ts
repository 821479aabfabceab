import type { Sort } from './appearance';
import { verdictOf } from './attention';
import type { KeyConfig, KeyState, KeyStatus, Unit } from './model';
import { displaySite } from './site';
import { type KeyView, remainingFraction } from './state';

/**
 * How many keys have each concern (lib/attention.ts), muted keys apart. `attention` is
 * how many need attention (automation.md §4 `data-attention-count`); `noAccess` counts
 * keys that could not be read because their site is not granted, not as errors;
 * `pending` counts keys never read yet (with or without access), which need no attention.
 */
export interface AttentionCounts {
  expired: number;
  exhausted: number;
  invalid: number;
  low: number;
  capped: number;
  expiring: number;
  error: number;
  noAccess: number;
  pending: number;
  muted: number;
  attention: number;
  total: number;
}

/** Counts for the popup's headline, from the one verdict (lib/attention.ts). */
export function attentionCounts(views: readonly KeyView[], needsAccess: (view: KeyView) => boolean): AttentionCounts {
  const counts: AttentionCounts = {
    expired: 0,
    exhausted: 0,
    invalid: 0,
    capped: 0,
    low: 0,
    expiring: 0,
    error: 0,
    noAccess: 0,
    pending: 0,
    muted: 0,
    attention: 0,
    total: views.length,
  };
  for (const view of views) {
    const { concern, muted, attention } = verdictOf(view, needsAccess(view));
    if (muted) counts.muted++;
    else if (view.state === 'pending') counts.pending++;
    else if (concern === 'no-access') counts.noAccess++;
    else if (concern !== 'ok') counts[concern]++;
    if (attention) counts.attention++;
  }
  return counts;
}

/** States whose money can no longer be spent: their amounts stay out of the totals. */
const SPENT: ReadonlySet<string> = new Set(['expired', 'exhausted', 'invalid']);

/**
 * Money that can still be spent, added up per unit, never across units (issue #19): unlimited,
 * unknown and account tokens (already in their account) left out, and so are expired,
 * exhausted, refused and muted keys.
 */
export function totalsByUnit(views: readonly KeyView[]): { unit: Unit; amount: number }[] {
  const totals = new Map<string, { unit: Unit; amount: number }>();
  for (const view of views) {
    const reading = view.status?.reading;
    if (view.parent || view.key.muted || SPENT.has(view.state) || !reading || reading.unlimited || reading.remaining === null) continue;
    const id = reading.unit.code === 'custom' ? `custom:${reading.unit.symbol ?? ''}` : reading.unit.code;
    const entry = totals.get(id) ?? { unit: reading.unit, amount: 0 };
    entry.amount += Math.max(0, reading.remaining);
    totals.set(id, entry);
  }
  // Currencies first, then tokens, then site currencies.
  const rank = (u: Unit) => (u.code === 'tokens' ? 1 : u.code === 'custom' ? 2 : 0);
  return [...totals.values()].sort((a, b) => rank(a.unit) - rank(b.unit) || a.unit.code.localeCompare(b.unit.code));
}

/** Pinned keys first (automation.md §3.1), each part in the order it had. */
const pinnedFirst = (views: KeyView[]) => [...views.filter((v) => v.key.pinned), ...views.filter((v) => !v.key.pinned)];

/** The popup's order: pinned keys first; `urgency` keeps rankKeys' worst-first order; the others break ties by it. */
export function sortViews(views: readonly KeyView[], sort: Sort): KeyView[] {
  if (sort === 'urgency') return pinnedFirst([...views]);
  const rank = new Map(views.map((v, i) => [v.key.id, i]));
  const tie = (a: KeyView, b: KeyView) => (rank.get(a.key.id) ?? 0) - (rank.get(b.key.id) ?? 0);
  const expiry = (v: KeyView) => v.status?.reading?.expiresAt ?? Number.POSITIVE_INFINITY;
  const compare: Record<Exclude<Sort, 'urgency'>, (a: KeyView, b: KeyView) => number> = {
    // Numbers in labels in their order: Key 2 before Key 10.
    name: (a, b) => a.key.label.localeCompare(b.key.label, undefined, { numeric: true }),
    remaining: (a, b) => remainingFraction(a.status?.reading ?? null) - remainingFraction(b.status?.reading ?? null),
    expiry: (a, b) => expiry(a) - expiry(b),
  };
  return pinnedFirst([...views].sort((a, b) => compare[sort](a, b) || tie(a, b)));
}

/** What the popup's filter can show: every key, those needing attention, one state, or keys without access. */
export type Filter = 'all' | 'attention' | 'no-access' | 'expiring' | KeyState;

/** Whether a key shows under the search text and filter. */
export function matches(view: KeyView, query: string, filter: Filter, needsAccess: boolean): boolean {
  if (filter === 'attention' && !verdictOf(view, needsAccess).attention) return false;
  if (filter === 'no-access' && !needsAccess) return false;
  // A key expiring soon is "Expires soon", as its chip says: listed there, not under OK (issue #19, item 1).
  const expiring = view.state === 'ok' && verdictOf(view, needsAccess).concern === 'expiring';
  if (filter === 'expiring' && !expiring) return false;
  if (filter === 'ok' && expiring) return false;
  if (filter !== 'all' && filter !== 'attention' && filter !== 'no-access' && filter !== 'expiring' && view.state !== filter) return false;
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
 * can read their statuses beside the key list (lib/storage/layout.ts `statusesAlongside`).
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
