import type { KeyState } from './model';
import type { KeyView } from './state';

export interface Badge {
  text: string;
  /** Background colour; chosen to stay readable on light and dark toolbars with white text. */
  color: string;
  /** The action's tooltip: which keys need attention. */
  title: string;
}

export const BADGE_COLORS = { alert: '#C62828', low: '#B45309', unknown: '#616161' } as const;

const ALERT: ReadonlySet<KeyState> = new Set(['expired', 'exhausted', 'invalid']);

/** A figure that fits a badge (≤ 4 characters): 3.5, 42, 1.2k, 3M. */
export function compactFigure(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  const scaled = (n: number, suffix: string) => {
    const text = n < 10 ? n.toFixed(1).replace(/\.0$/, '') : String(Math.round(n));
    return `${sign}${text}${suffix}`;
  };
  if (abs >= 1e9) return scaled(abs / 1e9, 'G');
  if (abs >= 1e6) return scaled(abs / 1e6, 'M');
  if (abs >= 1e3) return scaled(abs / 1e3, 'k');
  return scaled(abs, '');
}

/**
 * The toolbar badge for ranked keys (worst first): red `!` for expired, exhausted or
 * refused keys; amber with the lowest key's remaining figure for low keys; grey `?`
 * when a key could not be read or has not been read yet; empty when all are fine.
 */
export function badgeFor(
  views: readonly KeyView[],
  labels: { name: string; attention: string; allOk: string; state: (state: KeyState) => string },
): Badge {
  const attention = views.filter((v) => v.state !== 'ok');
  const title =
    attention.length === 0
      ? `${labels.name}: ${labels.allOk}`
      : `${labels.name}: ${labels.attention}\n${attention
          .slice(0, 8)
          .map((v) => `• ${v.key.label}: ${labels.state(v.state)}`)
          .join('\n')}${attention.length > 8 ? `\n… +${attention.length - 8}` : ''}`;
  const worst = attention[0];
  if (!worst) return { text: '', color: BADGE_COLORS.unknown, title };
  if (ALERT.has(worst.state)) return { text: '!', color: BADGE_COLORS.alert, title };
  if (worst.state === 'low') {
    const remaining = worst.status?.reading?.remaining;
    return { text: remaining == null ? '!' : compactFigure(remaining), color: BADGE_COLORS.low, title };
  }
  return { text: '?', color: BADGE_COLORS.unknown, title };
}
