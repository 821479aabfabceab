// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyRow } from '@/components/KeyRow';
import type { KeyStatus } from '@/lib/model';
import { DEFAULT_SETTINGS, keyState } from '@/lib/state';
import { makeKey, NOW, usdStatus } from './helpers';

afterEach(cleanup);

const key = makeKey({ id: 'ci', label: 'CI pipeline', baseUrl: 'https://relay.example.com', secret: 'sk-x' });
const burning = (days: number): KeyStatus => ({
  ...usdStatus(80),
  trend: { burnPerDay: 40, runsOutAt: NOW + days * 86_400_000, sparkline: [] },
});
const row = (status: KeyStatus) => {
  const state = keyState(key, status, DEFAULT_SETTINGS, NOW);
  const { container } = render(<KeyRow keyConfig={key} status={status} state={state} now={NOW} locale="en-US" />);
  return container.querySelector('[data-key-row]') as HTMLElement;
};

describe('the runway on the row (issue #16 §4)', () => {
  it('a key well above its threshold that runs out in 2 days is low, and its row says so without opening', () => {
    const shown = row(burning(2));
    expect(shown.getAttribute('data-state')).toBe('low');
    // One line with its spend, in the warning colour (issue #19, item 3): not a second note.
    const trend = shown.querySelector('.row-trend');
    expect(trend?.textContent).toBe('$40.00/day · runs out in about 2 days');
    expect(trend?.className).toContain('warn');
    expect(shown.querySelector('.row-note')).toBeNull();
  });

  it('a key with ten days of runway shows its spend and runway short, not as a warning', () => {
    const shown = row(burning(10));
    expect(shown.getAttribute('data-state')).toBe('ok');
    const trend = shown.querySelector('.row-trend');
    expect(trend?.textContent).toBe('$40.00/day · ~10 days');
    expect(trend?.getAttribute('title')).toBe('$40.00 a day · runs out in about 10 days');
    expect(trend?.className).not.toContain('warn');
    expect(shown.querySelector('.row-note')).toBeNull();
  });

  it('a key without a history says nothing of spend or runway', () => {
    expect(row(usdStatus(80)).querySelector('.row-trend')).toBeNull();
  });
});

describe("the plan a key is on, in the row's details (issue #16)", () => {
  it('names the plan the gateway gave', () => {
    render(<KeyRow keyConfig={key} status={usdStatus(80, { plan: 'Claude Pro' })} state="ok" now={NOW} locale="en-US" />);
    fireEvent.click(screen.getByRole('button', { name: /CI pipeline/ }));
    expect(screen.getByText('Plan: Claude Pro')).toBeTruthy();
  });
});
