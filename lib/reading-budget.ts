/**
 * A byte budget per key: what one key may take of `storage.local`, so one key (a
 * DeepSeek account answering thousands of currencies, a watched account with hundreds
 * of tokens) can never fill the quota every key shares. Pure: statuses in, statuses out.
 */
import type { ReadOutcome } from './model';
import type { KeyStatus, QuotaWindow, Reading, TokenReading } from './schema';

/**
 * Most bytes a key's stored status may take. `storage.local` holds 10 MiB in Chrome;
 * 500 ordinary keys take about 4 MB (a status of ~1 KB and a year of history, ≤ ~7 KB,
 * each), which leaves room for about 100 statuses at this cap: it takes that many
 * outsized keys, not ten, to fill the quota. 64 KiB still holds a watched account's
 * ~200 tokens with their alert memory.
 */
export const STATUS_BUDGET_BYTES = 64 * 1024;

/** A list of a reading that can be shortened, most useful items kept (`reading.cut` names those that were). */
export type CuttableList = NonNullable<Reading['cut']>[number];
export const CUTTABLE_LISTS: readonly CuttableList[] = [
  'otherBalances',
  'parts',
  'usageByModel',
  'tokens',
  'plans',
  'modelLimits',
  'windows',
];

/**
 * How many items of each list a reading keeps at most. Sites send a handful
 * (DeepSeek: CNY and USD; new-api: a few plans); more is a site gone wrong.
 * Tokens keep lib/account-tokens.ts `MAX_TOKENS`; the byte budget may cut them further.
 */
export const LIST_CAPS: Record<CuttableList, number> = {
  otherBalances: 10,
  parts: 8,
  usageByModel: 20,
  tokens: 300,
  plans: 20,
  modelLimits: 50,
  /** A gateway states a handful (5 h, day, week, month, total; relays.md §1). */
  windows: 12,
};

// Made on first use: the popup imports this module's neighbours and should carry none of it.
let encoder: TextEncoder | undefined;
function utf8(text: string): number {
  encoder ??= new TextEncoder();
  return encoder.encode(text).length;
}

/** How Chrome counts an item against `storage.local`'s QUOTA_BYTES: its key and its value's JSON, in UTF-8. */
export const itemBytes = (key: string, value: unknown): number => utf8(key) + utf8(JSON.stringify(value) ?? '');

/** A status's stored size without its item key: a status is stored as its JSON text (lib/storage/layout.ts `encodeStatus`). */
export const statusBytes = (status: KeyStatus): number => itemBytes('', JSON.stringify(status));

/** A token's need for attention, lower first: out or expired, refused by the gateway, least left, disabled by its owner. */
function tokenRank(token: TokenReading, now: number): number {
  const expired = token.expiresAt !== null && token.expiresAt * 1000 <= now;
  const out = !token.unlimited && token.remaining !== null && token.remaining <= 0;
  // new-api-accounts.md §A.4: 1 enabled, 2 disabled, 3 expired, 4 exhausted.
  if (token.status === 1) {
    if (expired || out) return 0;
    if (token.unlimited || token.remaining === null || !token.granted) return 3;
    return 2 + Math.min(token.remaining / token.granted, 1) * 0.99;
  }
  return token.status === 2 ? 4 : 1;
}

/** How much each list's items are worth keeping: lower first; equal ranks keep the site's order. */
function ranker(reading: Reading, list: CuttableList): ((item: never) => number) | null {
  switch (list) {
    case 'otherBalances':
      return (b: { amount: number }) => -b.amount;
    case 'usageByModel':
      return (u: { tokens: number }) => -u.tokens;
    case 'tokens':
      return (t: TokenReading) => tokenRank(t, reading.fetchedAt);
    case 'windows':
      // The fullest windows decide the key's state: they are kept.
      return (w: QuotaWindow) => -(w.percentUsed ?? (w.remaining !== null && w.remaining <= 0 ? 100 : 0));
    default:
      return null;
  }
}

/** The `n` most useful items of a list, in the order the site gave them. */
function keepBest<T>(items: readonly T[], n: number, rank: ((item: T) => number) | null): T[] {
  if (items.length <= n) return [...items];
  if (!rank) return items.slice(0, n);
  const order = items.map((item, i) => ({ i, r: rank(item) })).sort((a, b) => a.r - b.r || a.i - b.i);
  const kept = new Set(order.slice(0, n).map((o) => o.i));
  return items.filter((_, i) => kept.has(i));
}

const listOf = (reading: Reading, list: CuttableList): readonly unknown[] | undefined => reading[list];

/** The reading with `list` cut to `n` items (none: the list goes), noted in `cut`. */
function cutList(reading: Reading, list: CuttableList, n: number): Reading {
  const items = listOf(reading, list);
  if (!items || items.length <= n) return reading;
  const { [list]: _gone, ...rest } = reading;
  const kept = keepBest(items, n, ranker(reading, list) as ((item: unknown) => number) | null);
  const cut = [...new Set([...(reading.cut ?? []), list])].sort() as CuttableList[];
  return { ...rest, ...(kept.length ? { [list]: kept } : {}), cut } as Reading;
}

/** Every list within its count (`LIST_CAPS`), what was left out noted in `cut`. */
export function capLists(reading: Reading): Reading {
  let next = reading;
  for (const list of CUTTABLE_LISTS) next = cutList(next, list, LIST_CAPS[list]);
  return next;
}

/** The reading's figures without any list: what a row shows at a glance (its few windows are figures too, and its state). */
function headline(reading: Reading): Reading {
  let next = reading;
  for (const list of CUTTABLE_LISTS) if (list !== 'windows') next = cutList(next, list, 0);
  return next;
}

/** A watched account's memory of tokens and plans that are no longer in its reading goes with them. */
function withoutGoneChildren(status: KeyStatus): KeyStatus {
  if (!status.children) return status;
  const tokens = new Set((status.reading?.tokens ?? []).map((t) => `token:${t.id}`));
  const plans = new Set((status.reading?.plans ?? []).map((p) => `plan:${p.id}`));
  // Virtual ids are `<account>:token:<id>` and `<account>:plan:<id>` (lib/token-views.ts).
  const kept = Object.entries(status.children).filter(([id]) => {
    const match = /:(token|plan):([^:]+)$/.exec(id);
    return !match || (match[1] === 'token' ? tokens : plans).has(`${match[1]}:${match[2]}`);
  });
  if (kept.length === Object.keys(status.children).length) return status;
  const { children: _all, ...rest } = status;
  return kept.length ? { ...rest, children: Object.fromEntries(kept) } : rest;
}

/** The list whose items take the most bytes. */
function heaviestList(reading: Reading): CuttableList | null {
  let heaviest: CuttableList | null = null;
  let most = 0;
  for (const list of CUTTABLE_LISTS) {
    const items = listOf(reading, list);
    const size = items?.length ? JSON.stringify(items).length : 0;
    if (size > most) {
      most = size;
      heaviest = list;
    }
  }
  return heaviest;
}

/**
 * A status within `budget` bytes as stored: its lists within their counts; if still
 * over, the watched tokens' sparklines go (the popup draws them from history), then
 * their model lists, then the heaviest list is cut to as many of its most useful items
 * as fit (dropped when none do, and the next heaviest is cut); a reading that still
 * does not fit keeps only its figures. What was left out is named in `reading.cut`,
 * for the row's details.
 */
export function fitStatus(status: KeyStatus, budget = STATUS_BUDGET_BYTES): KeyStatus {
  if (!status.reading) return status;
  const capped = capLists(status.reading);
  let next = withoutGoneChildren(capped === status.reading ? status : { ...status, reading: capped });
  if (statusBytes(next) <= budget) return next;
  if (next.children) {
    const children = Object.fromEntries(
      Object.entries(next.children).map(([id, memory]) => [
        id,
        memory.trend ? { ...memory, trend: { ...memory.trend, sparkline: [] } } : memory,
      ]),
    );
    next = { ...next, children };
  }
  // Each watched token's model list is a nicety; the token itself is worth more.
  const tokens = next.reading?.tokens;
  if (statusBytes(next) > budget && tokens?.some((t) => t.modelLimits)) {
    const bare = tokens.map(({ modelLimits: _models, ...token }) => token);
    const cut = [...new Set([...(next.reading?.cut ?? []), 'modelLimits' as const])].sort();
    next = { ...next, reading: { ...(next.reading as Reading), tokens: bare, cut } };
  }
  while (statusBytes(next) > budget) {
    const base = next;
    const reading = base.reading as Reading;
    const list = heaviestList(reading);
    if (!list) break;
    const cutTo = (n: number) => withoutGoneChildren({ ...base, reading: cutList(reading, list, n) });
    // None of it fits with the rest as it is: it goes, and the next heaviest is cut.
    if (statusBytes(cutTo(0)) > budget) {
      next = cutTo(0);
      continue;
    }
    // The most of its items that fit, by bisection (a few measures even for 300 tokens).
    let fits = 0;
    let over = listOf(reading, list)?.length ?? 0;
    while (over - fits > 1) {
      const mid = Math.floor((fits + over) / 2);
      if (statusBytes(cutTo(mid)) <= budget) fits = mid;
      else over = mid;
    }
    next = cutTo(fits);
  }
  if (statusBytes(next) <= budget) return next;
  const { children: _children, trend, ...rest } = next;
  return { ...rest, reading: headline(next.reading as Reading), ...(trend ? { trend: { ...trend, sparkline: [] } } : {}) };
}

/** A reading within the budget on its own (before a watched account's memory is added). */
export function fitReading(reading: Reading, budget = STATUS_BUDGET_BYTES): Reading {
  return fitStatus({ reading, error: null, attemptedAt: null, failures: 0 }, budget).reading as Reading;
}

/** An outcome whose reading fits the budget: applied where outcomes are recorded, after they are sanitised. */
export function fitOutcome(outcome: ReadOutcome, budget = STATUS_BUDGET_BYTES): ReadOutcome {
  if (!outcome.reading) return outcome;
  return { ...outcome, reading: fitReading(outcome.reading, budget) } as ReadOutcome;
}

/**
 * What is stored for a key whose status the browser refused (storage full): its figures
 * without lists, and an error that says the reading could not be stored. Small enough
 * to fit where the whole status did not; alert memory stays, so nothing is announced twice.
 */
export function storageRefusedStatus(status: KeyStatus, message: string): KeyStatus {
  const at = status.attemptedAt ?? status.reading?.fetchedAt ?? 0;
  return {
    reading: status.reading ? headline(status.reading) : null,
    // `server` for data-error (automation.md §4 has no storage kind); `code` names the cause.
    error: { kind: 'server', code: 'storage', message: message.slice(0, 200), at },
    attemptedAt: status.attemptedAt,
    failures: status.failures,
    ...(status.detectedKind ? { detectedKind: status.detectedKind } : {}),
    ...(status.alert ? { alert: status.alert } : {}),
  };
}
