import { i18n } from '#i18n';
import { formatTimeLeft } from '@/lib/expiry';
import { formatAmount, formatDuration, formatRelative, numberFormat, usedShare } from '@/lib/format';
import { errorText } from '@/lib/labels';
import type { KeyConfig, KeyState, KeyStatus, Reading } from '@/lib/model';
import { displaySite } from '@/lib/site';
import { plainDecimal } from '@/lib/units';
import { PlanList } from './PlanList';
import { QuotaBar } from './QuotaBar';
import { Sparkline } from './Sparkline';
import { StateChip } from './StateChip';

interface Props {
  keyConfig: KeyConfig;
  /** The watched account this row's token belongs to (automation.md §3.3, `data-parent`). */
  parentLabel?: string;
  status: KeyStatus | undefined;
  state: KeyState;
  now: number;
  locale: string;
  /** Reads just this key now; absent where the row cannot ask. */
  onReadNow?: () => void;
  /** This key is being read now. */
  reading?: boolean;
  /** Inside its expiry warning window (lib/state.ts `isExpiringSoon`). */
  expiringSoon?: boolean;
}

function expiryText(reading: Reading, now: number, locale: string): string | null {
  if (reading.expiresAt !== null) {
    const at = reading.expiresAt * 1000;
    return at <= now
      ? i18n.t('expiredAgo', [formatRelative(at, now, locale)])
      : i18n.t('expiresIn', [formatTimeLeft(reading.expiresAt, now, locale)]);
  }
  if (reading.kind === 'newapi-token') return i18n.t('expiresNever');
  if (reading.kind === 'openai-billing') return i18n.t('expiresNotReported');
  return null; // Accounts and balances do not expire.
}

/** r9s.ai's tokens per model over the last 7 days, largest first (top three). */
function UsageBars({ usage, locale }: { usage: NonNullable<Reading['usageByModel']>; locale: string }) {
  const top = usage.slice(0, 3);
  const most = top[0]?.tokens || 1;
  const total = usage.reduce((sum, u) => sum + u.tokens, 0);
  const tokens = numberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  return (
    <div class="usage" title={i18n.t('usageWeek', [tokens.format(total)])}>
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

/**
 * One key in the popup. Carries the automation contract's data attributes
 * (shared/spec/automation.md §4).
 */
export function KeyRow({ keyConfig, parentLabel, status, state, now, locale, onReadNow, reading: busy = false, expiringSoon }: Props) {
  const reading = status?.reading ?? null;
  const error = state === 'invalid' || state === 'error' ? status?.error : null;
  const remaining = reading && !reading.unlimited && reading.remaining !== null ? reading.remaining : null;
  const share = reading ? usedShare(reading) : null;
  const expiry = reading ? expiryText(reading, now, locale) : null;
  const name = reading?.name && reading.name !== keyConfig.label ? reading.name : null;

  return (
    <li
      aria-busy={busy}
      class={`row row-${state}`}
      data-key-row=""
      data-label={keyConfig.label}
      data-parent={parentLabel}
      data-state={state}
      data-remaining={remaining === null ? '' : plainDecimal(remaining)}
      data-unit={reading?.unit.code ?? ''}
      data-unlimited={reading?.unlimited ? 'true' : 'false'}
      data-expires-at={reading?.expiresAt ?? ''}
      data-error={error?.kind ?? ''}
      data-fetched-at={reading?.fetchedAt ?? ''}
    >
      <div class="row-head">
        <span class="label" title={keyConfig.label}>
          {keyConfig.label}
        </span>
        <StateChip state={state} />
        {expiringSoon ? (
          <span class="chip chip-low chip-soon" data-expiring-soon="">
            {i18n.t('expiresSoon')}
          </span>
        ) : null}
        {onReadNow ? (
          // Named "Read … now", never "Refresh": the popup's one Refresh button stays unambiguous (automation contract).
          <button
            type="button"
            class="read-now"
            onClick={onReadNow}
            disabled={busy}
            aria-label={i18n.t('readNow', [keyConfig.label])}
            title={i18n.t('readNow', [keyConfig.label])}
          >
            ↻
          </button>
        ) : null}
      </div>
      <div class="site" title={keyConfig.baseUrl}>
        {displaySite(keyConfig.baseUrl)}
        {name ? <span class="name"> · {name}</span> : null}
      </div>
      {reading ? (
        <div class="amount">
          <strong>
            {reading.unlimited
              ? i18n.t('unlimited')
              : remaining === null
                ? i18n.t('unknownAmount')
                : formatAmount(remaining, reading.unit, locale)}
          </strong>
          {reading.granted !== null && !reading.unlimited ? (
            <span class="of"> {i18n.t('ofGranted', [formatAmount(reading.granted, reading.unit, locale)])}</span>
          ) : null}
          {reading.couponBalance ? (
            <span class="of"> {i18n.t('couponBalance', [formatAmount(reading.couponBalance, reading.unit, locale)])}</span>
          ) : null}
          {reading.scope === 'account' ? <span class="scope"> · {i18n.t('scopeAccount')}</span> : null}
          {reading.scope === 'unqualified' ? (
            <span class="scope" title={i18n.t('scopeUnqualifiedHint')}>
              {' '}
              · {i18n.t('scopeUnqualified')}
            </span>
          ) : null}
        </div>
      ) : null}
      {share !== null ? <QuotaBar share={share} state={state} /> : null}
      {reading && status?.trend && status.trend.sparkline.length > 1 ? (
        <div class="trend">
          <Sparkline points={status.trend.sparkline} label={keyConfig.label} />
          {status.trend.burnPerDay ? (
            <span>{i18n.t('burnRate', [formatAmount(status.trend.burnPerDay, reading.unit, locale)])}</span>
          ) : null}
          {status.trend.runsOutAt && status.trend.runsOutAt > now ? (
            <span class={status.trend.runsOutAt - now < 7 * 86_400_000 ? 'warn' : ''}>
              {i18n.t('runsOut', [formatDuration(status.trend.runsOutAt - now, locale)])}
            </span>
          ) : null}
        </div>
      ) : null}
      {reading?.usageByModel?.length ? <UsageBars usage={reading.usageByModel} locale={locale} /> : null}
      {reading?.plans?.length ? <PlanList plans={reading.plans} unit={reading.unit} now={now} locale={locale} /> : null}
      {reading?.tokensTruncated ? <div class="meta warn">{i18n.t('tokensTruncated', [String(reading.tokens?.length ?? 0)])}</div> : null}
      <div class="meta">
        {expiry ? <span class={reading?.expiresAt && reading.expiresAt * 1000 <= now ? 'warn' : ''}>{expiry} · </span> : null}
        <span>{reading ? i18n.t('readAgo', [formatRelative(reading.fetchedAt, now, locale)]) : i18n.t('readNever')}</span>
      </div>
      {error ? (
        <div class="error" role="status">
          {errorText(error)} <span class="detail">({error.message})</span>
          {error.retryAt && error.retryAt > now ? (
            <span class="detail"> ({i18n.t('retryAt', [formatRelative(error.retryAt, now, locale)])})</span>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
