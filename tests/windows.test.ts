import { describe, expect, it } from 'vitest';
import type { Reading } from '@/lib/model';
import { isSaneWindow, toNumber, toUnixSeconds, toWindow, type WindowFacts } from '@/lib/window-facts';
import { judgeWindows, planWindow, type QuotaWindow, resumesAt, tightestWindow, windowLeft } from '@/lib/windows';
import { NOW_S, usdReading } from './helpers';

/** A window as a reader would build it; `fields` override. */
const win = (fields: Partial<QuotaWindow> = {}): QuotaWindow => ({
  name: '5h',
  scope: 'key',
  unit: 'USD',
  limit: 10,
  used: 4,
  remaining: 6,
  percentUsed: 40,
  resetsAt: NOW_S + 3600,
  resets: true,
  rolling: false,
  ...fields,
});
const withWindows = (windows: QuotaWindow[]): Reading => usdReading(5, { windows });

describe('numbers (relays.md §1.1 rule 1)', () => {
  it.each([
    [12.5, 12.5],
    [0, 0],
    [-1, -1],
    ['12.5', 12.5],
    ['  7 ', 7],
    ['0', 0],
    ['1e3', 1000],
    ['.5', 0.5],
    [null, null],
    [undefined, null],
    ['', null],
    ['  ', null],
    ['abc', null],
    ['12abc', null],
    ['0x10', null],
    [true, null],
    [false, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    ['Infinity', null],
    [{}, null],
    [[1], null],
  ])('%j is %j', (value, expected) => {
    expect(toNumber(value)).toBe(expected);
  });
});

describe('times (relays.md §1.1 rule 5)', () => {
  const at = Date.UTC(2026, 11, 8, 11, 0, 0) / 1000; // 2026-12-08T11:00:00Z
  it.each([
    ['2026-12-08T11:00:00Z', at],
    ['2026-12-08T19:00:00+08:00', at],
    ['2026-12-08T19:00:00+0800', at],
    ['2026-12-08T06:30:00-04:30', at],
    ['2026-12-08T11:00:00.123Z', at],
    // Kimi sends six fraction digits.
    ['2026-12-08T11:00:00.123456Z', at],
    ['2026-12-08T19:00:00.5+08:00', at],
    ['2026-12-08 11:00:00Z', at],
    [at, at],
    [at * 1000, at],
    [at * 1000 + 999, at],
    [String(at), at],
    // No zone: the server's timezone is never assumed (rule 6).
    ['2026-12-08T11:00:00', null],
    ['2026-12-08', null],
    ['tomorrow', null],
    ['', null],
    [null, null],
    [0, null],
    [-5, null],
    [true, null],
    [1e30, null],
  ])('%j is %j', (value, expected) => {
    expect(toUnixSeconds(value)).toBe(expected);
  });
});

describe('a window from what a gateway states (relays.md §1.1 rules 2–5)', () => {
  const base: WindowFacts = { name: '5h', scope: 'key', unit: 'USD' };
  type Row = [string, Partial<WindowFacts>, Partial<QuotaWindow>];
  it.each<Row>([
    ['all stated', { limit: 10, used: 4, remaining: 6 }, { limit: 10, used: 4, remaining: 6, percentUsed: 40 }],
    ['remaining from limit − used', { limit: 10, used: 2.5 }, { remaining: 7.5, used: 2.5, percentUsed: 25 }],
    ['used from limit − remaining', { limit: 10, remaining: '7.5' }, { used: 2.5, remaining: 7.5, percentUsed: 25 }],
    ['used over the limit is clamped (Sub2API)', { limit: 50, used: 62.5, remaining: 0 }, { used: 50, remaining: 0, percentUsed: 100 }],
    ['remaining over the limit is clamped', { limit: 10, remaining: 12 }, { remaining: 10, used: 0, percentUsed: 0 }],
    ['negative remaining is clamped to 0', { limit: 10, used: 12 }, { remaining: 0, used: 10, percentUsed: 100 }],
    ['a stated percent wins, clamped', { limit: 10, used: 4, percentUsed: 130 }, { percentUsed: 100, used: 4 }],
    ['strings are numbers', { limit: '20', used: '5' }, { limit: 20, used: 5, remaining: 15, percentUsed: 25 }],
    [
      'junk stays unknown, never 0',
      { limit: 'abc', used: null, remaining: '' },
      { limit: null, used: null, remaining: null, percentUsed: null },
    ],
    ['without a limit nothing is derived', { used: 3 }, { limit: null, used: 3, remaining: null, percentUsed: null }],
    ['-1 without a limit is no amount', { remaining: -1 }, { remaining: null, limit: null }],
    ['a negative limit is no limit', { limit: -1, used: 3 }, { limit: null, used: 3, remaining: null, percentUsed: null }],
    ['a 0 limit has no share', { limit: 0, used: 0 }, { limit: 0, used: 0, remaining: 0, percentUsed: null }],
    ['percent only (GLM)', { percentUsed: 37 }, { unit: 'percent', limit: 100, used: 37, remaining: 63, percentUsed: 37 }],
    ['percent only, as a string', { percentUsed: '100' }, { unit: 'percent', used: 100, remaining: 0, percentUsed: 100 }],
    ['a percent unit with used', { unit: 'percent', used: 12 }, { unit: 'percent', limit: 100, used: 12, remaining: 88, percentUsed: 12 }],
    ['a percent unit with remaining', { unit: 'percent', remaining: 30 }, { limit: 100, used: 70, remaining: 30, percentUsed: 70 }],
    ['requests', { unit: 'requests', limit: 200, used: 50 }, { unit: 'requests', remaining: 150, percentUsed: 25 }],
    ['reset from ISO', { limit: 1, resetsAt: '2026-11-22T05:00:00Z' }, { resetsAt: NOW_S + 7200, resets: true, rolling: false }],
    ['a total does not reset', { name: 'total', resets: false, limit: 50, used: 12.5, resetsAt: NOW_S }, { resets: false, resetsAt: null }],
    ['rolling', { rolling: true, limit: 5, used: 1 }, { rolling: true, resetsAt: null }],
  ])('%s', (_, facts, expected) => {
    expect(toWindow({ ...base, ...facts })).toMatchObject(expected);
  });

  it('keeps the name and scope it is given', () => {
    expect(toWindow({ name: 'month-code', scope: 'user', unit: 'tokens', limit: 1 })).toMatchObject({ name: 'month-code', scope: 'user' });
  });
});

describe('judging windows', () => {
  it.each<[string, Partial<QuotaWindow>, number | null]>([
    ['limit and remaining', { limit: 10, remaining: 2.5 }, 0.25],
    ['percent only', { limit: null, remaining: null, percentUsed: 90 }, 0.1],
    ['unknown', { limit: null, remaining: null, percentUsed: null }, null],
    ['a 0 limit with 0 left is used up', { limit: 0, remaining: 0, percentUsed: null }, 0],
  ])('the share left: %s', (_, fields, expected) => {
    const left = windowLeft(win(fields));
    if (expected === null) expect(left).toBeNull();
    else expect(left).toBeCloseTo(expected);
  });

  it.each<[string, Partial<QuotaWindow>[], string[]]>([
    ['none full', [{}], []],
    ['0 left', [{ remaining: 0 }], ['5h']],
    ['100 % used', [{ name: 'week', remaining: null, limit: null, percentUsed: 100 }], ['week']],
    ['its reset has passed', [{ remaining: 0, resetsAt: NOW_S }], []],
    ['its reset is unknown', [{ remaining: 0, resetsAt: null }], ['5h']],
    ['a total is not full but used up', [{ name: 'total', remaining: 0, resets: false, resetsAt: null }], []],
  ])('full windows: %s', (_, windows, names) => {
    expect(judgeWindows(withWindows(windows.map(win)), NOW_S, 20).full.map((w) => w.name)).toEqual(names);
  });

  it('a used-up lifetime total is used up, not full; a total with room is neither', () => {
    const total = (remaining: number) => win({ name: 'total', remaining, resets: false, resetsAt: null });
    expect(judgeWindows(withWindows([total(0)]), NOW_S, 20)).toEqual({ full: [], usedUp: true, low: false });
    expect(judgeWindows(withWindows([total(5)]), NOW_S, 20)).toEqual({ full: [], usedUp: false, low: false });
  });

  it.each<[string, (number | null)[], number | null]>([
    ['one', [NOW_S + 60], NOW_S + 60],
    ['the latest of two', [NOW_S + 60, NOW_S + 7200], NOW_S + 7200],
    ['unknown when any is', [NOW_S + 60, null], null],
  ])('works again: %s', (_, resets, expected) => {
    expect(resumesAt(resets.map((resetsAt) => win({ remaining: 0, resetsAt })))).toBe(expected);
  });

  it.each<[string, Partial<QuotaWindow>, boolean]>([
    ['19 % left is low', { limit: 100, remaining: 19 }, true],
    ['20 % left is not', { limit: 100, remaining: 20 }, false],
    ['a full window is capped, not low', { limit: 100, remaining: 0 }, false],
    ['a reset that passed says nothing', { limit: 100, remaining: 5, resetsAt: NOW_S - 1 }, false],
    ['a percent window at 85 % used', { limit: null, remaining: null, percentUsed: 85 }, true],
    ['unknown share', { limit: null, remaining: null, percentUsed: null }, false],
  ])('low under 20 %%: %s', (_, fields, expected) => {
    expect(judgeWindows(withWindows([win(fields)]), NOW_S, 20).low).toBe(expected);
  });

  it('the tightest window has the least share left', () => {
    const windows = [
      win({ name: 'day', limit: 20, remaining: 10 }),
      win({ name: 'week', limit: 100, remaining: 5 }),
      win({ name: 'x', limit: null, remaining: null, percentUsed: null }),
    ];
    expect(tightestWindow(windows)?.name).toBe('week');
    expect(tightestWindow([win({ limit: null, remaining: null, percentUsed: null })])).toBeNull();
  });

  it('a new-api plan is a window of its account, in the site unit; one that never resets again does not reset', () => {
    const plan = {
      id: 311,
      planId: 4,
      title: null,
      remaining: 9.5,
      total: 25,
      used: 15.5,
      unlimited: false,
      resetsAt: NOW_S + 600,
      endsAt: NOW_S + 86400,
    };
    expect(planWindow(plan, 'CNY', 'Plan #4')).toEqual({
      name: 'Plan #4',
      scope: 'plan',
      unit: 'CNY',
      limit: 25,
      used: 15.5,
      remaining: 9.5,
      percentUsed: 62,
      resetsAt: NOW_S + 600,
      resets: true,
      rolling: false,
    });
    expect(planWindow({ ...plan, title: 'Pro', resetsAt: null }, 'USD', 'x')).toMatchObject({ name: 'Pro', resets: false });
    expect(planWindow({ ...plan, unlimited: true, total: null, remaining: null }, 'USD', 'x')).toMatchObject({
      limit: null,
      percentUsed: null,
    });
  });

  it.each<[string, Partial<QuotaWindow>, boolean]>([
    ['an ordinary window', {}, true],
    ['unknown figures', { limit: null, used: null, remaining: null, percentUsed: null, resetsAt: null }, true],
    ['an amount out of range', { limit: 1e16 }, false],
    ['a percent over 100', { percentUsed: 101 }, false],
    ['a negative percent', { percentUsed: -1 }, false],
    ['a reset that is no date', { resetsAt: 1e12 }, false],
    ['a fractional reset', { resetsAt: NOW_S + 0.5 }, false],
  ])('bounds: %s', (_, fields, sane) => {
    expect(isSaneWindow(win(fields))).toBe(sane);
  });
});
