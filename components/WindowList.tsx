import { i18n } from '#i18n';
import { formatAmount, formatDuration } from '@/lib/format';
import { windowLabel } from '@/lib/labels';
import type { Reading, Unit } from '@/lib/model';
import { plainDecimal } from '@/lib/units';
import { formatResetIn } from '@/lib/window-format';
import { type QuotaWindow, type ShownWindow, shownWindows, tightestWindow, windowLeft } from '@/lib/windows';
import { QuotaBar } from './QuotaBar';

const decimal = (v: number | null) => (v === null ? '' : plainDecimal(v));

/** Every window a row shows: the key's own, then each plan's, named by its title. */
export const windowsOf = (reading: Reading | null): ShownWindow[] =>
  reading ? shownWindows(reading, (plan) => plan.title ?? i18n.t('planFallbackTitle', [String(plan.planId)])) : [];

/**
 * The window that stands for a key without a balance of its own (automation.md §4.1): its
 * tightest; null when the key has a balance, is unlimited, or has no window that says.
 */
export const standIn = (reading: Reading | null, windows: readonly ShownWindow[] = windowsOf(reading)) =>
  reading && !reading.unlimited && reading.remaining === null ? tightestWindow(windows) : null;

/** A window figure in its unit: `$4.00`, `63%`, `1.2M tokens`; a site currency keeps the reading's symbol. */
export function windowAmount(value: number, w: QuotaWindow, unit: Unit, locale: string): string {
  if (w.unit === 'percent') return `${Math.round(value * 10) / 10}%`;
  return formatAmount(value, w.unit === unit.code ? unit : { code: w.unit }, locale);
}

/** What is left in a window, in words: "$4.00 of $5.00 left", "37% used", "Unlimited in this window". */
export function windowLeftText(w: ShownWindow, unit: Unit, locale: string): string {
  if (w.plan?.unlimited) return i18n.t('planUnlimited');
  if (w.unit === 'percent' && w.percentUsed !== null) return i18n.t('windowUsed', [String(Math.round(w.percentUsed * 10) / 10)]);
  if (w.remaining !== null && w.limit !== null)
    return i18n.t('windowLeft', [windowAmount(w.remaining, w, unit, locale), windowAmount(w.limit, w, unit, locale)]);
  if (w.remaining !== null) return i18n.t('notifyRemaining', [windowAmount(w.remaining, w, unit, locale)]);
  return i18n.t('windowUnknown');
}

/** "5-hour: $4.00 of $5.00 left · resets in 2 hr 13 min": the reset only while it is ahead (relays.md §1.1). */
export function windowLine(w: ShownWindow, unit: Unit, now: number, locale: string): string {
  // "5-hour: …", "5 小时：…": the language's own colon (labelledText).
  const line = i18n.t('labelledText', [windowLabel(w.name), windowLeftText(w, unit, locale)]);
  return w.resets && w.resetsAt !== null && w.resetsAt * 1000 > now
    ? `${line} · ${i18n.t('planResetsIn', [formatResetIn(w.resetsAt * 1000 - now, locale)])}`
    : line;
}

/** The contract attributes of one window (automation.md §4.1). */
export function windowAttributes(w: ShownWindow) {
  return {
    'data-window': w.name,
    'data-window-unit': w.unit,
    'data-used': decimal(w.used),
    'data-limit': decimal(w.limit),
    'data-remaining': decimal(w.remaining),
    'data-resets-at': w.resets && w.resetsAt !== null ? w.resetsAt : '',
  };
}

/**
 * A row's windows (automation.md §4.1), every one in the DOM with its contract
 * attributes: closed, the row shows its tightest window at a glance (a small bar, what is
 * left and when it resets); opened, every window, a plan's with when it ends. `bare`
 * (a lite row): the attributes alone, hidden.
 */
export function WindowList(props: {
  windows: readonly ShownWindow[];
  unit: Unit;
  now: number;
  locale: string;
  open?: boolean;
  bare?: boolean;
}) {
  const { windows, unit, now, locale, open, bare } = props;
  const tightest = tightestWindow(windows);
  return (
    <ul class="windows" hidden={bare} aria-label={i18n.t('windowsHeading')}>
      {windows.map((w) => {
        const left = windowLeft(w);
        const ends = w.plan ? w.plan.endsAt * 1000 - now : null;
        return (
          <li key={`${w.scope}:${w.name}:${w.plan?.id ?? ''}`} hidden={!open && w !== tightest} {...windowAttributes(w)}>
            {bare ? null : (
              <>
                <QuotaBar left={left ?? 0} state={left === 0 ? 'capped' : 'ok'} />
                <span>
                  {windowLine(w, unit, now, locale)}
                  {ends !== null ? (
                    <span class={ends < 7 * 86_400_000 ? 'warn' : ''}>
                      {' '}
                      · {i18n.t('planEndsIn', [formatDuration(Math.max(0, ends), locale)])}
                    </span>
                  ) : null}
                </span>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
