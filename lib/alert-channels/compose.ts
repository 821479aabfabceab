/**
 * The words a channel sends (automation.md §5.1): one message per round listing every
 * key announced in it (20 lines, then "… and N more"), the daily digest and the test
 * message, in the language the person chose. Pure: the messages of that language, the
 * clock and the time zone are passed in. Only labels, sites, states and figures go in.
 */
import type { Alert } from '../alerts';
import type { KeyConfig, KeyState, KeyStatus, Reading } from '../model';
import { tightestWindow } from '../windows';
import type { ChannelMessage, KeyLine } from './message';

/** A watched token's or plan's key id names its account (`<account>:token:<id>`, lib/token-views.ts). */
export const accountOf = (id: string) => id.replace(/:(?:token|plan):\d+$/, '');

/**
 * What a round announces on channels: what the browser's notifications announce (snoozed
 * keys were never in it), less restored keys when that is off and muted keys, a watched
 * token or plan of a muted account included.
 */
export function channelAnnouncements<A extends { key: KeyConfig; alert: Alert }>(
  all: readonly A[],
  keys: readonly KeyConfig[],
  notifyRestored: boolean,
): A[] {
  const muted = new Set(keys.filter((k) => k.muted === true).map((k) => k.id));
  return all.filter(
    ({ key, alert }) =>
      (notifyRestored || alert.kind !== 'restored') && key.muted !== true && !muted.has(key.id) && !muted.has(accountOf(key.id)),
  );
}

/** Lines a message lists before "… and N more". */
export const MAX_LINES = 20;
/** The digest's "expires this week". */
export const WEEK_MS = 7 * 86_400_000;

/** How text is rendered: one locale's `getMessage`, its BCP 47 tag, and (for tests) a fixed time zone. */
export interface Words {
  t: (key: string, subs?: string | string[]) => string;
  locale: string;
  timeZone?: string;
}

/** The site a line names: the host (with its port), and the path prefix when there is one. */
export function siteOf(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.host}${url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return baseUrl.replace(/^https?:\/\//, '');
  }
}

/** The figure a key's row shows (automation.md §4, §4.1): its balance, else its tightest window's. */
export function figureOf(reading: Reading | null | undefined): { remaining: number | null; unit: string | null } {
  if (!reading || reading.unlimited) return { remaining: null, unit: reading?.unit.code ?? null };
  if (reading.remaining !== null) return { remaining: reading.remaining, unit: reading.unit.code };
  const window = tightestWindow(reading.windows ?? []);
  if (window) {
    const left = window.remaining ?? (window.percentUsed !== null ? 100 - window.percentUsed : null);
    return { remaining: left, unit: window.percentUsed !== null && window.remaining === null ? 'percent' : window.unit };
  }
  return { remaining: null, unit: reading.unit.code };
}

/** One announced alert as a line of facts. */
export function lineOf(key: KeyConfig, alert: Alert & { from?: KeyState }, reading: Reading | null | undefined): KeyLine {
  const { remaining, unit } = figureOf(reading);
  return {
    label: key.label,
    site: siteOf(key.baseUrl),
    state: alert.state,
    previousState: alert.kind === 'restored' ? (alert.from ?? null) : null,
    remaining,
    unit,
    expiresAt: alert.expiresAt ?? reading?.expiresAt ?? null,
    resetsAt: alert.state === 'capped' ? (alert.resumesAt ?? null) : null,
    kind: alert.kind,
  };
}

const stateWord = (words: Words, state: string) =>
  words.t(`state${state.replace(/(?:^|-)(\w)/g, (_, c: string) => c.toUpperCase())}`) || state;

/** An amount in its unit: `$8.50`, `¥12.00`, `1.2M tokens`, `40%`. */
export function formatFigure(remaining: number, unit: string, words: Words): string {
  const number = (options: Intl.NumberFormatOptions) => new Intl.NumberFormat(words.locale, options).format(remaining);
  if (unit === 'tokens')
    return words.t('unitTokens', number({ notation: Math.abs(remaining) >= 1e5 ? 'compact' : 'standard', maximumFractionDigits: 1 }));
  if (unit === 'requests') return words.t('channelRequests', number({ maximumFractionDigits: 0 }));
  if (unit === 'percent') return `${number({ maximumFractionDigits: 1 })}%`;
  const digits = Math.abs(remaining) > 0 && Math.abs(remaining) < 0.01 ? 4 : 2;
  try {
    return number({ style: 'currency', currency: unit, minimumFractionDigits: 2, maximumFractionDigits: digits });
  } catch {
    return `${number({ minimumFractionDigits: 2, maximumFractionDigits: digits })} ${unit}`;
  }
}

/** A moment as "Dec 8, 15:20" in the person's language and time zone (24-hour clock). */
export function formatMoment(seconds: number, words: Words): string {
  if (!Number.isFinite(seconds) || Math.abs(seconds) > 8.64e12) return '?';
  return new Intl.DateTimeFormat(words.locale, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(words.timeZone ? { timeZone: words.timeZone } : {}),
  }).format(seconds * 1000);
}

/** One line of text: label (site): state · figure · the reset or expiry. */
export function renderLine(line: KeyLine, words: Words): string {
  // The language's own brackets and colon (zh-CN, ja: full width, no space after).
  const parts = [words.t('notifyState', [words.t('channelLineName', [line.label, line.site]), stateWord(words, line.state)])];
  if (line.previousState) parts[0] += ` ${words.t('channelWas', stateWord(words, line.previousState))}`;
  if (line.remaining !== null && line.unit) parts.push(words.t('notifyRemaining', formatFigure(line.remaining, line.unit, words)));
  if (line.state === 'capped')
    parts.push(
      line.resetsAt !== null ? words.t('notifyWorksAgain', formatMoment(line.resetsAt, words)) : words.t('notifyWorksAgainUnknown'),
    );
  if ((line.kind === 'expiring' || line.kind === 'digest') && line.expiresAt !== null && line.state !== 'expired')
    parts.push(words.t('channelExpires', formatMoment(line.expiresAt, words)));
  if (line.kind === 'forecast') parts.push(words.t('channelForecast'));
  return parts.join(' · ');
}

/** Lines as text: at most MAX_LINES, then "… and N more". */
export function renderLines(lines: readonly KeyLine[], words: Words): string {
  const shown = lines.slice(0, MAX_LINES).map((line) => `• ${renderLine(line, words)}`);
  if (lines.length > MAX_LINES) shown.push(words.t('notifyGroupMore', String(lines.length - MAX_LINES)));
  return shown.join('\n');
}

const SEVERITY: Record<string, number> = { expired: 0, exhausted: 1, invalid: 2, capped: 3, low: 4 };
const LATER: Record<string, number> = { expiring: 6, forecast: 7, restored: 8 };
const order = (line: KeyLine) => (line.kind === 'state' ? (SEVERITY[line.state] ?? 5) : (LATER[line.kind] ?? 7));

/**
 * A round's message: every announced key, most severe first, restored keys last. The
 * webhook's `keys` lists them all; the text lists 20. Null when nothing was announced.
 */
export function roundMessage(lines: readonly KeyLine[], words: Words): ChannelMessage | null {
  if (lines.length === 0) return null;
  const sorted = [...lines].sort((a, b) => order(a) - order(b));
  const named = (list: KeyLine[]) => [...new Map(list.map((l) => [`${l.label}\n${l.site}`, l.label])).values()];
  const troubled = named(sorted.filter((l) => l.kind !== 'restored'));
  const back = named(sorted.filter((l) => l.kind === 'restored'));
  // One key is named ("CI needs attention"), more are counted ("3 keys need attention").
  const title = troubled.length
    ? troubled.length === 1
      ? words.t('channelTitleOne', troubled[0] ?? '')
      : words.t('channelTitleMany', String(troubled.length))
    : back.length === 1
      ? words.t('notifyRestored', back[0] ?? '')
      : words.t('notifyGroupBack', String(back.length));
  return {
    event: troubled.length ? 'alert' : 'restored',
    title: words.t('channelMessageTitle', title),
    text: renderLines(sorted, words),
    keys: sorted,
  };
}

/** The Test button's message. */
export function testMessage(words: Words): ChannelMessage {
  return { event: 'test', title: words.t('channelMessageTitle', words.t('channelTestTitle')), text: words.t('channelTestText'), keys: [] };
}

/** A key as the digest sees it. */
export interface DigestKey {
  key: KeyConfig;
  status: KeyStatus | undefined;
  state: KeyState;
}

/**
 * The daily digest: keys needing attention (not muted; not ok, or ok but expiring within
 * the week), totals per unit over the keys not muted, and what expires this week.
 */
export function digestMessage(keys: readonly DigestKey[], now: number, words: Words): ChannelMessage {
  const watched = keys.filter((k) => k.key.muted !== true);
  const lineFor = ({ key, status, state }: DigestKey): KeyLine => {
    const reading = status?.reading ?? null;
    const { remaining, unit } = figureOf(reading);
    return {
      label: key.label,
      site: siteOf(key.baseUrl),
      state,
      previousState: null,
      remaining,
      unit,
      expiresAt: reading?.expiresAt ?? null,
      resetsAt: null,
      kind: 'digest',
    };
  };
  const soon = (k: DigestKey) => {
    const at = k.status?.reading?.expiresAt;
    return typeof at === 'number' && at * 1000 > now && at * 1000 - now <= WEEK_MS;
  };
  const attention = watched.filter((k) => (k.state !== 'ok' && k.state !== 'pending') || soon(k)).map(lineFor);
  const expiring = watched.filter(soon).map(lineFor);
  const totals = new Map<string, number>();
  for (const k of watched) {
    const { remaining, unit } = figureOf(k.status?.reading);
    if (remaining === null || !unit || unit === 'percent') continue;
    totals.set(unit, (totals.get(unit) ?? 0) + remaining);
  }
  const sorted = attention.sort((a, b) => (SEVERITY[a.state] ?? 5) - (SEVERITY[b.state] ?? 5));
  const text = [
    attention.length
      ? `${words.t('channelDigestAttention', String(attention.length))}\n${renderLines(sorted, words)}`
      : words.t('channelDigestNone'),
    totals.size
      ? words.t(
          'channelDigestTotals',
          [...totals].map(([unit, sum]) => formatFigure(Math.round(sum * 10_000) / 10_000, unit, words)).join(words.t('listSeparator')),
        )
      : '',
    expiring.length
      ? `${words.t('channelDigestExpiring')}\n${renderLines(
          expiring.sort((a, b) => (a.expiresAt ?? 0) - (b.expiresAt ?? 0)),
          words,
        )}`
      : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  return { event: 'digest', title: words.t('channelMessageTitle', words.t('channelDigestTitle')), text, keys: sorted };
}
