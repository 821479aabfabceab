// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { KeyForm } from '@/components/KeyForm';
import { App } from '@/entrypoints/popup/App';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import type { PlanReading } from '@/lib/providers/newapi/plans';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { NOW, NOW_S } from './helpers';

// The popup asks which sites it may contact (fakeBrowser has no permissions.*): all of them here.
beforeEach(() => {
  Object.assign(fakeBrowser.permissions, { contains: async () => true });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const plan: PlanReading = {
  id: 311,
  planId: 4,
  title: 'Pro Monthly',
  remaining: 19,
  total: 25,
  used: 6,
  unlimited: false,
  resetsAt: NOW_S + 5 * 3600,
  endsAt: NOW_S + 20 * 86400,
};

const account: KeyConfig = {
  id: 'acc',
  label: 'my account',
  baseUrl: 'https://relay.example.com',
  kind: 'newapi-user',
  secret: 'access-token-secret',
  userId: 7,
  watchTokens: true,
  createdAt: 0,
  updatedAt: 0,
};
const token = (id: number, name: string, fields: Record<string, unknown> = {}) => ({
  id,
  name,
  status: 1,
  remaining: 9,
  granted: 10,
  used: 1,
  unlimited: false,
  expiresAt: null,
  ...fields,
});
const status: KeyStatus = {
  reading: {
    kind: 'newapi-user',
    scope: 'account',
    unit: { code: 'USD' },
    unlimited: false,
    remaining: 0,
    granted: 5,
    used: 5,
    expiresAt: null,
    fetchedAt: NOW - 60_000,
    plans: [plan, { ...plan, id: 5, planId: 9, title: null, unlimited: true, remaining: null, total: null, resetsAt: null }],
    tokens: [
      token(1, '<b>healthy</b>'),
      token(2, 'off', { status: 2 }),
      token(3, 'spent', { remaining: 0, used: 10 }),
      token(4, 'old', { expiresAt: NOW_S - 60 }),
      token(5, 'low', { remaining: 0.5 }),
    ],
  },
  error: null,
  attemptedAt: NOW - 60_000,
  failures: 0,
};

describe('popup: a watched account', () => {
  it('shows token rows right after the account, worst first, with data-parent, and the plans apart from the wallet', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const { container } = render(<App locale="en" initial={{ keys: [account], statuses: { acc: status }, settings: DEFAULT_SETTINGS }} />);
    const rows = [...container.querySelectorAll('[data-key-row]')].map((r) => ({
      label: r.getAttribute('data-label'),
      parent: r.getAttribute('data-parent'),
      state: r.getAttribute('data-state'),
      error: r.getAttribute('data-error'),
      unit: r.getAttribute('data-unit'),
    }));
    expect(rows).toEqual([
      { label: 'my account', parent: null, state: 'ok', error: '', unit: 'USD' },
      { label: 'old', parent: 'my account', state: 'expired', error: '', unit: 'USD' },
      { label: 'spent', parent: 'my account', state: 'exhausted', error: '', unit: 'USD' },
      { label: 'off', parent: 'my account', state: 'invalid', error: 'forbidden', unit: 'USD' },
      { label: 'low', parent: 'my account', state: 'low', error: '', unit: 'USD' },
      { label: '<b>healthy</b>', parent: 'my account', state: 'ok', error: '', unit: 'USD' },
    ]);
    expect(container.querySelector('b')).toBeNull();
    // The plans are windows of the account (automation.md §4.1): the tightest at a glance, each with its reset and end.
    const windows = [...container.querySelectorAll('[data-key-row][data-label="my account"] [data-window]')];
    expect(windows.map((w) => [w.textContent, (w as HTMLElement).hidden])).toEqual([
      ['Pro Monthly: $19.00 of $25.00 left · resets in 5 hr · ends in 20 days', false],
      ['Plan #9: Unlimited in this window · ends in 20 days', true],
    ]);
    expect(
      windows.map((w) =>
        ['data-window', 'data-window-unit', 'data-used', 'data-limit', 'data-remaining', 'data-resets-at'].map((a) => w.getAttribute(a)),
      ),
    ).toEqual([
      ['Pro Monthly', 'USD', '6', '25', '19', String(NOW_S + 5 * 3600)],
      ['Plan #9', 'USD', '6', '', '', ''],
    ]);
    expect(container.textContent).not.toContain('access-token-secret');
    expect(container.textContent).not.toContain('keys of this account are watched');
  });

  it('a refused token list is the account’s failure, said on the account row: its keys are not called refused', () => {
    const refused: KeyStatus = {
      ...status,
      reading: {
        ...(status.reading as NonNullable<KeyStatus['reading']>),
        tokensError: { kind: 'auth', message: 'HTTP 401: access token ••• is not allowed to list tokens' },
      },
    };
    const { container } = render(<App locale="en" initial={{ keys: [account], statuses: { acc: refused }, settings: DEFAULT_SETTINGS }} />);
    const rowOf = (label: string) => container.querySelector(`[data-key-row][data-label="${label}"]`);
    // The healthy key's last figures are unconfirmed: an error with the list's kind, not a refusal of the key.
    expect(rowOf('<b>healthy</b>')?.getAttribute('data-state')).toBe('error');
    expect(rowOf('<b>healthy</b>')?.getAttribute('data-error')).toBe('auth');
    expect(container.querySelectorAll('[data-key-row][data-parent][data-state="invalid"]')).toHaveLength(0);
    expect(rowOf('my account')?.textContent).toContain(
      "This account's key list could not be read: HTTP 401: access token ••• is not allowed",
    );
  });

  it('says so when the token list was longer than what is kept', () => {
    const cut: KeyStatus = { ...status, reading: { ...(status.reading as NonNullable<KeyStatus['reading']>), tokensTruncated: true } };
    const { container } = render(<App locale="en" initial={{ keys: [account], statuses: { acc: cut }, settings: DEFAULT_SETTINGS }} />);
    expect(container.textContent).toContain('Only the newest 5 keys of this account are watched');
  });
});

describe('key form: watching an account', () => {
  const submit = (initial?: KeyConfig) => {
    const onSubmit = vi.fn();
    render(<KeyForm initial={initial} defaultThresholdText="10%" defaultInterval={30} busy={false} onSubmit={onSubmit} />);
    const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
    if (!initial) {
      type('Label', 'acct');
      type('Site address', 'https://relay.example.com');
      type('Key or access token', 'access-token');
      fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'newapi-user' } });
      type('User id', '7');
    }
    return { onSubmit };
  };

  it('offers "Watch every key of this account" for an account key, on by default when adding', () => {
    const { onSubmit } = submit();
    const box = screen.getByLabelText('Watch every key of this account') as HTMLInputElement;
    expect(box.checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({ kind: 'newapi-user', userId: 7, watchTokens: true });
  });

  it('keeps an edited key as it was, and can be turned off', () => {
    const { onSubmit } = submit(account);
    const box = screen.getByLabelText('Watch every key of this account') as HTMLInputElement;
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({ watchTokens: false });
  });

  it('is not offered for other kinds', () => {
    render(<KeyForm defaultThresholdText="10%" defaultInterval={30} busy={false} onSubmit={vi.fn()} />);
    expect(screen.queryByLabelText('Watch every key of this account')).toBeNull();
  });
});
