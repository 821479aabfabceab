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
    expect(shown.querySelector('.row-note')?.textContent).toBe('runs out in about 2 days');
  });

  it('a key with ten days of runway says nothing of it at a glance', () => {
    const shown = row(burning(10));
    expect(shown.getAttribute('data-state')).toBe('ok');
    expect(shown.querySelector('.row-note')).toBeNull();
  });
});

describe("the plan a key is on, in the row's details (issue #16)", () => {
  it('names the plan the gateway gave', () => {
    render(<KeyRow keyConfig={key} status={usdStatus(80, { plan: 'Claude Pro' })} state="ok" now={NOW} locale="en-US" />);
    fireEvent.click(screen.getByRole('button', { name: /CI pipeline/ }));
    expect(screen.getByText('Plan: Claude Pro')).toBeTruthy();
  });
});
