import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { useSearchShortcut } from '@/components/search-shortcut';
import { SORTS, type Sort } from '@/lib/appearance';
import { concernLabel, pascal } from '@/lib/labels';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import { ALL_KEYS, type BrowseChoice, browseKeys, FILTER_STATES, type Listed } from '@/lib/options-view';
import type { Filter } from '@/lib/popup-view';
import { permissionPattern } from '@/lib/site';
import type { Settings } from '@/lib/state';

/**
 * The options page's list as searched, filtered, sorted and grouped, and the bar that chooses how.
 * The page opens on every key (no filter), so each key's element is there from the start.
 */
export function useBrowse(
  listed: readonly Listed[],
  statuses: Readonly<Record<string, KeyStatus>>,
  settings: Settings,
  now: number,
  missing: readonly string[],
) {
  const [choice, setChoice] = useState<BrowseChoice>(ALL_KEYS);
  const { entries, shown, counts } = useMemo(() => {
    const lacking = new Set(missing);
    return browseKeys(
      listed,
      statuses,
      settings,
      now,
      (key) => lacking.size > 0 && lacking.has(permissionPattern(key.baseUrl)),
      choice,
      (n) => i18n.t('mutedGroup', [String(n)]),
    );
  }, [listed, statuses, settings, now, missing, choice]);
  const bar = <KeyBrowseBar choice={choice} onChange={setChoice} counts={counts} shown={shown} total={listed.length} />;
  return { entries, bar, choice, setChoice };
}

interface Props {
  choice: BrowseChoice;
  onChange: (choice: BrowseChoice) => void;
  /** How many keys each filter shows (lib/options-view.ts `browseKeys`). */
  counts: ReadonlyMap<Filter, number>;
  shown: number;
  total: number;
}

/**
 * Search, filter, sort and group for the options page's key list, as the popup offers them
 * (issue #19, item 4). Each filter says how many keys it shows; the list says how many are shown.
 */
export function KeyBrowseBar({ choice, onChange, counts, shown, total }: Props) {
  useSearchShortcut('#key-search');
  const counted = (label: string, filter: Filter) => i18n.t('countedOption', [label, String(counts.get(filter) ?? 0)]);
  const set = (patch: Partial<BrowseChoice>) => onChange({ ...choice, ...patch });
  return (
    <>
      <div class="toolbar key-browse">
        <input
          id="key-search"
          type="search"
          aria-label={i18n.t('searchKeys')}
          placeholder={i18n.t('searchKeys')}
          aria-keyshortcuts="/"
          value={choice.query}
          onInput={(e) => set({ query: e.currentTarget.value })}
        />
        <select aria-label={i18n.t('filterLabel')} value={choice.filter} onChange={(e) => set({ filter: e.currentTarget.value as Filter })}>
          <option value="all">{counted(i18n.t('filterAll'), 'all')}</option>
          <option value="attention">{counted(i18n.t('filterAttention'), 'attention')}</option>
          {FILTER_STATES.filter((s) => counts.get(s) || choice.filter === s).map((s) => (
            <option key={s} value={s}>
              {counted(concernLabel(s), s)}
            </option>
          ))}
          {counts.get('no-access') || choice.filter === 'no-access' ? (
            <option value="no-access">{counted(i18n.t('needsAccess'), 'no-access')}</option>
          ) : null}
        </select>
        <select aria-label={i18n.t('sortLabel')} value={choice.sort} onChange={(e) => set({ sort: e.currentTarget.value as Sort })}>
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {i18n.t(`sort${pascal(s)}` as 'sortName')}
            </option>
          ))}
        </select>
        <label class="check">
          <input type="checkbox" checked={choice.group} onChange={(e) => set({ group: e.currentTarget.checked })} />
          {i18n.t('groupBySite')}
        </label>
      </div>
      <p class="hint shown" role="status">
        {shown ? i18n.t('shownCount', [String(shown), String(total)]) : i18n.t('noMatch')}
      </p>
    </>
  );
}

/** The key id an address's `#edit=<id>` names, or null. */
export function editIdOf(hash: string): string | null {
  const match = /^#edit=(.+)$/.exec(hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1] ?? '');
  } catch {
    return null;
  }
}

/**
 * Opens the editor of the key `#edit=<id>` names, once the keys are loaded and whenever the address
 * changes to another such link. The link is then taken out of the address, so a reload does not reopen it.
 */
export function useEditLink(keys: readonly KeyConfig[] | null | undefined, open: (key: KeyConfig) => void, gone: () => void) {
  const [hash, setHash] = useState(() => location.hash);
  const openRef = useRef(open);
  openRef.current = open;
  const goneRef = useRef(gone);
  goneRef.current = gone;
  useEffect(() => {
    const onHash = () => setHash(location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    const id = editIdOf(hash);
    if (!id || !keys) return;
    const key = keys.find((k) => k.id === id);
    history.replaceState(null, '', location.pathname + location.search + (key ? '' : '#keys'));
    setHash('');
    if (key) openRef.current(key);
    else goneRef.current();
  }, [hash, keys]);
}
