import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { type Concern, verdictOf } from '@/lib/attention';
import { formatExpiryShort, formatTimeLeft } from '@/lib/expiry';
import { formatAmount, formatDuration, formatRelative, leftShare, numberFormat } from '@/lib/format';
import type { Point } from '@/lib/history';
import { concernLabel, errorDetail, errorWithDetail, pascal, withDetail } from '@/lib/labels';
import type { KeyConfig, KeyState, KeyStatus, Reading } from '@/lib/model';
import { pageOf } from '@/lib/providers/pages';
import { displaySite } from '@/lib/site';
import { topUpPage } from '@/lib/top-up';
import { plainDecimal } from '@/lib/units';
import type { ShownWindow } from '@/lib/windows';
import { CutNote } from './CutNote';
import { Icon } from './Icon';
import { memo } from './memo';
import { QuotaBar } from './QuotaBar';
import { Sparkline } from './Sparkline';
import { StateChip } from './StateChip';
import { standIn, WindowList, windowAmount, windowsOf } from './WindowList';

export interface KeyRowProps {
  keyConfig: KeyConfig;
  /** The watched account this row's token belongs to (automation.md §3.3, `data-parent`). */
  parentLabel?: string;
  status: KeyStatus | undefined;
  state: KeyState;
  now: number;
  locale: string;
  /** Reads just this key now; absent where the row cannot ask. */
  onReadNow?: (id: string) => void;
  /** Reads a key's sparkline points when its details open (the popup keeps none in memory). */
  loadSparkline?: (id: string) => Promise<readonly Point[]>;
  /** Copies the key's site address; absent where the row cannot. */
  onCopySite?: (key: KeyConfig) => void;
  /** This key is being read now. */
  reading?: boolean;
  /** Inside its expiry warning window (lib/state.ts `isExpiringSoon`). */
  expiringSoon?: boolean;
  /** Filtered out by search or a filter: the row stays in the DOM (automation.md §4), hidden. */
  hidden?: boolean;
  /** The extension may not contact this key's site yet. */
  needsAccess?: boolean;
  /** More to show in the row's details (plans, token children…). */
  details?: ComponentChildren;
  /**
   * Far off screen: the row keeps its contract attributes, label, site, amount and state,
   * and leaves out the actions and bar until it comes near (a 500-key popup opens fast).
   */
  lite?: boolean;
  /** Opened from its lite form: the details show from the first render. */
  initiallyOpen?: boolean;
  /** A capped key: when it works again, Unix seconds (lib/state.ts `KeyView.resumesAt`). */
  resumesAt?: number | null;
  /** Mutes or unmutes the key (automation.md §3.1); absent where the row cannot (a watched account's token). */
  onMute?: (key: KeyConfig) => void;
  /** Pins or unpins the key; absent where the row cannot. */
  onPin?: (key: KeyConfig) => void;
}

/** One class string per state, shared by every row (500 rows keep no copies of their own). */
const ROW_CLASSES = new Map<string, string>();
function rowClass(state: Concern, lite: boolean): string {
  const key = lite ? `${state} lite` : state;
  let name = ROW_CLASSES.get(key);
  if (name === undefined) {
    name = `row row-${state}${lite ? ' row-lite' : ''}`;
    ROW_CLASSES.set(key, name);
  }
  return name;
}

function expiryText(reading: Reading, now: number, locale: string): string | null {
  if (reading.expiresAt !== null) {
    const at = reading.expiresAt * 1000;
    // One rounding everywhere (lib/expiry.ts): the row, the tooltip and the notification agree.
    return at <= now
      ? i18n.t('expiredAgo', [formatRelative(at, now, locale, 'always')])
      : i18n.t('expiresIn', [formatTimeLeft(reading.expiresAt, now, locale)]);
  }
  // What no expiry means is the kind's (its manifest): never, not reported, or nothing to say.
  const meaning = pageOf(reading.kind).expiry;
  if (meaning === 'reported') return i18n.t('expiresNever');
  if (meaning === 'never-reported') return i18n.t('expiresNotReported');
  return null; // Accounts and balances do not expire; an optional expiry is shown only when there is one.
}

/** r9s.ai's tokens per model over the last 7 days, largest first (top three). */
function UsageBars({ usage, locale }: { usage: NonNullable<Reading['usageByModel']>; locale: string }) {
  const top = usage.slice(0, 3);
  const most = top[0]?.tokens || 1;
  const total = usage.reduce((sum, u) => sum + u.tokens, 0);
  const tokens = numberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  return (
    <div class="usage">
      <span>{i18n.t('usageWeek', [tokens.format(total)])}</span>
      {top.map((u) => (
        <div class="usage-row" key={u.model}>
          <span class="usage-model">{u.model}</span>
          <span class="usage-bar">
            <span style={{ width: `${Math.max(2, (u.tokens / most) * 100)}%` }} />
          </span>
          <span class="usage-tokens">{tokens.format(u.tokens)}</span>
        </div>
      ))}
    </div>
  );
}

/** What a provider says beyond the balance: its parts, other currencies, the cap's reset and recent spend (providers.md §2–6). */
function ProviderFigures({ reading, locale }: { reading: Reading; locale: string }) {
  const amount = (value: number, unit = reading.unit) => formatAmount(value, unit, locale);
  const lines: string[] = [];
  // Message keys `part…`, `reset…`, `billing…` plus the name (lib/labels.ts `pascal`).
  if (reading.parts?.length)
    lines.push(reading.parts.map((p) => `${i18n.t(`part${pascal(p.part)}` as 'partPaid')} ${amount(p.amount)}`).join(' · '));
  if (reading.otherBalances?.length) lines.push(reading.otherBalances.map((b) => amount(b.amount, b.unit)).join(' · '));
  if (reading.resetPeriod) lines.push(i18n.t(`reset${pascal(reading.resetPeriod)}` as 'resetDaily'));
  if (reading.usageWindows) {
    const w = reading.usageWindows;
    lines.push(i18n.t('usageWindows', [amount(w.day), amount(w.week), amount(w.month)]));
  }
  if (reading.billing) lines.push(i18n.t(`billing${pascal(reading.billing)}` as 'billingPrepaid'));
  return lines.length ? (
    <div class="provider-figures">
      {lines.map((line) => (
        <div key={line}>{line}</div>
      ))}
    </div>
  ) : null;
}

/** What opens under a row: the figures behind the glance. */
/** A failed read in one line: what went wrong, the site's words in brackets, and when it is tried again. */
function errorLine(error: NonNullable<KeyStatus['error']>, now: number, locale: string): string {
  let line = errorWithDetail(error);
  if (error.retryAt && error.retryAt > now) line = withDetail(line, i18n.t('retryAt', [formatRelative(error.retryAt, now, locale)]));
  return line;
}

function Details({
  keyConfig,
  status,
  state,
  now,
  locale,
  extra,
  loadSparkline,
  onMute,
  onPin,
}: Omit<KeyRowProps, 'details'> & { extra?: ComponentChildren }) {
  const reading = status?.reading ?? null;
  const given = status?.trend?.sparkline ?? [];
  const [loaded, setLoaded] = useState<readonly Point[] | null>(null);
  const points = given.length ? given : (loaded ?? []);
  useEffect(() => {
    if (!given.length && status?.trend && loadSparkline) void loadSparkline(keyConfig.id).then(setLoaded);
  }, [given.length, status?.trend, loadSparkline, keyConfig.id]);
  const error = state === 'invalid' || state === 'error' ? status?.error : null;
  const name = reading?.name && reading.name !== keyConfig.label ? reading.name : null;
  return (
    <div class="row-details">
      <div>
        {keyConfig.baseUrl}
        {name ? ` · ${name}` : null}
      </div>
      {/* What was granted beside what is left; a wallet (an account's balance) has no grant to name (issue #19, item 3). */}
      {reading && !reading.unlimited && reading.granted !== null && reading.remaining !== null && reading.scope !== 'account' ? (
        <div>
          {i18n.t('leftOfGranted', [
            formatAmount(reading.remaining, reading.unit, locale),
            formatAmount(reading.granted, reading.unit, locale),
          ])}
        </div>
      ) : null}
      {reading?.couponBalance ? <div>{i18n.t('couponBalance', [formatAmount(reading.couponBalance, reading.unit, locale)])}</div> : null}
      {reading?.scope === 'account' ? <div>{i18n.t('scopeAccount')}</div> : null}
      {reading?.scope === 'unqualified' ? <div>{i18n.t('scopeUnqualifiedHint')}</div> : null}
      {/* The spend and runway are on the row's line (`TrendLine`); the details draw their history. */}
      {reading && status?.trend && points.length > 1 ? (
        <div class="trend">
          <Sparkline points={points} label={keyConfig.label} />
        </div>
      ) : null}
      {reading?.usageByModel?.length ? <UsageBars usage={reading.usageByModel} locale={locale} /> : null}
      {reading ? <ProviderFigures reading={reading} locale={locale} /> : null}
      {reading?.plan ? <div>{i18n.t('planName', [reading.plan])}</div> : null}
      {reading?.modelLimits?.length ? <div class="models">{i18n.t('modelLimits', [reading.modelLimits.join(', ')])}</div> : null}
      {reading?.cut ? <CutNote cut={reading.cut} locale={locale} /> : null}
      {error ? <div class="error">{errorLine(error, now, locale)}</div> : null}
      {reading && expiryText(reading, now, locale) ? <div>{expiryText(reading, now, locale)}</div> : null}
      <div>{reading ? i18n.t('readAgo', [formatRelative(reading.fetchedAt, now, locale)]) : i18n.t('readNever')}</div>
      {/* Held back by Quota Glance itself: nothing was asked, so the verdict above stands; this says when the key is asked. */}
      {status?.heldBack && status.heldBack.until > now && !status.error?.heldBack ? (
        <div>{i18n.t('heldBackUntil', [formatRelative(status.heldBack.until, now, locale)])}</div>
      ) : null}
      {extra}
      {onMute && onPin ? (
        // Quiet what the person already knows, keep what matters on top (automation.md §3.1).
        <div class="row-tools">
          <button type="button" id={`mute-${keyConfig.id}`} onClick={() => onMute(keyConfig)}>
            {i18n.t(keyConfig.muted ? 'unmuteKey' : 'muteKey', [keyConfig.label])}
          </button>
          <button type="button" id={`pin-${keyConfig.id}`} onClick={() => onPin(keyConfig)}>
            {i18n.t(keyConfig.pinned ? 'unpinKey' : 'pinKey', [keyConfig.label])}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/**
 * The row's daily spend and runway, short ("$1.20/day · ~7 days"), beside its bar: known
 * only from its history (lib/history.ts). A low key that is low by its pace says when it
 * runs out in words, in the warning colour (lib/state.ts `runsOutSoon`). Null when
 * nothing is known; the full words are in its title.
 */
function TrendLine({ status, state, now, locale }: Pick<KeyRowProps, 'status' | 'state' | 'now' | 'locale'>) {
  const reading = status?.reading;
  const trend = status?.trend;
  if (!reading || !trend) return null;
  const short: string[] = [];
  const full: string[] = [];
  if (trend.burnPerDay && trend.burnPerDay > 0) {
    const amount = formatAmount(trend.burnPerDay, reading.unit, locale);
    short.push(i18n.t('perDay', [amount]));
    full.push(i18n.t('burnRate', [amount]));
  }
  const runway = trend.runsOutAt && trend.runsOutAt > now ? formatDuration(trend.runsOutAt - now, locale) : null;
  const warn = runway !== null && state === 'low';
  if (runway !== null) {
    const said = i18n.t('runsOut', [runway]);
    short.push(warn ? said : i18n.t('runwayShort', [runway]));
    full.push(said);
  }
  if (!short.length) return null;
  return (
    <span class={warn ? 'row-trend warn' : 'row-trend'} title={full.join(' · ')}>
      {short.join(' · ')}
    </span>
  );
}

/** The id of a row's button, the same whether the row is drawn lite or in full (focus follows it). */
export const toggleId = (id: string) => `toggle-${id}`;

export type RowFacts = Pick<
  KeyRowProps,
  'keyConfig' | 'parentLabel' | 'status' | 'state' | 'hidden' | 'reading' | 'resumesAt' | 'expiringSoon'
>;

/** What is left as a number; null when unlimited, unknown or not yet read (`data-remaining` is then empty). */
const remainingOf = (reading: Reading | null) => (reading && !reading.unlimited && reading.remaining !== null ? reading.remaining : null);

/** The automation contract's attributes of a row (shared/spec/automation.md §4), lite or full. */
function rowAttributes(facts: RowFacts, lite: boolean, windows: readonly ShownWindow[]) {
  const { keyConfig, parentLabel, status, state, hidden, reading: busy = false, resumesAt } = facts;
  const reading = status?.reading ?? null;
  // The one verdict (lib/attention.ts): an ok key expiring soon is amber and needs attention.
  const verdict = verdictOf({ key: keyConfig, state, expiringSoon: facts.expiringSoon });
  const error = state === 'invalid' || state === 'error' ? status?.error : null;
  // A key without a balance of its own shows its tightest window's (automation.md §4.1).
  const window = standIn(reading, windows);
  const remaining = window ? window.remaining : remainingOf(reading);
  return {
    'aria-busy': busy,
    class: rowClass(verdict.concern, lite),
    hidden,
    'data-key-row': '',
    'data-label': keyConfig.label,
    'data-parent': parentLabel,
    'data-state': state,
    'data-remaining': remaining === null ? '' : plainDecimal(remaining),
    'data-unit': window ? window.unit : (reading?.unit?.code ?? ''),
    'data-resets-at': state === 'capped' && resumesAt != null ? resumesAt : '',
    'data-unlimited': reading?.unlimited ? 'true' : 'false',
    'data-expires-at': reading?.expiresAt ?? '',
    'data-error': error?.kind ?? '',
    'data-fetched-at': reading?.fetchedAt ?? '',
    'data-attention': verdict.attention ? 'true' : 'false',
    'data-muted': keyConfig.muted ? 'true' : 'false',
    'data-pinned': keyConfig.pinned ? 'true' : 'false',
  };
}

/** What is left, in words: an amount in its unit, "Unlimited", or "Unknown"; empty before the first reading. */
function amountText(reading: Reading | null, remaining: number | null, locale: string, window: ShownWindow | null): string {
  if (!reading) return '';
  if (reading.unlimited) return i18n.t('unlimited');
  if (window?.remaining != null) return windowAmount(window.remaining, window, reading.unit, locale);
  return remaining === null ? i18n.t('unknownAmount') : formatAmount(remaining, reading.unit, locale);
}

/**
 * A row that could not be drawn (components/RowBoundary.tsx): its contract attributes, its
 * label and why, so the person sees which key is at fault. Plain elements, like a lite row.
 */
export function failedRow(facts: RowFacts) {
  const { keyConfig } = facts;
  return (
    <li key={keyConfig.id} {...rowAttributes(facts, true, [])}>
      <div class="label">{keyConfig.label}</div>
      <div class="warn">{i18n.t('rowFailed')}</div>
    </li>
  );
}

export interface LiteRowProps extends RowFacts {
  locale: string;
  needsAccess?: boolean;
  /** Opens the row: the page draws it in full, opened. Reads the key id from the button's `data-open`. */
  onOpen: (event: { currentTarget: HTMLButtonElement }) => void;
}

/**
 * A row far off screen, or filtered out: its contract attributes and one button with its
 * words in a line. Plain elements, no component: a 500-key popup draws 480 of these in
 * its first frame. Scrolling or tabbing near draws it as a `KeyRow`; its button keeps its
 * id, so the page gives focus back to it.
 */
export function liteRow(props: LiteRowProps) {
  const { keyConfig, status, state, locale, needsAccess } = props;
  const reading = status?.reading ?? null;
  const remaining = remainingOf(reading);
  const windows = windowsOf(reading);
  const stateText = concernLabel(verdictOf({ key: keyConfig, state, expiringSoon: props.expiringSoon }, needsAccess).concern);
  return (
    <li key={keyConfig.id} {...rowAttributes(props, true, windows)}>
      <button
        type="button"
        class="row-toggle"
        id={toggleId(keyConfig.id)}
        aria-expanded="false"
        data-open={keyConfig.id}
        onClick={props.onOpen}
      >
        {`${keyConfig.label} · ${displaySite(keyConfig.baseUrl)} · ${amountText(reading, remaining, locale, standIn(reading, windows))} · ${stateText}`}
      </button>
      {reading && windows.length ? <WindowList windows={windows} unit={reading.unit} now={0} locale={locale} bare /> : null}
    </li>
  );
}

/**
 * One key in the popup, two lines: label and what is left; site, expiry and state; a bar
 * of what is left. The label opens the details. Carries the automation contract's data
 * attributes (shared/spec/automation.md §4) whether shown or hidden.
 */
function KeyRowView(props: KeyRowProps) {
  const { keyConfig, status, state, now, locale, onReadNow, onCopySite, reading: busy = false, needsAccess, lite, expiringSoon } = props;
  const [open, setOpen] = useState(!!props.initiallyOpen);
  const reading = status?.reading ?? null;
  const remaining = remainingOf(reading);
  const left = reading ? leftShare(reading) : null;
  // The glance names an expiry only when there is one; "never expires" waits in the details.
  const expiry = reading?.expiresAt != null ? formatExpiryShort(reading.expiresAt, now) : null;
  const expired = !!reading?.expiresAt && reading.expiresAt * 1000 <= now;
  const detailsId = `details-${keyConfig.id}`;
  const label = keyConfig.label;

  const windows = windowsOf(reading);
  const attributes = rowAttributes(props, false, windows);
  const amount = amountText(reading, remaining, locale, standIn(reading, windows));
  const { concern } = verdictOf({ key: keyConfig, state, expiringSoon }, needsAccess);
  const bar = left !== null ? <QuotaBar left={left} state={concern === 'expiring' ? concern : state} /> : <div class="bar bar-none" />;
  const trend = lite ? null : TrendLine({ status, state, now, locale });

  return (
    <li {...attributes}>
      <button
        type="button"
        class="row-toggle"
        id={toggleId(keyConfig.id)}
        aria-expanded={open}
        aria-controls={detailsId}
        onClick={() => setOpen(!open)}
      >
        <span class="label">{label}</span>
        <span class="row-sub">
          <span class="site">{displaySite(keyConfig.baseUrl)}</span>
          {/* Why this row is on top whatever its state (issue #19, item 2). */}
          {/* The space keeps the tag a word apart in the button's spoken name. */}
          {keyConfig.pinned ? (
            <>
              {' '}
              <span class="pin-tag">{i18n.t('pinnedTag')}</span>
            </>
          ) : null}
        </span>
      </button>
      <div class="row-figure">
        <span class="amount">{amount}</span>
        <span class="row-state">
          {expiry ? (
            // The expiry beside the state, short, so the site stays readable (issue #19, item 3); in full in
            // the details and the title. Inside its warning window it is amber (issue #7, item 2); past, red.
            <span
              class={expired ? 'expiry warn' : expiringSoon ? 'expiry soon' : 'expiry'}
              data-expiring-soon={expiringSoon ? '' : undefined}
              title={expiryText(reading as Reading, now, locale) ?? undefined}
            >
              {expiry}
            </span>
          ) : null}
          <StateChip concern={concern} />
        </span>
      </div>
      {lite ? null : (
        <div class="row-actions">
          {onReadNow ? (
            // Named "Read … now", never "Refresh": the popup's one Refresh button stays unambiguous (automation contract).
            <button
              type="button"
              id={`read-${keyConfig.id}`}
              class="icon-button read-now"
              onClick={() => onReadNow(keyConfig.id)}
              disabled={busy}
              aria-label={i18n.t('readNow', [label])}
              title={i18n.t('readNow', [label])}
            >
              <Icon name="refresh" />
            </button>
          ) : null}
          <a
            class="icon-button"
            href={topUpPage(keyConfig, status?.detectedKind)}
            target="_blank"
            rel="noopener noreferrer"
            aria-label={i18n.t('openTopUpOf', [label])}
            title={i18n.t('openTopUpOf', [label])}
          >
            <Icon name="open" />
          </a>
          {onCopySite ? (
            <button
              type="button"
              class="icon-button"
              onClick={() => onCopySite(keyConfig)}
              aria-label={i18n.t('copySiteOf', [label])}
              title={i18n.t('copySiteOf', [label])}
            >
              <Icon name="copy" />
            </button>
          ) : null}
        </div>
      )}
      {lite ? null : trend ? (
        // The spend and runway share the bar's line: a row with a history grows by one short line, not two.
        <div class="row-bar">
          {bar}
          {trend}
        </div>
      ) : (
        bar
      )}
      {/* The tightest window at a glance beside the balance; every window once opened (automation.md §4.1). */}
      {reading && windows.length ? (
        <WindowList windows={windows} unit={reading.unit} now={now} locale={locale} open={open} bare={lite && !open} />
      ) : null}
      {/* A plan left out (lib/providers/read.ts) or a plan route that failed: the list shown may not be whole. */}
      {!lite && reading?.plansError ? <div class="row-note warn">{i18n.t('plansPartial')}</div> : null}
      {/* The account's own figures are fresh, but its key list was not: said on the account, where the fault is. */}
      {!lite && reading?.tokensError ? (
        <div class="row-note warn">{i18n.t('tokensListFailed', [errorDetail(reading.tokensError.message)])}</div>
      ) : null}
      {!lite && reading?.tokensTruncated ? (
        <div class="row-note warn">{i18n.t('tokensTruncated', [String(reading.tokens?.length ?? 0)])}</div>
      ) : null}
      {/* An opened row shows its details even while drawn light (far down, not yet scrolled near). */}
      <div class="row-more" id={detailsId} hidden={!open}>
        {open ? <Details {...props} extra={props.details} /> : null}
      </div>
    </li>
  );
}

/** A row re-renders only when its own props change: a progress message or another key's reading leaves it alone. */
export const KeyRow = memo(KeyRowView);
