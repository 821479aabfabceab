import { CONCERN_SEVERITY, type Concern, countConcerns, verdictOf } from './attention';
import { timeLeft } from './expiry';
import type { Unit } from './model';
import { capping, type KeyView } from './state';
import { badgeResetIn } from './window-format';

export interface Badge {
  text: string;
  /** Background colour; chosen to stay readable on light and dark toolbars with white text. */
  color: string;
  /** The action's tooltip: which keys need attention. */
  title: string;
}

export const BADGE_COLORS = { alert: '#C62828', low: '#B45309', unknown: '#616161' } as const;

/** Expired, used up or refused: a red `!`, and the key's leftover figure is not offered as money still usable. */
const SPENT: ReadonlySet<string> = new Set(['expired', 'exhausted', 'invalid']);
/** The worst keys named in the tooltip before "… +N" (issue #19: counts by state and the 5 worst, not 40 lines). */
export const TOOLTIP_KEYS = 5;

const SUFFIXES: [string, number][] = [
  ['', 1],
  ['k', 1e3],
  ['M', 1e6],
  ['G', 1e9],
  ['T', 1e12],
  ['P', 1e15],
  ['E', 1e18],
];

/**
 * A figure that fits a badge in `max` characters (4 by default): 0.04, 3.5, 42,
 * 1234, 12k, 1M. It keeps as many digits as fit, and moves to the next suffix when
 * rounding reaches 1000 (999,500 is `1M`, never `1000k`). A positive figure too
 * small to show is `0+`, never a bare `0`, which would read as spent.
 */
export function compactFigure(value: number, max = 4): string {
  if (!Number.isFinite(value)) return '?';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  for (const [suffix, size] of SUFFIXES) {
    const n = abs / size;
    for (const digits of [3, 2, 1, 0]) {
      let text = n.toFixed(digits);
      if (digits > 0) text = text.replace(/\.?0+$/, '');
      if (Number(text) >= 1000 && suffix !== 'E') break;
      if (Number(text) === 0) continue;
      for (const candidate of [text, text.replace(/^0\./, '.')]) {
        const shown = `${sign}${candidate}${suffix}`;
        if (shown.length <= max) return shown;
      }
    }
  }
  return abs < 1 ? `${sign}0+`.slice(0, max) : '?';
}

/** Reads a `compactFigure` back into a number (for tests and checks). */
export function parseCompact(text: string): number {
  const match = /^(-?)(\d*\.?\d*)([kMGTPE]?)(\+?)$/.exec(text);
  if (!match) return Number.NaN;
  const [, sign, digits, suffix] = match;
  const size = SUFFIXES.find(([s]) => s === suffix)?.[1] ?? 1;
  return (sign ? -1 : 1) * Number(digits) * size;
}

const SYMBOLS: Record<string, string> = { USD: '$', CNY: '¥', EUR: '€', GBP: '£', JPY: '¥' };

/**
 * The amber badge's text: the figure with its currency symbol when both fit in four
 * characters (`$0.4`, `¥5.8`); raw tokens as a bare figure with a suffix (`80k`).
 */
export function badgeFigure(value: number, unit: Unit): string {
  const symbol = unit.code === 'custom' ? (unit.symbol ?? '') : (SYMBOLS[unit.code] ?? '');
  if (symbol.length === 1) return `${symbol}${compactFigure(value, 3)}`;
  return compactFigure(value);
}

export interface BadgeLabels {
  name: string;
  /** "3 keys need attention" for a count above 0. */
  attention: (count: number) => string;
  allOk: string;
  /** The words for a concern (lib/attention.ts): the chip's, "Expires soon", "Needs access". */
  concern: (concern: Concern) => string;
  /** "2 expired, 1 low": how many keys have each concern, in `CONCERN_ORDER`. */
  counts: (by: Partial<Record<Concern, number>>) => string;
  /** The key's figure with its unit ("$0.40 left"), or null when there is none to give. */
  figure: (view: KeyView) => string | null;
  /** "expires in 3 days" for a key inside its expiry warning window. */
  expiring: (view: KeyView) => string;
  /** "works again 15:20" for a capped key whose reset is known (Unix seconds). */
  resumes?: (at: number) => string;
  /** Set when storage refused a write: the badge turns grey `!` and says so. */
  storageProblem?: string;
  /** "Name: text" in the language's punctuation (`：` in Chinese and Japanese); "$1: $2" when not given. */
  labelled?: (name: string, text: string) => string;
  /** What joins a line's parts (", " in English, "，" in Chinese, "、" in Japanese); ", " when not given. */
  separator?: string;
}

/**
 * The toolbar badge for keys (any order), from the one verdict (lib/attention.ts): empty
 * exactly when no key needs attention, muted keys never count (automation.md §5), unless
 * storage refused a write (grey `!`). Else by the worst key needing attention: red `!`
 * for expired, exhausted or refused keys; amber with the time to its reset (`2h`, `35m`,
 * `3d`) for a capped key; amber with the lowest key's figure and unit for low keys; amber
 * with the days left (`3d`, `5h`) for a key expiring soon; grey `?` for a key that could
 * not be read. The tooltip says how many need attention, how many of each concern, and
 * names the `TOOLTIP_KEYS` worst with their figure and unit.
 */
export function badgeFor(
  views: readonly KeyView[],
  labels: BadgeLabels,
  now: number,
  needsAccess: (view: KeyView) => boolean = () => false,
): Badge {
  const judged = views.map((view) => ({ view, verdict: verdictOf(view, needsAccess(view)) })).filter((j) => j.verdict.attention);
  // Worst first; a stable sort keeps the ranking's order within a concern (the lowest first).
  judged.sort((a, b) => CONCERN_SEVERITY[a.verdict.concern] - CONCERN_SEVERITY[b.verdict.concern]);
  const labelled = labels.labelled ?? ((name: string, text: string) => `${name}: ${text}`);
  const line = ({ view: v, verdict }: (typeof judged)[number]) => {
    const parts = [verdict.concern === 'expiring' ? labels.expiring(v) : labels.concern(verdict.concern)];
    const figure = labels.figure(v);
    if (figure && !SPENT.has(v.state)) parts.push(figure);
    const resumes = v.state === 'capped' ? capping(v.status?.reading ?? null, now).resumesAt : null;
    if (resumes !== null && labels.resumes) parts.push(labels.resumes(resumes));
    if (verdict.concern !== 'expiring' && v.expiringSoon) parts.push(labels.expiring(v));
    return `• ${labelled(v.key.label, parts.join(labels.separator ?? ', '))}`;
  };
  const lines = judged.slice(0, TOOLTIP_KEYS).map(line);
  if (judged.length > TOOLTIP_KEYS) lines.push(`… +${judged.length - TOOLTIP_KEYS}`);
  const head = labels.storageProblem ? labelled(labels.name, labels.storageProblem) : null;
  const body =
    judged.length === 0
      ? labelled(labels.name, labels.allOk)
      : `${labelled(labels.name, labels.attention(judged.length))}\n${labels.counts(
          countConcerns(
            judged.map((j) => j.view),
            needsAccess,
          ).by,
        )}\n${lines.join('\n')}`;
  const title = head ? `${head}\n${body}` : body;
  if (labels.storageProblem) return { text: '!', color: BADGE_COLORS.unknown, title };
  const worst = judged[0];
  if (!worst) return { text: '', color: BADGE_COLORS.unknown, title };
  const { view, verdict } = worst;
  const reading = view.status?.reading;
  if (SPENT.has(verdict.concern)) return { text: '!', color: BADGE_COLORS.alert, title };
  if (verdict.concern === 'capped') {
    // Amber like low: it works again by itself, at the time shown (automation.md §5).
    const at = capping(reading ?? null, now).resumesAt;
    return { text: at === null ? '!' : badgeResetIn(at * 1000 - now), color: BADGE_COLORS.low, title };
  }
  if (verdict.concern === 'low') {
    return { text: reading?.remaining == null ? '!' : badgeFigure(reading.remaining, reading.unit), color: BADGE_COLORS.low, title };
  }
  if (verdict.concern === 'expiring') {
    const left = reading?.expiresAt ? timeLeft(reading.expiresAt, now) : null;
    return { text: left ? `${left.value}${left.unit === 'day' ? 'd' : 'h'}` : '!', color: BADGE_COLORS.low, title };
  }
  return { text: '?', color: BADGE_COLORS.unknown, title };
}
