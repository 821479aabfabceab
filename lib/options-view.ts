import type { Sort } from './appearance';
import { type Concern, verdictOf } from './attention';
import type { KeyConfig, KeyState, KeyStatus } from './model';
import { type Filter, matches, sortViews } from './popup-view';
import { displaySite } from './site';
import { type KeyView, rankKeys, type Settings } from './state';

/** How the options page's key list is searched, filtered, sorted and grouped (issue #19, item 4). */
export interface BrowseChoice {
  query: string;
  filter: Filter;
  sort: Sort;
  group: boolean;
}

/** What the options page's list starts with: every key shown, worst first, ungrouped. No filter is active on load. */
export const ALL_KEYS: BrowseChoice = { query: '', filter: 'all', sort: 'urgency', group: false };

/** A key as the options page lists it (entrypoints/options/attention-list.tsx `listedKeys`). */
export interface Listed {
  key: KeyConfig;
  concern: Concern;
  summary: string;
}

/** A listed key placed: `hidden` when search or filter leave it out (it stays in the DOM, automation.md §7); `group` names its group. */
export interface Placed extends Listed {
  hidden: boolean;
  group?: string;
}

/** The states the filter offers, in the popup's order. */
/** The states a list can be narrowed to, worst first; "Expires soon" (a key still OK) between low and unreadable. */
export const FILTER_STATES: readonly (KeyState | 'expiring')[] = [
  'expired',
  'exhausted',
  'invalid',
  'capped',
  'low',
  'expiring',
  'error',
  'pending',
  'ok',
];

/**
 * The options page's list in the popup's order and with its search and filter (lib/popup-view.ts, not a copy):
 * pinned keys first, muted keys last (shown apart, as in the popup). `shown` is how many are not hidden;
 * `counts` how many keys each filter would show (search aside).
 */
export function browseKeys(
  listed: readonly Listed[],
  statuses: Readonly<Record<string, KeyStatus>>,
  settings: Settings,
  now: number,
  lacking: (key: KeyConfig) => boolean,
  choice: BrowseChoice,
  mutedGroup: (count: number) => string,
): { entries: Placed[]; shown: number; counts: Map<Filter, number> } {
  const byId = new Map(listed.map((l) => [l.key.id, l]));
  const views = sortViews(
    rankKeys(
      listed.map((l) => l.key),
      statuses,
      settings,
      now,
    ),
    choice.sort,
  );
  const needsAccess = (view: KeyView) => (view.state === 'error' || view.state === 'pending') && lacking(view.key);
  const ordered = [...views.filter((v) => !v.key.muted), ...views.filter((v) => v.key.muted)];
  const counts = new Map<Filter, number>();
  const add = (filter: Filter) => counts.set(filter, (counts.get(filter) ?? 0) + 1);
  const placed: Placed[] = [];
  const muted = ordered.filter((v) => v.key.muted).length;
  for (const view of ordered) {
    const entry = byId.get(view.key.id);
    if (!entry) continue;
    const access = needsAccess(view);
    add('all');
    const verdict = verdictOf(view, access);
    add(view.state === 'ok' && verdict.concern === 'expiring' ? 'expiring' : view.state);
    if (verdict.attention) add('attention');
    if (access) add('no-access');
    const hidden = !matches(view, choice.query, choice.filter, access);
    placed.push({
      ...entry,
      hidden,
      ...(choice.group ? { group: view.key.muted ? mutedGroup(muted) : displaySite(view.key.baseUrl) } : {}),
    });
  }
  // A key rankKeys leaves out (one that cannot be used) is still listed, last, so it can be edited or deleted.
  const placedIds = new Set(placed.map((p) => p.key.id));
  for (const entry of listed)
    if (!placedIds.has(entry.key.id)) {
      add('all');
      placed.push({ ...entry, hidden: choice.filter !== 'all', ...(choice.group ? { group: displaySite(entry.key.baseUrl) } : {}) });
    }
  // Grouped: each site's keys together, sites in the order their first key comes.
  const entries = choice.group ? groupInOrder(placed) : placed;
  return { entries, shown: entries.filter((e) => !e.hidden).length, counts };
}

function groupInOrder(placed: Placed[]): Placed[] {
  const groups = new Map<string, Placed[]>();
  for (const p of placed) {
    const members = groups.get(p.group ?? '');
    if (members) members.push(p);
    else groups.set(p.group ?? '', [p]);
  }
  return [...groups.values()].flat();
}
