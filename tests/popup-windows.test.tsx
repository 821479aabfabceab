// @vitest-environment happy-dom
import { cleanup, fireEvent, render, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { windowLine } from '@/components/WindowList';
import { App } from '@/entrypoints/popup/App';
import type { KeyConfig, KeyStatus, Reading } from '@/lib/model';
import { DEFAULT_SETTINGS } from '@/lib/state';
import type { QuotaWindow, ShownWindow } from '@/lib/windows';
import { makeKey, NOW, NOW_S, usdReading } from './helpers';
import { speak, speakEnglish } from './speak';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const RESET = NOW_S + 2 * 3600 + 13 * 60;
const win = (fields: Partial<QuotaWindow>): QuotaWindow => ({
  name: '5h',
  scope: 'key',
  unit: 'USD',
  limit: 5,
  used: 5,
  remaining: 0,
  percentUsed: 100,
  resetsAt: RESET,
  resets: true,
  rolling: false,
  ...fields,
});
const week = win({ name: 'week', limit: 50, used: 20, remaining: 30, percentUsed: 40, resetsAt: NOW_S + 4 * 86_400 });
const key = (label: string): KeyConfig => makeKey({ id: label, label, baseUrl: 'https://relay.example.com', secret: `sk-${label}` });
const status = (reading: Reading): KeyStatus => ({ reading, error: null, attemptedAt: NOW, failures: 0 });

const ROW = ['data-state', 'data-remaining', 'data-unit', 'data-resets-at'];
const WINDOW = ['data-window', 'data-window-unit', 'data-used', 'data-limit', 'data-remaining', 'data-resets-at'];
const attrs = (element: Element | null | undefined, names: string[]) => names.map((n) => element?.getAttribute(n) ?? null);
const rowOf = (container: Element, label: string) => container.querySelector(`[data-key-row][data-label="${label}"]`) as HTMLElement;
const windowsOf = (row: Element) => [...row.querySelectorAll('[data-window]')];

function popup(entries: [string, Reading][]) {
  return render(
    <App
      locale="en-US"
      initial={{
        keys: entries.map(([label]) => key(label)),
        statuses: Object.fromEntries(entries.map(([label, reading]) => [label, status(reading)])),
        settings: DEFAULT_SETTINGS,
      }}
    />,
  );
}

describe('popup: a key limited by quota windows (automation.md §4, §4.1)', () => {
  it('a capped key says so, when it works again, its tightest window at a glance and every window once opened', () => {
    const { container } = popup([['CI key', usdReading(8, { windows: [win({}), week] })]]);
    const row = rowOf(container, 'CI key');
    // The key's own balance stays its figure; the row waits for the 5-hour window.
    expect(attrs(row, ROW)).toEqual(['capped', '8', 'USD', String(RESET)]);
    expect(within(row).getByText('Window full').className).toBe('chip chip-capped');
    expect(row.className).toContain('row-capped');
    expect(windowsOf(row).map((w) => attrs(w, WINDOW))).toEqual([
      ['5h', 'USD', '5', '5', '0', String(RESET)],
      ['week', 'USD', '20', '50', '30', String(NOW_S + 4 * 86_400)],
    ]);
    // Closed: the full window beside the balance, with a bar and its reset; the weekly one waits in the details.
    const [fiveHour, weekly] = windowsOf(row) as HTMLElement[];
    expect(fiveHour?.hidden).toBe(false);
    expect(fiveHour?.textContent).toBe('5-hour: $0.00 of $5.00 left · resets in 2 hr 13 min');
    expect(
      within(fiveHour as HTMLElement)
        .getByRole('meter')
        .getAttribute('aria-valuenow'),
    ).toBe('0');
    expect(weekly?.hidden).toBe(true);
    fireEvent.click(within(row).getByRole('button', { expanded: false }));
    expect(weekly?.hidden).toBe(false);
    expect(weekly?.textContent).toBe('weekly: $30.00 of $50.00 left · resets in 4 days');
    // The summary counts it among the keys that need attention.
    expect(container.querySelector('[data-summary]')?.textContent).toContain('1 window full');
  });

  it('a key without a balance of its own shows its tightest window’s remaining and unit', () => {
    const percent = win({ name: 'month', unit: 'percent', limit: 100, used: 85, remaining: 15, percentUsed: 85, resetsAt: null });
    const reading = usdReading(8, { remaining: null, granted: null, used: null, windows: [week, percent] });
    const { container } = popup([['GLM plan', reading]]);
    const row = rowOf(container, 'GLM plan');
    // 15 % left of the month is under the 20 % low share.
    expect(attrs(row, ROW)).toEqual(['low', '15', 'percent', '']);
    expect(row.querySelector('.amount')?.textContent).toBe('15%');
    expect(windowsOf(row).map((w) => (w as HTMLElement).hidden)).toEqual([true, false]);
    expect(windowsOf(row)[1]?.textContent).toBe('monthly: 85% used');
  });

  it('a full window whose reset has passed no longer caps the key; one with an unknown reset does, with no time', () => {
    const { container } = popup([
      ['passed', usdReading(8, { windows: [win({ resetsAt: NOW_S - 60 })] })],
      ['unknown', usdReading(8, { windows: [win({ resetsAt: null })] })],
    ]);
    expect(attrs(rowOf(container, 'passed'), ROW)).toEqual(['ok', '8', 'USD', '']);
    expect(attrs(rowOf(container, 'unknown'), ROW)).toEqual(['capped', '8', 'USD', '']);
    expect(rowOf(container, 'unknown').textContent).not.toContain('resets in');
  });

  it('far rows, drawn lite, still carry every window element with its attributes', () => {
    const entries = Array.from({ length: 60 }, (_, i): [string, Reading] => [
      `key ${String(i).padStart(2, '0')}`,
      usdReading(8, { windows: [win({ used: 1, remaining: 4, percentUsed: 20 }), week] }),
    ]);
    const { container } = popup(entries);
    const last = rowOf(container, 'key 59');
    expect(last.className).toContain('row-lite');
    expect(windowsOf(last).map((w) => attrs(w, WINDOW))).toEqual([
      ['5h', 'USD', '1', '5', '4', String(RESET)],
      ['week', 'USD', '20', '50', '30', String(NOW_S + 4 * 86_400)],
    ]);
    expect(container.querySelectorAll('[data-window]')).toHaveLength(120);
  });
});

describe('a window line in Chinese and Japanese (issue #19, item 4)', () => {
  const w: ShownWindow = {
    name: '5h',
    scope: 'key',
    unit: 'USD',
    limit: 5,
    used: 5,
    remaining: 0,
    percentUsed: 100,
    resetsAt: null,
    resets: true,
    rolling: false,
  };
  afterEach(speakEnglish);

  it.each([
    ['zh_CN.yml', 'zh-CN'],
    ['ja.yml', 'ja'],
  ])('%s: the name and its figure joined by the full-width colon, no ASCII one', (file, locale) => {
    speak(file);
    const line = windowLine(w, { code: 'USD' }, NOW, locale);
    expect(line).toContain('：');
    expect(line).not.toMatch(/: /);
  });

  it('en keeps "5-hour: …"', () => {
    expect(windowLine(w, { code: 'USD' }, NOW, 'en-US')).toMatch(/^5-hour: /);
  });
});
