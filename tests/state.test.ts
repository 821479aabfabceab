import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BADGE_COLORS, badgeFigure, badgeFor, compactFigure, parseCompact } from '@/lib/badge';
import { formatTimeLeft, timeLeft } from '@/lib/expiry';
import { formatDuration, formatRelative } from '@/lib/format';
import type { KeyStatus, Reading } from '@/lib/model';
import { DEFAULT_SETTINGS, isExpiringSoon, keyState, rankKeys, withDefaults } from '@/lib/state';
import { SETTINGS_MIGRATIONS } from '@/lib/storage/items';
import { makeKey, NOW, NOW_S } from './helpers';

const reading = (fields: Partial<Reading> = {}): Reading => ({
  kind: 'newapi-token',
  scope: 'key',
  unit: { code: 'USD' },
  unlimited: false,
  remaining: 8,
  granted: 10,
  used: 2,
  expiresAt: null,
  fetchedAt: NOW - 60_000,
  ...fields,
});
const ok = (r: Reading): KeyStatus => ({ reading: r, error: null, attemptedAt: NOW, failures: 0 });
const failed = (kind: 'auth' | 'forbidden' | 'network' | 'server', r: Reading | null = null): KeyStatus => ({
  reading: r,
  error: { kind, message: 'x', at: NOW },
  attemptedAt: NOW,
  failures: 1,
});
const key = makeKey({ baseUrl: 'https://relay.test', secret: 's' });

describe('key states (automation.md §4)', () => {
  it.each<[string, KeyStatus | undefined, string]>([
    ['never read', undefined, 'pending'],
    ['healthy', ok(reading()), 'ok'],
    ['under 10% of granted', ok(reading({ remaining: 0.99 })), 'low'],
    ['exactly 10% is not low', ok(reading({ remaining: 1 })), 'ok'],
    ['zero remaining', ok(reading({ remaining: 0 })), 'exhausted'],
    ['negative remaining', ok(reading({ remaining: -3 })), 'exhausted'],
    ['unlimited with nothing remaining', ok(reading({ unlimited: true, remaining: null, granted: null })), 'ok'],
    ['expiry in the past', ok(reading({ expiresAt: NOW_S - 1 })), 'expired'],
    ['expired and exhausted: expired wins', ok(reading({ expiresAt: NOW_S - 1, remaining: 0 })), 'expired'],
    ['refused credential', failed('auth'), 'invalid'],
    ['forbidden credential', failed('forbidden'), 'invalid'],
    ['refused after being seen empty (billing 401s exhausted keys)', failed('auth', reading({ remaining: 0 })), 'exhausted'],
    ['network error keeps state error, not a zero', failed('network', reading()), 'error'],
    ['an error never hides a past expiry', failed('server', reading({ expiresAt: NOW_S - 5 })), 'expired'],
    ['r9s balance at $0.40 without granted: under the default 1 USD', ok(reading({ granted: null, remaining: 0.4 })), 'low'],
    ['balance of $1.00 without granted is not low', ok(reading({ granted: null, remaining: 1 })), 'ok'],
    ['CNY wallet ¥5.84: under the default ¥7', ok(reading({ granted: null, remaining: 5.84, unit: { code: 'CNY' } })), 'low'],
    ['CNY wallet ¥8 is fine', ok(reading({ granted: null, remaining: 8, unit: { code: 'CNY' } })), 'ok'],
    ['80,000 tokens: under 500,000', ok(reading({ granted: null, remaining: 80_000, unit: { code: 'tokens' } })), 'low'],
    ['600,000 tokens are fine', ok(reading({ granted: null, remaining: 600_000, unit: { code: 'tokens' } })), 'ok'],
    ['0.5 in a custom unit: under 1', ok(reading({ granted: null, remaining: 0.5, unit: { code: 'custom', symbol: '¤' } })), 'low'],
    // A wallet is a balance (issue #16, item 4): $0.20 left with $0.10 used is not "66 % of granted".
    [
      'new-api wallet at $0.20 with $0.10 used: under the default 1 USD',
      ok(reading({ kind: 'newapi-user', scope: 'account', granted: 0.3, used: 0.1, remaining: 0.2 })),
      'low',
    ],
    [
      'new-api wallet at $4 with $46 used is fine (8 % of what it held is no threshold)',
      ok(reading({ kind: 'newapi-user', scope: 'account', granted: 50, used: 46, remaining: 4 })),
      'ok',
    ],
  ])('%s → %s', (_, status, expected) => {
    expect(keyState(key, status, DEFAULT_SETTINGS, NOW)).toBe(expected);
  });

  it('takes the default low amounts from settings, and a key’s own amount over them', () => {
    const balance = ok(reading({ granted: null, remaining: 3 }));
    const settings = withDefaults({ defaultLowAmounts: { USD: 5, CNY: 7, tokens: 500_000, other: 1 } });
    expect(keyState(key, balance, settings, NOW)).toBe('low');
    expect(keyState({ ...key, threshold: { type: 'amount', value: 2 } }, balance, settings, NOW)).toBe('ok');
  });

  it('migrates stored version-2 settings to carry the default low amounts, keeping the user’s choices', () => {
    const v2 = { intervalMinutes: 15, defaultThreshold: { type: 'percent' as const, value: 20 }, notifications: false };
    const migrated = SETTINGS_MIGRATIONS[3](SETTINGS_MIGRATIONS[2](v2));
    expect(migrated).toMatchObject({ ...v2, defaultLowAmounts: { USD: 1, CNY: 7, tokens: 500_000, other: 1 } });
    expect(withDefaults({ defaultLowAmounts: { USD: 2 } } as never).defaultLowAmounts).toEqual({
      USD: 2,
      CNY: 7,
      tokens: 500_000,
      other: 1,
    });
  });

  it('uses a per-key amount threshold over the default', () => {
    const strict = { ...key, threshold: { type: 'amount' as const, value: 9 } };
    expect(keyState(strict, ok(reading({ remaining: 8 })), DEFAULT_SETTINGS, NOW)).toBe('low');
    expect(
      keyState(
        key,
        ok(reading({ granted: null, remaining: 0.5 })),
        { ...DEFAULT_SETTINGS, defaultThreshold: { type: 'amount', value: 1 } },
        NOW,
      ),
    ).toBe('low');
  });
});

describe('ranking and badge', () => {
  const keys = ['fine', 'low', 'dead', 'gone', 'down', 'new'].map((label) =>
    makeKey({ label, id: label, baseUrl: 'https://r.test', secret: label }),
  );
  const statuses: Record<string, KeyStatus> = {
    fine: ok(reading()),
    low: ok(reading({ remaining: 0.5 })),
    dead: failed('auth'),
    gone: ok(reading({ expiresAt: NOW_S - 10 })),
    down: failed('network', reading()),
  };
  const labels = {
    name: 'Quota Glance',
    attention: (n: number) => `${n} need attention`,
    allOk: 'all fine',
    concern: (s: string) => s.toUpperCase(),
    counts: (by: Partial<Record<string, number>>) =>
      Object.entries(by)
        .map(([c, n]) => `${n} ${c}`)
        .join(', '),
    figure: (v: { status?: KeyStatus }) =>
      v.status?.reading?.remaining != null ? `${v.status.reading.remaining} ${v.status.reading.unit.code} left` : null,
    expiring: (v: { status?: KeyStatus }) => `expires ${formatTimeLeft(v.status?.reading?.expiresAt ?? 0, NOW, 'en')}`,
  };

  it('sorts a low balance without granted among the low keys by how far under its amount it is', () => {
    const r9s = makeKey({ label: 'r9s', id: 'r9s', baseUrl: 'https://r.test', secret: 'r' });
    const low8 = makeKey({ label: 'low8', id: 'low8', baseUrl: 'https://r.test', secret: 'l' });
    const views = rankKeys(
      [low8, r9s],
      { r9s: ok(reading({ granted: null, remaining: 0.4 })), low8: ok(reading({ remaining: 0.8 })) },
      DEFAULT_SETTINGS,
      NOW,
    );
    expect(views.map((v) => `${v.key.label}:${v.state}`)).toEqual(['r9s:low', 'low8:low']);
  });

  it('orders keys worst first', () => {
    expect(rankKeys(keys, statuses, DEFAULT_SETTINGS, NOW).map((v) => v.key.label)).toEqual(['gone', 'dead', 'low', 'down', 'new', 'fine']);
  });

  it('shows a red ! for expired, exhausted or refused keys and names them in the title', () => {
    const badge = badgeFor(rankKeys(keys, statuses, DEFAULT_SETTINGS, NOW), labels, NOW);
    expect(badge).toMatchObject({ text: '!', color: BADGE_COLORS.alert });
    expect(badge.title).toContain('gone: EXPIRED');
    expect(badge.title).toContain('dead: INVALID');
    expect(badge.title).not.toContain('fine');
  });

  it('shows the low key’s remaining figure in amber', () => {
    const views = rankKeys(keys.slice(0, 2), statuses, DEFAULT_SETTINGS, NOW);
    expect(badgeFor(views, labels, NOW)).toMatchObject({ text: '$0.5', color: BADGE_COLORS.low });
  });

  it('shows a grey ? when a key could not be read', () => {
    expect(badgeFor(rankKeys([keys[4]!], statuses, DEFAULT_SETTINGS, NOW), labels, NOW)).toMatchObject({
      text: '?',
      color: BADGE_COLORS.unknown,
    });
  });

  it('is empty when all is well or there are no keys', () => {
    expect(badgeFor(rankKeys([keys[0]!], statuses, DEFAULT_SETTINGS, NOW), labels, NOW).text).toBe('');
    expect(badgeFor([], labels, NOW).text).toBe('');
  });

  it('says how many keys need attention, how many of each state, and names the 5 worst, not 40 lines (26 after an import)', () => {
    const many = Array.from({ length: 26 }, (_, i) => makeKey({ label: `k${i}`, id: `k${i}`, baseUrl: 'https://r.test', secret: `s${i}` }));
    const lowStatuses = Object.fromEntries(many.map((k, i) => [k.id, ok(reading({ remaining: (10 + i) / 100 }))]));
    const gone = makeKey({ label: 'gone', id: 'gone', baseUrl: 'https://r.test', secret: 'g' });
    const badge = badgeFor(
      rankKeys([...many, gone], { ...lowStatuses, gone: ok(reading({ expiresAt: NOW_S - 10 })) }, DEFAULT_SETTINGS, NOW),
      labels,
      NOW,
    );
    expect(badge.title.split('\n')).toEqual([
      'Quota Glance: 27 need attention',
      '1 expired, 26 low',
      '• gone: EXPIRED',
      '• k0: LOW, 0.1 USD left',
      '• k1: LOW, 0.11 USD left',
      '• k2: LOW, 0.12 USD left',
      '• k3: LOW, 0.13 USD left',
      '… +22',
    ]);
  });

  it('names each key needing attention in the tooltip with its figure and unit', () => {
    const badge = badgeFor(rankKeys(keys, statuses, DEFAULT_SETTINGS, NOW), labels, NOW);
    expect(badge.title).toContain('low: LOW, 0.5 USD left');
    expect(badge.title).toContain('down: ERROR, 8 USD left');
    // An expired key's leftover figure is not offered as money still usable.
    expect(badge.title).not.toMatch(/gone: EXPIRED, /);
  });

  it('shows the figure with its currency in amber, and tokens with a suffix', () => {
    expect(badgeFigure(0.4, { code: 'USD' })).toBe('$0.4');
    expect(badgeFigure(5.84, { code: 'CNY' })).toBe('¥5.8');
    expect(badgeFigure(80_000, { code: 'tokens' })).toBe('80k');
    expect(badgeFigure(999_500, { code: 'tokens' })).toBe('1M');
    expect(compactFigure(0.04)).toBe('0.04');
  });

  it('fits any remaining amount into at most 4 characters that read back within 5% (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e15, noNaN: true }), (value) => {
        const text = compactFigure(value);
        expect(text.length).toBeLessThanOrEqual(4);
        expect(Math.abs(parseCompact(text) - value)).toBeLessThanOrEqual(Math.max(value * 0.05, 0.001));
        // A positive figure never reads as zero (which would say "spent").
        if (value > 0) expect(text).not.toBe('0');
      }),
      { numRuns: 3000 },
    );
    // A negative figure (never on an amber badge: that key is exhausted) still fits and keeps its sign.
    fc.assert(
      fc.property(fc.double({ min: -1e15, max: -1e-9, noNaN: true }), (value) => {
        const text = compactFigure(value);
        expect(text.length).toBeLessThanOrEqual(4);
        expect(text.startsWith('-')).toBe(true);
      }),
    );
  });

  // Expiry: one rounding everywhere (issue #7, item 2).
  const at = NOW_S + 2 * 86_400 + 23 * 3_600; // 2 days 23 hours from now
  const soonKey = makeKey({ label: 'soon', id: 'soon', baseUrl: 'https://r.test', secret: 'x' });
  const status = ok(reading({ expiresAt: at }));

  it('says 3 days for 2 days 23 hours, in every language, never “the day after tomorrow”', () => {
    expect(timeLeft(at, NOW)).toEqual({ unit: 'day', value: 3 });
    expect(formatTimeLeft(at, NOW, 'en')).toBe('in 3 days');
    expect(formatTimeLeft(at, NOW, 'zh-CN')).toBe('3天后');
    expect(formatTimeLeft(NOW_S + 5 * 3600 - 60, NOW, 'en')).toBe('in 5 hours');
  });

  it('spaces ja as its rows do: "3日後", as "期限まで3日" beside it, never ICU\'s "3 日後"', () => {
    expect(formatTimeLeft(at, NOW, 'ja')).toBe('3日後');
    expect(formatTimeLeft(NOW_S + 5 * 3600 - 60, NOW, 'ja')).toBe('5時間後');
    expect(formatRelative(NOW - 2 * 60_000, NOW, 'ja')).toBe('2分前');
    // An expiry a day ago, as the row's "1日前に期限切れ": not "昨日に期限切れ".
    expect(formatRelative(NOW - 86_400_000, NOW, 'ja', 'always')).toBe('1日前');
    expect(formatRelative(NOW - 86_400_000, NOW, 'ja')).toBe('昨日');
    expect(formatRelative(NOW - 30_000, NOW, 'en', 'always')).toBe('this minute');
    expect(formatDuration(4 * 86_400_000, 'ja')).toBe('4日');
    // Other languages keep ICU's words as they are.
    expect(formatRelative(NOW - 2 * 60_000, NOW, 'en')).toBe('2 minutes ago');
    expect(formatDuration(4 * 86_400_000, 'zh-CN')).toBe('4天');
  });

  it('marks a key inside its warning window as expiring soon, names it in the tooltip and puts its days on the badge', () => {
    expect(isExpiringSoon(status.reading, DEFAULT_SETTINGS, NOW)).toBe(true);
    expect(isExpiringSoon(reading({ expiresAt: NOW_S + 8 * 86_400 }), DEFAULT_SETTINGS, NOW)).toBe(false);
    const views = rankKeys([keys[0]!, soonKey], { ...statuses, soon: status }, DEFAULT_SETTINGS, NOW);
    expect(views[0]).toMatchObject({ state: 'ok', expiringSoon: true });
    const badge = badgeFor(views, labels, NOW);
    expect(badge).toMatchObject({ text: '3d', color: BADGE_COLORS.low });
    expect(badge.title).toContain('soon: expires in 3 days');
    expect(badge.title).not.toContain('all fine');
  });
});

describe('runway: a key its own forecast says runs out soon is low (issue #16 §4)', () => {
  const DAY_MS = 86_400_000;
  const burning = (days: number | null, r: Reading = reading()): KeyStatus => ({
    ...ok(r),
    trend: { burnPerDay: 1, runsOutAt: days === null ? null : NOW + days * DAY_MS, sparkline: [] },
  });

  it('is on by default, at 3 days', () => {
    expect(DEFAULT_SETTINGS.forecastWarningDays).toBe(3);
  });

  it.each<[string, KeyStatus, string]>([
    ['well above its threshold, runs out in 2 days', burning(2), 'low'],
    ['runs out in 2 days 23 hours', burning(2.99), 'low'],
    ['runs out in exactly 3 days', burning(3), 'ok'],
    ['runs out in 10 days', burning(10), 'ok'],
    ['no forecast', burning(null), 'ok'],
    ['a forecast already past, money still left', burning(-0.5), 'low'],
    ['unlimited keys have no runway', burning(1, reading({ unlimited: true, remaining: null, granted: null })), 'ok'],
    ['an exhausted key stays exhausted', burning(1, reading({ remaining: 0 })), 'exhausted'],
    [
      'a capped window still wins over low',
      burning(
        1,
        reading({
          windows: [
            {
              name: '5h',
              scope: 'key',
              unit: 'USD',
              used: 5,
              limit: 5,
              remaining: 0,
              percentUsed: 100,
              resetsAt: NOW_S + 3600,
              resets: true,
              rolling: false,
            },
          ],
        }),
      ),
      'capped',
    ],
  ])('%s: %s', (_, status, state) => {
    expect(keyState(key, status, DEFAULT_SETTINGS, NOW)).toBe(state);
  });

  it('is off at 0 days', () => {
    expect(keyState(key, burning(1), { ...DEFAULT_SETTINGS, forecastWarningDays: 0 }, NOW)).toBe('ok');
  });
});
