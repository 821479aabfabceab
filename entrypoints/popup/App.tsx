import { browser } from '@wxt-dev/browser';
import type { VNode } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { ChannelTrouble } from '@/components/ChannelTrouble';
import { EmptyState } from '@/components/EmptyState';
import { failedRow, KeyRow, type LiteRowProps, liteRow, toggleId } from '@/components/KeyRow';
import { PopupSummary } from '@/components/PopupSummary';
import { RefreshProgress } from '@/components/RefreshProgress';
import { RowBoundary } from '@/components/RowBoundary';
import { applyRoving, moveRovingFocus, rowToggleOf } from '@/components/roving-rows';
import { StorageProblem } from '@/components/StorageProblem';
import { useSearchShortcut } from '@/components/search-shortcut';
import type { ChannelStatuses } from '@/lib/alert-channels/deliver';
import { type Appearance, appearanceOf, SORTS, type Sort } from '@/lib/appearance';
import { errorText } from '@/lib/error-text';
import { formatRelative } from '@/lib/format';
import { concernLabel, pascal } from '@/lib/labels';
import { sendMessage } from '@/lib/messages';
import type { KeyConfig, KeyState, KeyStatus } from '@/lib/model';
import { anyDue } from '@/lib/next-read';
import {
  pageAppearance,
  pageChannelStatus,
  pageKeys,
  pageSettings,
  pageStatuses,
  pageStorageProblem,
  pageStoredProblems,
  storedStatus,
} from '@/lib/page-store';
import { attentionCounts, compactStatuses, type Filter, matches, sortViews, totalsByUnit, withoutSecrets } from '@/lib/popup-view';
import { displaySite, patternsWithoutAccess, permissionPattern } from '@/lib/site';
import { type KeyView, rankKeys, type Settings } from '@/lib/state';
import type { StoredProblems } from '@/lib/storage/items';
import { decodeStatus } from '@/lib/storage/layout';
import { isUsableKey, isUsableStatus } from '@/lib/storage/shape';
import { useStored } from '@/lib/storage/use-stored';
import { withTokenViews } from '@/lib/token-views';

/** Rows drawn in full beyond the ones scrolled past; the rest are drawn lite until scrolled near. */
export const FULL_ROWS_AHEAD = 24;
/** Rows drawn in full in the first frame: what a 600 px popup shows. The next screenful follows once the popup settles. */
export const FIRST_FULL_ROWS = 12;
const ROW_HEIGHT = 46;
/** How long after opening the popup draws the rows below the first screenful in full, if not scrolled first. */
const SETTLE_MS = 600;
const MUTED_SUMMARY = 'muted-summary';
/** How long a notice stays under the header. */
const NOTICE_MS = 8000;

/** Whether an element can take focus where it is: not hidden, not inside a closed group (its summary excepted). */
const isShown = (el: HTMLElement) => !el.closest('[hidden]') && (el.tagName === 'SUMMARY' || !el.closest('details:not([open])'));

/**
 * Where focus should go after muting, unmuting, pinning or unpinning a key from its row, best first: the same
 * button where the row lands; for a row muted out of the list, the row after it, the row before it, or the group
 * of muted keys.
 */
function focusAfterFlag(key: KeyConfig, field: 'muted' | 'pinned'): string[] {
  const own = [`${field === 'muted' ? 'mute' : 'pin'}-${key.id}`, toggleId(key.id)];
  if (field !== 'muted' || key.muted) return own;
  const row = document.getElementById(toggleId(key.id))?.closest('[data-key-row]');
  const near = (step: 'nextElementSibling' | 'previousElementSibling') => {
    for (let at = row?.[step]; at; at = at[step]) {
      const toggle = at.querySelector<HTMLElement>('.row-toggle');
      if (toggle && isShown(toggle)) return [toggle.id];
    }
    return [];
  };
  return [...near('nextElementSibling'), ...near('previousElementSibling'), MUTED_SUMMARY];
}

/** Above this many keys the popup offers search and filters. */
export const SEARCH_FROM = 9;

export interface PopupData {
  keys: KeyConfig[];
  statuses: Record<string, KeyStatus>;
  settings: Settings;
  appearance?: Appearance;
  /** Read with the rest before the first frame, so their banners do not draw every row again once read. */
  storageProblem?: { at: number; message: string } | null;
  storedProblems?: StoredProblems | null;
  channelStatus?: ChannelStatuses;
}

const FILTER_STATES: (KeyState | 'expiring')[] = ['expired', 'exhausted', 'invalid', 'capped', 'low', 'expiring', 'error', 'pending', 'ok'];

/**
 * Whether two statuses show the same on screen: the same attempt and the same trend keep
 * the same object, so its row is not re-rendered. Fields are compared one by one: a
 * signature string per key would keep ten string pieces per key alive (issue #9, heap).
 */
const sameAttempt = (a: KeyStatus, b: KeyStatus) =>
  a.attemptedAt === b.attemptedAt &&
  a.reading?.fetchedAt === b.reading?.fetchedAt &&
  a.error?.at === b.error?.at &&
  a.error?.kind === b.error?.kind &&
  a.trend?.runsOutAt === b.trend?.runsOutAt &&
  a.trend?.burnPerDay === b.trend?.burnPerDay;

/** The toolbar popup: a summary, then every key, worst first, rendered straight from storage. */
export function App({ locale, initial }: { locale: string; initial?: PopupData }) {
  const keys = useStored(pageKeys, initial?.keys, withoutSecrets);
  // The list as last drawn, for callbacks made once (`readNow`).
  const keysRef = useRef(keys);
  keysRef.current = keys;
  const rawStatuses = useStored(pageStatuses, initial?.statuses, compactStatuses);
  const settings = useStored(pageSettings, initial?.settings);
  const appearance = appearanceOf(useStored(pageAppearance, initial?.appearance));
  const storageProblem = useStored(pageStorageProblem, initial?.storageProblem);
  const storedProblems = useStored(pageStoredProblems, initial?.storedProblems);
  const channelStatus = useStored(pageChannelStatus, initial?.channelStatus);
  const [now, setNow] = useState(Date.now());
  const [refreshing, setRefreshing] = useState(false);
  // How far below the header the Refresh progress reaches: down to the summary's end, which it covers whole
  // (a summary of two lines under a progress line of one left half a line showing).
  const [cover, setCover] = useState(0);
  const headerRef = useRef<HTMLElement>(null);
  const [readingNow, setReadingNow] = useState<ReadonlySet<string>>(new Set());
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [missing, setMissing] = useState<ReadonlySet<string>>(new Set());
  const [announcement, setAnnouncement] = useState('');
  // A short word on what a button did when the rows cannot show it (a read held back), under the header a while.
  const [notice, setNotice] = useState('');
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(''), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  const refreshButton = useRef<HTMLButtonElement>(null);
  // How many shown rows are drawn in full: those on screen first, then the next screenful,
  // growing as the list scrolls (a focused far row scrolls into view, so it grows too).
  // A short list is drawn in full at once; a long one starts with what the first screen shows.
  const [fullRows, setFullRows] = useState(() =>
    (initial?.keys.length ?? 0) <= FIRST_FULL_ROWS + FULL_ROWS_AHEAD ? Number.POSITIVE_INFINITY : FIRST_FULL_ROWS,
  );
  // Lite rows opened by the person: drawn in full, opened, wherever they are.
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set());
  // Each lite row as last drawn, with what it was drawn from (see `row`).
  const liteRows = useRef(new Map<string, { facts: LiteRowProps; row: VNode }>());
  // A lite row's button that had focus when the row was redrawn in full: focus goes back to it.
  const refocus = useRef<string | null>(null);
  const rememberFocus = () => {
    const id = document.activeElement?.id;
    if (id?.startsWith('toggle-')) refocus.current = id;
  };
  // Where focus goes once a mute or pin has moved its row, for a few seconds: a render that finds focus lost puts it
  // on the first of these that is shown (Chromium and Firefox blur a moved element).
  const keepFocus = useRef<{ ids: string[]; until: number } | null>(null);
  useLayoutEffect(() => {
    const kept = keepFocus.current;
    if (!kept) return;
    if (Date.now() > kept.until) keepFocus.current = null;
    else if (!document.activeElement || document.activeElement === document.body) {
      const target = kept.ids.map((id) => document.getElementById(id)).find((el) => !!el && isShown(el));
      if (target) {
        keepFocus.current = null;
        target.focus();
      }
    }
  });
  useLayoutEffect(() => {
    const id = refocus.current;
    refocus.current = null;
    if (id && (!document.activeElement || document.activeElement === document.body)) document.getElementById(id)?.focus();
  });
  const openLite = useCallback((event: { currentTarget: HTMLButtonElement }) => {
    const id = event.currentTarget.dataset.open;
    if (!id) return;
    rememberFocus();
    setOpened((ids) => new Set(ids).add(id));
  }, []);
  useEffect(() => {
    const grow = () => {
      rememberFocus();
      setFullRows((n) => Math.max(n, Math.ceil((window.scrollY + window.innerHeight) / ROW_HEIGHT) + FULL_ROWS_AHEAD));
    };
    // Once the popup has settled, the next screenful is drawn in full while nothing else
    // is asked of it, so a first scroll finds it ready; scrolling draws it at once anyway.
    const idle = (run: () => void) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(run, { timeout: 2000 }) : run());
    const timer = setTimeout(() => idle(grow), SETTLE_MS);
    window.addEventListener('scroll', grow, { passive: true });
    return () => {
      clearTimeout(timer);
      window.removeEventListener('scroll', grow);
    };
  }, []);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  // Keys whose reading is older than their interval are read now, once the popup knows them. When none
  // is, the background is not woken: at 500 keys its look at every status slows the pages (issue #19, item 6).
  const askedDue = useRef(false);
  useEffect(() => {
    if (askedDue.current || !keys || !rawStatuses || !settings) return;
    askedDue.current = true;
    // Only what can be used: a malformed stored status is a key not yet read (lib/storage/shape.ts).
    const usable = Object.fromEntries(Object.entries(rawStatuses).filter(([, status]) => isUsableStatus(status)));
    if (anyDue(keys.filter(isUsableKey), usable, settings.intervalMinutes, Date.now()))
      void sendMessage('pollDue', undefined).catch(() => undefined);
  }, [keys, rawStatuses, settings]);

  // Keep each status object while its attempt is the same: storage hands back new objects on every write.
  const stable = useRef<Record<string, KeyStatus>>({});
  const statuses = useMemo(() => {
    if (!rawStatuses) return rawStatuses;
    const out: Record<string, KeyStatus> = {};
    for (const [id, status] of Object.entries(rawStatuses)) {
      const kept = stable.current[id];
      out[id] = kept && sameAttempt(kept, status) ? kept : status;
    }
    stable.current = out;
    return out;
  }, [rawStatuses]);

  // Sites whose keys cannot be read until the user grants access: one look at what is
  // granted. The shown set is kept when nothing changed, so the rows are not drawn again.
  useEffect(() => {
    if (!keys) return;
    // Only keys that can be used (a malformed stored key is reported elsewhere, never crashes the popup).
    const sites = new Set(keys.filter(isUsableKey).map((k) => k.baseUrl));
    void browser.permissions
      .getAll()
      .then(({ origins = [] }) => {
        const lacking = patternsWithoutAccess(origins, sites);
        setMissing((shown) => (shown.size === lacking.size && [...lacking].every((o) => shown.has(o)) ? shown : lacking));
      })
      .catch(() => undefined);
  }, [keys]);

  const ranked = useMemo(
    () => (keys && statuses && settings ? rankKeys(keys, statuses, settings, now) : null),
    [keys, statuses, settings, now],
  );
  // A watched account's keys follow it, whatever the order (automation.md §3.3).
  const views = useMemo(
    () => (ranked && settings ? withTokenViews(sortViews(ranked, appearance.sort), settings, now) : null),
    [ranked, appearance.sort, settings, now],
  );
  // A key needs access when its site is not granted and that is why it has no fresh reading.
  const needsAccess = useCallback(
    (view: KeyView) => (view.state === 'error' || view.state === 'pending') && missing.has(permissionPattern(view.key.baseUrl)),
    [missing],
  );
  const counts = useMemo(() => (views ? attentionCounts(views, needsAccess) : null), [views, needsAccess]);
  // Watched accounts' keys spend the account's money: totals count the account only.
  const totals = useMemo(() => (ranked ? totalsByUnit(ranked) : []), [ranked]);
  const noAccessKeys = useMemo(() => (ranked ?? []).filter(needsAccess), [ranked, needsAccess]);
  // The summary and totals follow the search and filter (issue #19, item 3); the root's count stays every row's (automation.md §4).
  const searching = (keys?.length ?? 0) >= SEARCH_FROM && (query.trim() !== '' || filter !== 'all');
  const shownCounts = useMemo(
    () =>
      searching && views
        ? attentionCounts(
            views.filter((v) => matches(v, query, filter, needsAccess(v))),
            needsAccess,
          )
        : counts,
    [searching, views, query, filter, needsAccess, counts],
  );
  const shownTotals = useMemo(
    () => (searching && ranked ? totalsByUnit(ranked.filter((v) => matches(v, query, filter, needsAccess(v)))) : totals),
    [searching, ranked, query, filter, needsAccess, totals],
  );

  const refresh = async () => {
    const below = headerRef.current?.getBoundingClientRect().bottom ?? 0;
    const summary = headerRef.current?.parentElement?.querySelector('.summary')?.getBoundingClientRect().bottom ?? below;
    setCover(Math.max(0, Math.ceil(summary - below)));
    setRefreshing(true);
    try {
      await sendMessage('refresh', { ids: 'all' });
    } finally {
      setRefreshing(false);
      setNow(Date.now());
      // The button was disabled while reading, which drops focus: give it back.
      requestAnimationFrame(() => refreshButton.current?.focus());
    }
  };

  const readNow = useCallback(async (id: string) => {
    setReadingNow((ids) => new Set(ids).add(id));
    const asked = Date.now();
    try {
      // A watched account's key is read with its account (lib/token-views.ts virtual ids).
      const keyId = id.replace(/:(token|plan):\d+$/, '');
      await sendMessage('refresh', { ids: [keyId] });
      // Held back by Quota Glance's budget for the site, the read asked nothing and the row stays as it was:
      // say so, and when the key is read, instead of a button that seems to do nothing.
      const held = (decodeStatus(await storedStatus(keyId)) as KeyStatus | undefined)?.heldBack;
      const label = keysRef.current?.find((k) => k.id === keyId)?.label ?? keyId;
      if (held && held.at >= asked) setNotice(i18n.t('readNowHeldBack', [label, formatRelative(held.until, Date.now(), locale)]));
    } finally {
      setReadingNow((ids) => {
        const next = new Set(ids);
        next.delete(id);
        return next;
      });
      setNow(Date.now());
      // The button was disabled while reading, which drops focus: give it back.
      requestAnimationFrame(() => document.getElementById(`read-${id}`)?.focus());
    }
  }, []);

  // One key's stored status, read when its details open.
  const loadSparkline = useCallback(async (id: string) => {
    return (decodeStatus(await storedStatus(id)) as KeyStatus | undefined)?.trend?.sparkline ?? [];
  }, []);

  // Mute and pin go through the background, the key list's one writer (lib/storage/keys.ts); absent is false.
  // The row then moves (to the top, into the muted group or out of it), which takes focus from the button: it
  // goes to the same button, or for a row muted away to the row that took its place (`keepFocus`).
  const toggle = (field: 'muted' | 'pinned') => (key: KeyConfig) => {
    keepFocus.current = { ids: focusAfterFlag(key, field), until: Date.now() + 3000 };
    // An unmuted row leaves the muted group for the list, which draws it anew: it lands open, as it was, so its
    // button is there to take focus.
    if (field === 'muted' && key.muted) setOpened((ids) => new Set(ids).add(key.id));
    void sendMessage('changeKeys', { type: 'patch', id: key.id, fields: { [field]: key[field] ? null : true } })
      .then((result) => setAnnouncement(result.ok ? '' : i18n.t('storageFailed', [result.message])))
      .catch((error: unknown) => setAnnouncement(i18n.t('storageFailed', [errorText(error)])));
  };
  const onMute = useCallback(toggle('muted'), []);
  const onPin = useCallback(toggle('pinned'), []);

  const copySite = useCallback(async (key: KeyConfig) => {
    try {
      await navigator.clipboard.writeText(key.baseUrl);
      setAnnouncement(i18n.t('copiedSite', [key.baseUrl]));
    } catch (error) {
      setAnnouncement(i18n.t('copyFailed', [errorText(error)]));
    }
  }, []);

  const grantAccess = () => {
    const origins = [...new Set(noAccessKeys.map((v) => permissionPattern(v.key.baseUrl)))];
    // Asked synchronously, inside the click: browsers only show the prompt for a user gesture.
    const request = browser.permissions.request({ origins });
    void request
      .catch(() => false)
      .then(async (granted) => {
        if (!granted) return;
        setMissing((shown) => new Set([...shown].filter((o) => !origins.includes(o))));
        await sendMessage('refresh', { ids: noAccessKeys.map((v) => v.key.id) });
        setNow(Date.now());
      });
  };

  // One row in the Tab order, arrows between rows (components/roving-rows.ts); kept after every drawing.
  const mainRef = useRef<HTMLElement>(null);
  const rovingAt = useRef<string | null>(null);
  useEffect(() => {
    if (mainRef.current) applyRoving(mainRef.current, rovingAt.current);
  });

  // `/` focuses search; each full row's details link to its editor on the options page (options.html#edit=<id>).
  useSearchShortcut('[type=search]');
  const editLinks = useRef(new Map<string, { label: string; link: VNode }>());
  const editLink = (key: KeyConfig) => {
    const cached = editLinks.current.get(key.id);
    if (cached?.label === key.label) return cached.link;
    const link = (
      <a href={browser.runtime.getURL(`/options.html#edit=${encodeURIComponent(key.id)}`)} target="_blank" rel="noopener">
        {i18n.t('editKeyLink', [key.label])}
      </a>
    );
    editLinks.current.set(key.id, { label: key.label, link });
    return link;
  };

  // Stored data of a newer layout: no key is read until the extension is updated (StorageProblem says so), so
  // nothing offers a read and no headline vouches for keys nobody watches.
  const frozen = !!storedProblems?.newer;
  const saveView = (patch: Partial<Appearance>) => void pageAppearance.setValue({ ...appearance, ...patch });
  const reading = (id: string) => refreshing || readingNow.has(id);
  const searchable = (keys?.length ?? 0) >= SEARCH_FROM;
  const shown = views?.filter((v) => !searchable || matches(v, query, filter, needsAccess(v))).length ?? 0;

  let shownIndex = 0;
  const row = (view: KeyView) => {
    const hidden = searchable && !matches(view, query, filter, needsAccess(view));
    // Rows filtered out, and rows far below what is shown, are drawn lite (plain elements).
    const far = hidden || shownIndex++ >= fullRows;
    // What a row is drawn from, lite or in full (and what its boundary shows should it fail).
    const facts = {
      keyConfig: view.key,
      parentLabel: view.parent?.label,
      status: view.status,
      state: view.state,
      expiringSoon: view.expiringSoon,
      hidden,
      resumesAt: view.resumesAt,
    };
    if (far && !opened.has(view.key.id)) {
      // The same inputs give the same element, which Preact then skips: a status arriving
      // for one key leaves the 480 other lite rows alone.
      const lite = { ...facts, reading: reading(view.key.id), locale, needsAccess: needsAccess(view), onOpen: openLite };
      const cached = liteRows.current.get(view.key.id);
      if (cached && (Object.keys(lite) as (keyof typeof lite)[]).every((k) => cached.facts[k] === lite[k])) return cached.row;
      let drawn: VNode;
      try {
        drawn = liteRow(lite);
      } catch {
        // A lite row is no component, so no boundary catches it: it fails alone here.
        drawn = failedRow(lite);
      }
      liteRows.current.set(view.key.id, { facts: lite, row: drawn });
      return drawn;
    }
    // One row that throws while drawing shows as that key's failure; the others are drawn.
    return (
      <RowBoundary key={view.key.id} row={facts}>
        <KeyRow
          {...facts}
          now={now}
          locale={locale}
          reading={reading(view.key.id)}
          lite={far}
          initiallyOpen={opened.has(view.key.id)}
          needsAccess={needsAccess(view)}
          onReadNow={frozen ? undefined : readNow}
          onCopySite={copySite}
          loadSparkline={loadSparkline}
          // A watched account's token is muted and pinned with its account.
          onMute={view.parent ? undefined : onMute}
          onPin={view.parent ? undefined : onPin}
          details={view.parent ? undefined : editLink(view.key)}
        />
      </RowBoundary>
    );
  };

  // Every row is in the DOM from the first frame (automation.md §4); far ones are drawn lite.
  // Muted keys (a watched account's tokens with it) are shown apart, in a closed group at the end.
  const visible = (views ?? []).filter((v) => !v.key.muted);
  const muted = (views ?? []).filter((v) => v.key.muted);
  const mutedListed = searching && muted.some((v) => matches(v, query, filter, needsAccess(v)));
  const groups = new Map<string, KeyView[]>();
  if (appearance.groupBySite)
    for (const view of visible) {
      const site = displaySite(view.key.baseUrl);
      groups.set(site, [...(groups.get(site) ?? []), view]);
    }

  return (
    // Escape inside an opened row closes it, as its toggle does, and focus goes back to the toggle.
    <main
      ref={mainRef}
      onKeyDown={(e) => {
        if (moveRovingFocus(e.currentTarget, e)) return e.preventDefault();
        const toggle =
          e.key === 'Escape' && (e.target as Element).closest?.('li')?.querySelector<HTMLElement>('.row-toggle[aria-expanded="true"]');
        if (!toggle) return;
        e.preventDefault();
        toggle.click();
        toggle.focus();
      }}
      onFocusIn={(e) => {
        const id = rowToggleOf(e.target);
        if (id && id !== rovingAt.current) {
          rovingAt.current = id;
          applyRoving(e.currentTarget, id);
        }
      }}
      class="popup"
      data-refreshing={refreshing ? '' : undefined}
      aria-busy={refreshing}
      data-attention-count={counts ? counts.attention : undefined}
    >
      <header ref={headerRef}>
        <h1>{i18n.t('extName')}</h1>
        <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
          {i18n.t('openOptions')}
        </button>
        <button
          type="button"
          class="primary"
          ref={refreshButton}
          onClick={() => void refresh()}
          disabled={refreshing || !keys?.length || frozen}
        >
          {i18n.t('refresh')}
        </button>
        {/* Under the header, over the summary: the list does not move while a Refresh runs (issue #19, item 3). */}
        {refreshing ? (
          <div class="refresh-row" style={cover ? { minHeight: `${cover}px` } : undefined}>
            <RefreshProgress total={keys?.length ?? 0} />
            {/* A slow site need not hold the popup: Stop ends the reads still under way (issue #9, item 6). */}
            <button type="button" onClick={() => void sendMessage('stop', undefined).catch(() => undefined)}>
              {i18n.t('stopReading')}
            </button>
          </div>
        ) : notice ? (
          <div class="refresh-row notice" role="status">
            <span>{notice}</span>
            <button type="button" onClick={() => setNotice('')}>
              {i18n.t('dismiss')}
            </button>
          </div>
        ) : null}
      </header>
      <StorageProblem problem={storageProblem} unreadable={storedProblems} />
      <ChannelTrouble statuses={channelStatus} />
      {shownCounts && views?.length && !frozen && (shownCounts.total || !searching) ? (
        <PopupSummary counts={shownCounts} totals={shownTotals} locale={locale}>
          {noAccessKeys.length ? (
            <button
              type="button"
              class="primary"
              onClick={grantAccess}
              title={i18n.t('needsAccessBanner', noAccessKeys.length, [String(noAccessKeys.length)])}
            >
              {i18n.t('grantAccess')}
            </button>
          ) : null}
        </PopupSummary>
      ) : null}
      {searchable ? (
        <div class="toolbar">
          <input
            type="search"
            aria-label={i18n.t('searchKeys')}
            placeholder={i18n.t('searchShort')}
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
          <select aria-label={i18n.t('filterLabel')} value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            <option value="all">{i18n.t('filterAll')}</option>
            <option value="attention">{i18n.t('filterAttention')}</option>
            {FILTER_STATES.map((s) => (
              <option key={s} value={s}>
                {concernLabel(s)}
              </option>
            ))}
            <option value="no-access">{i18n.t('needsAccess')}</option>
          </select>
          <select
            aria-label={i18n.t('sortLabel')}
            value={appearance.sort}
            onChange={(e) => saveView({ sort: e.currentTarget.value as Sort })}
          >
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {i18n.t(`sort${pascal(s)}` as 'sortName')}
              </option>
            ))}
          </select>
          {/* Labelled in words, not by its icon alone (issue #19, item 3); the full words are its name. */}
          <button
            type="button"
            class="group-toggle"
            aria-pressed={appearance.groupBySite}
            aria-label={i18n.t('groupBySite')}
            title={i18n.t('groupBySite')}
            onClick={() => saveView({ groupBySite: !appearance.groupBySite })}
          >
            {i18n.t('groupShort')}
          </button>
        </div>
      ) : null}
      {searchable && views && shown < views.length ? (
        <p class="shown" role="status">
          {shown ? i18n.t('shownCount', [String(shown), String(views.length)]) : i18n.t('noMatch')}
        </p>
      ) : null}
      <p class="visually-hidden" role="status">
        {announcement}
      </p>
      {views === null ? null : views.length === 0 ? (
        <EmptyState onAdd={() => void browser.runtime.openOptionsPage()} />
      ) : appearance.groupBySite ? (
        <div class="groups">
          {[...groups].map(([site, members]) => {
            // Each group says how many of its keys are shown (the search and filter's), "r9s.ai (3)".
            const count = searchable ? members.filter((v) => matches(v, query, filter, needsAccess(v))).length : members.length;
            return (
              <section key={site} class="group" hidden={!count}>
                <h2>{i18n.t('groupHeading', [site, String(count)])}</h2>
                <ul class="rows">{members.map(row)}</ul>
              </section>
            );
          })}
        </div>
      ) : (
        <ul class="rows">{visible.map(row)}</ul>
      )}
      {muted.length ? (
        // Open while a search or filter lists a muted key: every key the "N of M shown" line counts is in sight.
        <details
          class="muted-group"
          open={mutedListed || undefined}
          // Opened or closed, its rows join or leave the Tab order (components/roving-rows.ts).
          onToggle={(e) => applyRoving(mainRef.current ?? (e.currentTarget.closest('main') as HTMLElement), rovingAt.current)}
        >
          <summary id={MUTED_SUMMARY}>{i18n.t('mutedGroup', [String(muted.length)])}</summary>
          <ul class="rows">{muted.map(row)}</ul>
        </details>
      ) : null}
    </main>
  );
}
