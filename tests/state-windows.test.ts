import { describe, expect, it } from 'vitest';
import type { KeyStatus, Reading } from '@/lib/model';
import type { PlanReading } from '@/lib/schema';
import { capping, DEFAULT_SETTINGS, keyState, rankKeys, STATE_SEVERITY, withDefaults } from '@/lib/state';
import type { QuotaWindow } from '@/lib/windows';
import { makeKey, NOW, NOW_S, usdReading } from './helpers';

const key = makeKey({ baseUrl: 'https://relay.test', secret: 's' });
const win = (fields: Partial<QuotaWindow> = {}): QuotaWindow => ({
  name: '5h',
  scope: 'key',
  unit: 'USD',
  limit: 10,
  used: 2,
  remaining: 8,
  percentUsed: 20,
  resetsAt: NOW_S + 2 * 3600,
  resets: true,
  rolling: false,
  ...fields,
});
const full = (fields: Partial<QuotaWindow> = {}) => win({ used: 10, remaining: 0, percentUsed: 100, ...fields });
const lowWindow = (fields: Partial<QuotaWindow> = {}) => win({ name: 'week', used: 9, remaining: 1, percentUsed: 90, ...fields });
const status = (reading: Reading, error: KeyStatus['error'] = null): KeyStatus => ({
  reading,
  error,
  attemptedAt: NOW,
  failures: error ? 1 : 0,
});
const state = (s: KeyStatus, settings = DEFAULT_SETTINGS) => keyState(key, s, settings, NOW);

/** Each condition of automation.md §4, as a change to a healthy reading (or its status). */
type Condition = 'expired' | 'exhausted' | 'invalid' | 'capped' | 'low';
const CONDITIONS: Record<Condition, (r: Reading, windows: QuotaWindow[]) => { reading: Reading; error?: KeyStatus['error'] }> = {
  expired: (r) => ({ reading: { ...r, expiresAt: NOW_S - 60 } }),
  exhausted: (r) => ({ reading: { ...r, remaining: 0, used: 10 } }),
  invalid: (r) => ({ reading: r, error: { kind: 'auth', message: 'HTTP 401', at: NOW } }),
  capped: (r, windows) => {
    windows.push(full());
    return { reading: r };
  },
  low: (r, windows) => {
    windows.push(lowWindow());
    return { reading: r };
  },
};
const ORDER: Condition[] = ['expired', 'exhausted', 'invalid', 'capped', 'low'];

function statusWith(conditions: Condition[]): KeyStatus {
  let reading = usdReading(8);
  let error: KeyStatus['error'] = null;
  const windows: QuotaWindow[] = [];
  for (const c of conditions) {
    const next = CONDITIONS[c](reading, windows);
    reading = next.reading;
    error = next.error ?? error;
  }
  return status(windows.length ? { ...reading, windows } : reading, error);
}

describe('states with quota windows (automation.md §4, §4.1)', () => {
  const pairs = ORDER.flatMap((a, i) => ORDER.slice(i + 1).map((b) => [a, b] as const));

  it.each(ORDER.map((c) => [c]))('%s alone', (condition) => {
    expect(state(statusWith([condition]))).toBe(condition);
  });

  it.each(pairs)('%s wins over %s', (worse, milder) => {
    expect(state(statusWith([worse, milder]))).toBe(worse);
    expect(state(statusWith([milder, worse]))).toBe(worse);
  });

  it('orders capped between invalid and low for the popup and the badge', () => {
    expect(STATE_SEVERITY.invalid).toBeLessThan(STATE_SEVERITY.capped);
    expect(STATE_SEVERITY.capped).toBeLessThan(STATE_SEVERITY.low);
  });

  it.each<[string, QuotaWindow[], string]>([
    ['a window at 0 left', [full()], 'capped'],
    ['a percent window at 100 %', [win({ unit: 'percent', limit: 100, used: 100, remaining: 0, percentUsed: 100 })], 'capped'],
    ['a share used of 100 % with no amounts', [win({ limit: null, used: null, remaining: null, percentUsed: 100 })], 'capped'],
    ['a full window whose reset has passed is no longer capped', [full({ resetsAt: NOW_S - 1 })], 'ok'],
    ['a full window with an unknown reset stays capped', [full({ resetsAt: null })], 'capped'],
    ['19 % left in a window is low', [win({ limit: 100, used: 81, remaining: 19, percentUsed: 81 })], 'low'],
    ['20 % left is not', [win({ limit: 100, used: 80, remaining: 20, percentUsed: 80 })], 'ok'],
    ['a low window whose reset passed says nothing', [lowWindow({ resetsAt: NOW_S })], 'ok'],
    ['a used-up lifetime total is exhausted, not capped', [full({ name: 'total', resets: false, resetsAt: null })], 'exhausted'],
    ['a window of unknown use is ok', [win({ limit: null, used: null, remaining: null, percentUsed: null })], 'ok'],
  ])('%s', (_, windows, expected) => {
    expect(state(status(usdReading(8, { windows })))).toBe(expected);
  });

  it('is unlimited, never 0: a key with no balance figure and roomy windows is ok', () => {
    const reading = usdReading(8, { remaining: null, granted: null, used: null, windows: [win()] });
    expect(state(status(reading))).toBe('ok');
    expect(state(status({ ...reading, unlimited: true }))).toBe('ok');
  });

  it('takes the low share of windows from settings', () => {
    const reading = usdReading(8, { windows: [win({ limit: 100, used: 70, remaining: 30, percentUsed: 70 })] });
    expect(state(status(reading))).toBe('ok');
    expect(state(status(reading), withDefaults({ windowLowPercent: 35 }))).toBe('low');
    // Settings stored before the window share get the default, 20 %.
    expect(withDefaults({ intervalMinutes: 5 }).windowLowPercent).toBe(20);
    expect(withDefaults({ windowLowPercent: 140 } as never).windowLowPercent).toBe(20);
  });

  it('works again at the latest reset among full windows, unknown when any is unknown', () => {
    const two = usdReading(8, { windows: [full({ resetsAt: NOW_S + 600 }), full({ name: 'week', resetsAt: NOW_S + 86_400 })] });
    expect(capping(two, NOW)).toEqual({ capped: true, resumesAt: NOW_S + 86_400 });
    const unknown = usdReading(8, { windows: [full({ resetsAt: NOW_S + 600 }), full({ name: 'day', resetsAt: null })] });
    expect(capping(unknown, NOW)).toEqual({ capped: true, resumesAt: null });
    // A full window whose reset passed no longer counts: the other one decides.
    const passed = usdReading(8, { windows: [full({ resetsAt: NOW_S - 5 }), full({ name: 'day', resetsAt: NOW_S + 60 })] });
    expect(capping(passed, NOW)).toEqual({ capped: true, resumesAt: NOW_S + 60 });
    expect(capping(usdReading(8, { windows: [win()] }), NOW)).toEqual({ capped: false, resumesAt: null });
  });

  it('sorts a capped key before low ones and after refused ones', () => {
    const keys = ['low', 'capped', 'invalid'].map((label) => makeKey({ id: label, label, baseUrl: 'https://r.test', secret: label }));
    const ranked = rankKeys(
      keys,
      {
        low: statusWith(['low']),
        capped: statusWith(['capped']),
        invalid: statusWith(['invalid']),
      },
      DEFAULT_SETTINGS,
      NOW,
    );
    expect(ranked.map((v) => `${v.key.label}=${v.state}`)).toEqual(['invalid=invalid', 'capped=capped', 'low=low']);
  });
});

describe('a new-api account with subscription plans (new-api-accounts.md §B.5)', () => {
  const plan = (fields: Partial<PlanReading> = {}): PlanReading => ({
    id: 311,
    planId: 4,
    title: 'Pro',
    remaining: 0,
    total: 25,
    used: 25,
    unlimited: false,
    resetsAt: NOW_S + 3 * 3600,
    endsAt: NOW_S + 20 * 86_400,
    ...fields,
  });
  const wallet = (remaining: number, plans: PlanReading[]) =>
    status(usdReading(remaining, { kind: 'newapi-user', scope: 'account', granted: null, used: null, plans }));

  it.each<[string, KeyStatus, string]>([
    ['a wallet with money pays while its plan is full', wallet(5, [plan()]), 'ok'],
    ['an empty wallet whose plan waits for its reset is capped', wallet(0, [plan()]), 'capped'],
    ['an empty wallet whose plan never resets again is exhausted', wallet(0, [plan({ resetsAt: null })]), 'exhausted'],
    ['an empty wallet whose plan has allowance left is ok', wallet(0, [plan({ remaining: 10, used: 15 })]), 'ok'],
    ['an empty wallet whose plan reset has passed is ok (the reset is lazy, §B.3)', wallet(0, [plan({ resetsAt: NOW_S - 10 })]), 'ok'],
  ])('%s', (_, s, expected) => {
    expect(state(s)).toBe(expected);
  });

  it('an empty wallet works again at the first plan reset ahead (any plan pays)', () => {
    const s = wallet(0, [plan({ resetsAt: NOW_S + 7200 }), plan({ id: 2, resetsAt: NOW_S + 600 })]);
    expect(capping(s.reading, NOW)).toEqual({ capped: true, resumesAt: NOW_S + 600 });
  });
});
