import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { announce } from '@/entrypoints/background/notify';
import { showBadge } from '@/entrypoints/background/wiring';
import { type AlertMemory, judgeAlerts } from '@/lib/alerts';
import { BADGE_COLORS, badgeFor } from '@/lib/badge';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import type { PlanReading } from '@/lib/schema';
import { DEFAULT_SETTINGS, keyState, rankKeys } from '@/lib/state';
import { keysItem, statusesItem } from '@/lib/storage/items';
import { planChildren } from '@/lib/token-views';
import { badgeResetIn, formatResetIn } from '@/lib/window-format';
import type { QuotaWindow } from '@/lib/windows';
import { makeKey, NOW, NOW_S, usdReading } from './helpers';

const MIN = 60;
const HOUR = 3600;
const full = (resetsAt: number | null, name = '5h'): QuotaWindow => ({
  name,
  scope: 'key',
  unit: 'USD',
  limit: 5,
  used: 5,
  remaining: 0,
  percentUsed: 100,
  resetsAt,
  resets: true,
  rolling: false,
});
const room = (): QuotaWindow => ({ ...full(NOW_S + HOUR), used: 1, remaining: 4, percentUsed: 20 });
const capped = (windows: QuotaWindow[], remaining = 8): KeyStatus => ({
  reading: usdReading(remaining, { windows }),
  error: null,
  attemptedAt: NOW,
  failures: 0,
});
const key = (label: string, id = label): KeyConfig => makeKey({ id, label, baseUrl: 'https://relay.example.com', secret: `sk-${id}` });

const labels = {
  name: 'Quota Glance',
  attention: (n: number) => `${n} need attention`,
  allOk: 'all fine',
  concern: (s: string) => s,
  counts: () => '',
  figure: () => null,
  expiring: () => 'expires soon',
  resumes: (at: number) => `works again at ${at}`,
};
const badgeOf = (statuses: Record<string, KeyStatus>) =>
  badgeFor(
    rankKeys(
      Object.keys(statuses).map((id) => key(id)),
      statuses,
      DEFAULT_SETTINGS,
      NOW,
    ),
    labels,
    NOW,
  );

describe('the badge of a capped key (automation.md §5)', () => {
  it.each<[string, number, string]>([
    ['35 minutes', 35 * MIN, '35m'],
    ['2 hours 13 minutes, rounded up', 2 * HOUR + 13 * MIN - 30, '3h'],
    ['exactly 2 hours', 2 * HOUR, '2h'],
    ['59 minutes 30 seconds', 59 * MIN + 30, '1h'],
    ['2 days 3 hours', 51 * HOUR, '3d'],
  ])('is amber with the time to its reset: %s (%d s)', (_, inS, text) => {
    expect(badgeOf({ ci: capped([full(NOW_S + inS)]) })).toMatchObject({ text, color: BADGE_COLORS.low });
  });

  it('waits for the latest of two full windows, and says ! when a full window’s reset is unknown', () => {
    expect(badgeOf({ ci: capped([full(NOW_S + 35 * MIN), full(NOW_S + 5 * HOUR, 'week')]) }).text).toBe('5h');
    expect(badgeOf({ ci: capped([full(NOW_S + 35 * MIN), full(null, 'day')]) })).toMatchObject({ text: '!', color: BADGE_COLORS.low });
  });

  it('gives way to a refused key (red), and wins over a low one', () => {
    const low = capped([room()], 0.5);
    const refused: KeyStatus = { ...capped([room()]), error: { kind: 'auth', message: 'HTTP 401', at: NOW } };
    expect(badgeOf({ a: capped([full(NOW_S + 2 * HOUR)]), b: low })).toMatchObject({ text: '2h', color: BADGE_COLORS.low });
    expect(badgeOf({ a: capped([full(NOW_S + 2 * HOUR)]), b: refused })).toMatchObject({ text: '!', color: BADGE_COLORS.alert });
  });

  it('names the capped key in the tooltip with when it works again', () => {
    expect(badgeOf({ ci: capped([full(NOW_S + 2 * HOUR)]) }).title).toContain(`• ci: capped, works again at ${NOW_S + 2 * HOUR}`);
  });

  it('is empty again once the window’s reset has passed', () => {
    expect(badgeOf({ ci: capped([full(NOW_S - 1)]) }).text).toBe('');
  });

  it.each([
    [30_000, '1m'],
    [0, '!'],
    [-5_000, '!'],
    [2000 * 86_400_000, '!'],
  ])('badgeResetIn(%d) is %s', (ms, text) => {
    expect(badgeResetIn(ms)).toBe(text);
  });
});

describe('the popup’s words for a reset', () => {
  it.each([
    [(2 * HOUR + 13 * MIN) * 1000, '2 hr 13 min'],
    [35 * MIN * 1000, '35 min'],
    [2 * HOUR * 1000, '2 hr'],
    [(3 * 24 + 4) * HOUR * 1000, '3 days'],
    [Number.NaN, '(unknown)'],
  ])('%d ms is "%s"', (ms, text) => {
    expect(formatResetIn(ms, 'en-US')).toBe(text);
  });

  it('in ja and zh-CN, as their own words are written: no space inside "2時間13分", "2小时13分钟"', () => {
    const ms = (2 * HOUR + 13 * MIN) * 1000;
    expect(formatResetIn(ms, 'ja')).toBe('2時間13分');
    expect(formatResetIn(ms, 'zh-CN')).toBe('2小时13分钟');
    expect(formatResetIn(35 * MIN * 1000, 'ja')).toBe('35分');
  });
});

describe('a crossing into capped is announced once (automation.md §5)', () => {
  const ci = key('CI key', 'ci');
  function run(statuses: KeyStatus[]) {
    let memory: AlertMemory | undefined;
    return statuses.map((status) => {
      const judged = judgeAlerts(ci, status, keyState(ci, status, DEFAULT_SETTINGS, NOW), memory, DEFAULT_SETTINGS, NOW);
      memory = judged.memory;
      return judged.alerts;
    });
  }

  it('once, with the window that holds it longest and when it works again; again only after it recovered', () => {
    const twoFull = capped([full(NOW_S + HOUR), full(NOW_S + 5 * HOUR, 'week')]);
    const rounds = run([capped([room()]), twoFull, twoFull, capped([room()]), capped([full(NOW_S + HOUR)])]);
    expect(rounds).toEqual([
      [],
      [{ kind: 'state', state: 'capped', window: 'week', resumesAt: NOW_S + 5 * HOUR }],
      [],
      [{ kind: 'restored', state: 'ok', from: 'capped' }],
      [{ kind: 'state', state: 'capped', window: '5h', resumesAt: NOW_S + HOUR }],
    ]);
  });

  it('a capped key that runs low on its balance is not announced again; one that is used up is', () => {
    const rounds = run([capped([full(NOW_S + HOUR)]), capped([full(NOW_S + HOUR)], 0.5), capped([full(NOW_S + HOUR)], 0)]);
    expect(rounds.map((alerts) => alerts.map((a) => a.state))).toEqual([['capped'], [], ['exhausted']]);
  });
});

describe('the notification of a capped key', () => {
  afterEach(() => vi.useRealTimers());

  function capture() {
    const created: { id: string; title: string; message: string; priority?: number }[] = [];
    Object.assign(fakeBrowser.notifications, {
      create: vi.fn(async (id: string, options: { title: string; message: string; priority?: number }) => {
        created.push({ id, ...options });
        return id;
      }),
    });
    return created;
  }

  it('says which window is full and when, in local time, the key works again', async () => {
    // 13:00 local time; the window resets at 15:20 local time, whatever the machine's timezone.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 10, 22, 13, 0));
    const resumesAt = new Date(2026, 10, 22, 15, 20).getTime() / 1000;
    const created = capture();
    await keysItem.setValue([key('CI key', 'ci')]);
    await statusesItem.setValue({ ci: capped([full(resumesAt)]) });
    await announce([{ key: key('CI key', 'ci'), alert: { kind: 'state', state: 'capped', window: '5h', resumesAt } }]);
    expect(created).toEqual([
      expect.objectContaining({ title: 'CI key: 5-hour window full', message: 'works again at 15:20 · relay.example.com', priority: 0 }),
    ]);
  });

  it('a refused key: the notification names every reason a bare 401 may mean, used up and expired too (new-api.md §5)', async () => {
    const created = capture();
    await keysItem.setValue([key('Build server', 'b')]);
    await announce([{ key: key('Build server', 'b'), alert: { kind: 'state', state: 'invalid' } }]);
    expect(created.map((n) => [n.title, n.message])).toEqual([
      [
        'Build server: Refused',
        'The gateway refuses this key: used up, expired, disabled, deleted or mistyped. Check it on relay.example.com.',
      ],
    ]);
  });

  it('gives the date of a reset more than a day away, and says so when the reset is unknown', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 10, 22, 13, 0));
    const created = capture();
    const weekly = new Date(2026, 10, 25, 9, 5).getTime() / 1000;
    await announce([{ key: key('Team', 't'), alert: { kind: 'state', state: 'capped', window: 'week', resumesAt: weekly } }]);
    await announce([{ key: key('Plan key', 'p'), alert: { kind: 'state', state: 'capped', window: 'Pro Monthly' } }]);
    expect(created.map((n) => [n.title, n.message])).toEqual([
      ['Team: weekly window full', 'works again at Nov 25, 09:05 · relay.example.com'],
      ['Plan key: Pro Monthly window full', 'works again when the window resets · relay.example.com'],
    ]);
  });

  it('the badge in the browser is amber with the time to the reset, and its tooltip says when it works again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 10, 22, 13, 0));
    const resumesAt = new Date(2026, 10, 22, 15, 20).getTime() / 1000;
    await keysItem.setValue([key('CI key', 'ci')]);
    await statusesItem.setValue({
      ci: { ...capped([full(resumesAt)]), reading: usdReading(8, { windows: [full(resumesAt)], fetchedAt: Date.now() }) },
    });
    await showBadge();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('3h');
    expect(await fakeBrowser.action.getTitle({})).toContain('• CI key: Window full, $8.00 left, works again 15:20');
  });
});

describe('a new-api plan is judged as a window of its account (new-api-accounts.md §B)', () => {
  const account: KeyConfig = { ...key('my account', 'acc'), kind: 'newapi-user', userId: 7 };
  const plan = {
    id: 311,
    planId: 4,
    title: 'Pro',
    remaining: 0,
    total: 25,
    used: 25,
    unlimited: false,
    resetsAt: NOW_S + HOUR,
    endsAt: NOW_S + 20 * 86_400,
  };
  const accountStatus = (fields: Partial<PlanReading>): KeyStatus => ({
    reading: usdReading(30, { kind: 'newapi-user', scope: 'account', granted: null, used: null, plans: [{ ...plan, ...fields }] }),
    error: null,
    attemptedAt: NOW,
    failures: 0,
  });
  const judged = (fields: Partial<PlanReading>) => {
    const [child] = planChildren(account, accountStatus(fields));
    if (!child) throw new Error('no plan child');
    const state = keyState(child.key, child.status, DEFAULT_SETTINGS, NOW);
    return { state, alerts: judgeAlerts(child.key, child.status, state, undefined, DEFAULT_SETTINGS, NOW).alerts };
  };

  it('a full plan waits for its reset: capped, announced with the plan’s name and when it works again', () => {
    expect(judged({})).toEqual({ state: 'capped', alerts: [{ kind: 'state', state: 'capped', window: 'Pro', resumesAt: NOW_S + HOUR }] });
  });

  it('a plan under 20 % of its window is low; one that never resets again and is used up is exhausted', () => {
    expect(judged({ remaining: 4, used: 21 }).state).toBe('low');
    expect(judged({ remaining: 6, used: 19 }).state).toBe('ok');
    expect(judged({ resetsAt: null }).state).toBe('exhausted');
  });
});
