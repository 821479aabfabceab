import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeAlerts } from '@/lib/alerts';
import { countConcerns, judgeKey, verdictOf } from '@/lib/attention';
import { badgeFor } from '@/lib/badge';
import type { KeyConfig, KeyState, KeyStatus } from '@/lib/model';
import { attentionCounts, sortViews, totalsByUnit } from '@/lib/popup-view';
import { DEFAULT_SETTINGS, type KeyView, rankKeys } from '@/lib/state';
import { withTokenViews } from '@/lib/token-views';
import { makeKey, NOW, NOW_S, usdStatus } from './helpers';

const DAY_S = 86_400;
const key = (id: string, fields: Partial<KeyConfig> = {}): KeyConfig =>
  makeKey({ id, label: id, baseUrl: 'https://relay.example.com', secret: `sk-${id}`, ...fields });
const failed = (kind: 'auth' | 'network', remaining: number | null = null): KeyStatus => ({
  ...(remaining === null ? { reading: null } : usdStatus(remaining)),
  error: { kind, message: 'HTTP 401: invalid token', at: NOW },
  attemptedAt: NOW,
  failures: 1,
});

/** Each situation of issue #19, item 1, and what every surface must say about it. */
const CASES: [string, KeyStatus | undefined, Partial<KeyConfig>, { concern: string; attention: boolean }][] = [
  ['fine', usdStatus(8), {}, { concern: 'ok', attention: false }],
  ['ok, expiring in 3 days', usdStatus(8, { expiresAt: NOW_S + 3 * DAY_S }), {}, { concern: 'expiring', attention: true }],
  [
    'ok, expiring in 7 days (the window’s edge)',
    usdStatus(8, { expiresAt: NOW_S + 7 * DAY_S }),
    {},
    { concern: 'expiring', attention: true },
  ],
  ['ok, expiring in 8 days', usdStatus(8, { expiresAt: NOW_S + 8 * DAY_S }), {}, { concern: 'ok', attention: false }],
  ['never read', undefined, {}, { concern: 'pending', attention: false }],
  ['low', usdStatus(0.5), {}, { concern: 'low', attention: true }],
  ['low and expiring', usdStatus(0.5, { expiresAt: NOW_S + DAY_S }), {}, { concern: 'low', attention: true }],
  ['used up', usdStatus(0), {}, { concern: 'exhausted', attention: true }],
  ['expired', usdStatus(8, { expiresAt: NOW_S - DAY_S }), {}, { concern: 'expired', attention: true }],
  [
    'expired, then refused by the site',
    { ...failed('auth'), reading: usdStatus(8, { expiresAt: NOW_S - DAY_S }).reading },
    {},
    { concern: 'expired', attention: true },
  ],
  ['refused', failed('auth'), {}, { concern: 'invalid', attention: true }],
  ['unreadable', failed('network', 8), {}, { concern: 'error', attention: true }],
  ['muted and expired', usdStatus(8, { expiresAt: NOW_S - DAY_S }), { muted: true }, { concern: 'expired', attention: false }],
  ['muted and expiring', usdStatus(8, { expiresAt: NOW_S + DAY_S }), { muted: true }, { concern: 'expiring', attention: false }],
  ['muted and refused', failed('auth'), { muted: true }, { concern: 'invalid', attention: false }],
  ['pinned and low', usdStatus(0.5), { pinned: true }, { concern: 'low', attention: true }],
];

describe('one verdict (issue #19, item 1; automation.md §4 data-attention)', () => {
  it.each(CASES)('%s', (_, status, fields, expected) => {
    const verdict = judgeKey(key('k', fields), status, DEFAULT_SETTINGS, NOW);
    expect(verdict).toEqual({ ...expected, muted: fields.muted === true });
    // The ranked view (the popup's, the badge's) says the same.
    const [view] = rankKeys([key('k', fields)], status ? { k: status } : {}, DEFAULT_SETTINGS, NOW);
    expect(verdictOf(view as KeyView)).toEqual(verdict);
  });

  it('says "Needs access" for a key that could not be read because its site is not granted; only a failed read needs attention', () => {
    expect(judgeKey(key('k'), failed('network'), DEFAULT_SETTINGS, NOW, true)).toEqual({
      concern: 'no-access',
      attention: true,
      muted: false,
    });
    expect(judgeKey(key('k'), undefined, DEFAULT_SETTINGS, NOW, true)).toEqual({ concern: 'no-access', attention: false, muted: false });
    // A refusal is the site's answer, not a missing grant.
    expect(judgeKey(key('k'), failed('auth'), DEFAULT_SETTINGS, NOW, true).concern).toBe('invalid');
  });

  it('follows the expiry warning setting: its largest day is the window', () => {
    const settings = { ...DEFAULT_SETTINGS, expiryWarningDays: [2] };
    expect(judgeKey(key('k'), usdStatus(8, { expiresAt: NOW_S + 3 * DAY_S }), settings, NOW).attention).toBe(false);
    expect(judgeKey(key('k'), usdStatus(8, { expiresAt: NOW_S + DAY_S }), settings, NOW).attention).toBe(true);
  });
});

const labels = {
  name: 'Quota Glance',
  attention: (n: number) => `${n} need attention`,
  allOk: 'all fine',
  concern: (c: string) => c,
  counts: (by: Partial<Record<string, number>>) =>
    Object.entries(by)
      .map(([c, n]) => `${n} ${c}`)
      .join(', '),
  figure: () => null,
  expiring: () => 'expires soon',
};

describe('the badge, the headline and the notifications count the same keys', () => {
  const all = CASES.map(([name, status, fields]) => ({ key: key(name, fields), status }));
  const ranked = rankKeys(
    all.map((c) => c.key),
    Object.fromEntries(all.flatMap((c) => (c.status ? [[c.key.id, c.status]] : []))),
    DEFAULT_SETTINGS,
    NOW,
  );

  it('counts every key that needs attention and no muted one', () => {
    const expected = CASES.filter(([, , , v]) => v.attention).length;
    expect(countConcerns(ranked).total).toBe(expected);
    expect(attentionCounts(ranked, () => false).attention).toBe(expected);
    expect(attentionCounts(ranked, () => false)).toMatchObject({ muted: 3, pending: 1, expiring: 2 });
    const badge = badgeFor(ranked, labels, NOW);
    expect(badge.title.split('\n')[0]).toBe(`Quota Glance: ${expected} need attention`);
    expect(badge.title).not.toContain('muted and');
  });

  it('is amber with the days left for a key that works but expires in 3 days, and the tooltip counts it', () => {
    const views = rankKeys([key('soon'), key('fine')], { soon: CASES[1]![1]!, fine: usdStatus(8) }, DEFAULT_SETTINGS, NOW);
    const badge = badgeFor(views, labels, NOW);
    expect(badge.text).toBe('3d');
    expect(badge.title.split('\n').slice(0, 3)).toEqual(['Quota Glance: 1 need attention', '1 expiring', '• soon: expires soon']);
  });

  it('is empty when the only troubled keys are muted or not read yet', () => {
    const views = rankKeys(
      [key('gone', { muted: true }), key('new'), key('fine')],
      { gone: CASES[8]![1]!, fine: usdStatus(8) },
      DEFAULT_SETTINGS,
      NOW,
    );
    expect(badgeFor(views, labels, NOW)).toMatchObject({ text: '', title: 'Quota Glance: all fine' });
  });

  it('is empty exactly when no key needs attention, whatever the keys (property)', () => {
    const statusOf = fc.constantFrom(...CASES.map(([, status]) => status));
    fc.assert(
      fc.property(fc.array(fc.tuple(statusOf, fc.boolean(), fc.boolean()), { maxLength: 12 }), (rows) => {
        const keys = rows.map(([, muted, pinned], i) => key(`k${i}`, { muted, pinned }));
        const statuses = Object.fromEntries(rows.flatMap(([status], i) => (status ? [[`k${i}`, status]] : [])));
        const views = rankKeys(keys, statuses, DEFAULT_SETTINGS, NOW);
        const count = attentionCounts(views, () => false).attention;
        expect(badgeFor(views, labels, NOW).text === '').toBe(count === 0);
        expect(countConcerns(views).total).toBe(count);
      }),
      { numRuns: 300 },
    );
  });

  it('counts a muted account’s watched tokens as muted too', () => {
    const account = key('acct', { kind: 'newapi-user', userId: 1, watchTokens: true, muted: true });
    const reading = {
      ...usdStatus(5).reading!,
      kind: 'newapi-user' as const,
      scope: 'account' as const,
      tokens: [{ id: 7, name: 'dead', status: 1, remaining: 0, granted: 10, used: 10, unlimited: false, expiresAt: null }],
    };
    const views = withTokenViews(rankKeys([account], { acct: { ...usdStatus(5), reading } }, DEFAULT_SETTINGS, NOW), DEFAULT_SETTINGS, NOW);
    expect(views.map((v) => [v.key.label, v.state, verdictOf(v).muted])).toEqual([
      ['acct', 'ok', true],
      ['dead', 'exhausted', true],
    ]);
    expect(countConcerns(views).total).toBe(0);
  });
});

describe('totals count only money that can still be spent (issue #19, item 3)', () => {
  it('leaves out expired, exhausted, refused and muted keys', () => {
    const views = rankKeys(
      [key('fine'), key('low'), key('gone'), key('refused'), key('quiet', { muted: true })],
      {
        fine: usdStatus(8),
        low: usdStatus(0.5),
        gone: usdStatus(8, { expiresAt: NOW_S - DAY_S }),
        refused: failed('auth', 3),
        quiet: usdStatus(4),
      },
      DEFAULT_SETTINGS,
      NOW,
    );
    expect(totalsByUnit(views)).toEqual([{ unit: { code: 'USD' }, amount: 8.5 }]);
  });
});

describe('pinned keys are on top in every order (automation.md §3.1)', () => {
  const keys = [key('a-fine'), key('b-low'), key('z-pinned', { pinned: true }), key('c-gone')];
  const views = rankKeys(
    keys,
    {
      'a-fine': usdStatus(8),
      'b-low': usdStatus(0.5),
      'z-pinned': usdStatus(9),
      'c-gone': usdStatus(8, { expiresAt: NOW_S - DAY_S }),
    },
    DEFAULT_SETTINGS,
    NOW,
  );
  it.each(['urgency', 'name', 'remaining', 'expiry'] as const)('sorted by %s', (sort) => {
    const order = sortViews(views, sort).map((v) => v.key.label);
    expect(order[0]).toBe('z-pinned');
    expect(order.slice(1)).toEqual(
      sortViews(
        views.filter((v) => !v.key.pinned),
        sort,
      ).map((v) => v.key.label),
    );
  });
});

describe('muted keys never alert (automation.md §3.1, §5.1)', () => {
  it('remembers the crossing but announces nothing, and announces later crossings once unmuted', () => {
    const gone: KeyState = 'expired';
    const status = usdStatus(8, { expiresAt: NOW_S - DAY_S });
    const muted = judgeAlerts(key('k', { muted: true }), status, gone, undefined, DEFAULT_SETTINGS, NOW);
    expect(muted.alerts).toEqual([]);
    expect(muted.memory.state).toBe('expired');
    const loud = judgeAlerts(key('k'), status, gone, undefined, DEFAULT_SETTINGS, NOW);
    expect(loud.alerts).toEqual([{ kind: 'state', state: 'expired' }]);
    // An expiry warning is silenced too.
    const soon = usdStatus(8, { expiresAt: NOW_S + DAY_S });
    expect(judgeAlerts(key('k', { muted: true }), soon, 'ok', undefined, DEFAULT_SETTINGS, NOW).alerts).toEqual([]);
    expect(judgeAlerts(key('k'), soon, 'ok', undefined, DEFAULT_SETTINGS, NOW).alerts.map((a) => a.kind)).toEqual(['expiring']);
  });
});
