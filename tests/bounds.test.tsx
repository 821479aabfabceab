// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App as OptionsApp } from '@/entrypoints/options/App';
import { App as PopupApp } from '@/entrypoints/popup/App';
import { onMessage } from '@/lib/messages';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import { readKey } from '@/lib/providers/read';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { keysItem, statusesItem } from '@/lib/storage/items';
import { cannedContext, jsonResponse, makeKey, NOW, usdReading } from './helpers';

/**
 * A figure no formatter takes: formatting it throws, as `1.7e308` did in
 * `Intl.RelativeTimeFormat` before lib/format.ts bounded its input. It stands for
 * whatever may still throw while one row is drawn.
 */
const { POISON } = vi.hoisted(() => ({ POISON: new Set([6.25, 9.75]) }));
vi.mock('@/lib/format', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/lib/format')>();
  return {
    ...real,
    formatAmount: (...args: Parameters<typeof real.formatAmount>) => {
      if (POISON.has(args[0])) throw new RangeError('a figure no formatter takes');
      return real.formatAmount(...args);
    },
  };
});

const handlers: (() => void)[] = [];
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  for (const stop of handlers.splice(0)) stop();
});

const FAILED = "This key's reading could not be shown";
const rows = () => [...document.querySelectorAll<HTMLElement>('[data-key-row]')];
const rowOf = (label: string) => rows().find((r) => r.dataset.label === label) as HTMLElement;
const ok = (remaining: number): KeyStatus => ({ reading: usdReading(remaining), error: null, attemptedAt: NOW, failures: 0 });

describe('popup: a hostile figure never blanks the popup', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });

  it('shows every row when a watched token stored before the gate expires at ±1.7e308: its expiry is "(unknown)"', () => {
    const account: KeyConfig = {
      ...makeKey({ id: 'acc', label: 'wallet', baseUrl: 'https://relay.example.com', secret: '' }),
      kind: 'newapi-user',
      userId: 7,
      watchTokens: true,
    };
    const healthy = makeKey({ id: 'h', label: 'healthy', baseUrl: 'https://other.example.com', secret: '' });
    const token = (id: number, name: string, expiresAt: number) => ({
      id,
      name,
      status: 1,
      remaining: 9,
      granted: 10,
      used: 1,
      unlimited: false,
      expiresAt,
    });
    const wallet: KeyStatus = {
      reading: {
        ...usdReading(3, { kind: 'newapi-user', scope: 'account', granted: null, used: null }),
        tokens: [token(1, 'far future', 1.7e308), token(2, 'long past', -1.7e308)],
      },
      error: null,
      attemptedAt: NOW,
      failures: 0,
    };
    render(
      <PopupApp locale="en-US" initial={{ keys: [account, healthy], statuses: { acc: wallet, h: ok(8.5) }, settings: DEFAULT_SETTINGS }} />,
    );
    expect(rows().map((r) => [r.dataset.label, r.dataset.state])).toEqual([
      ['wallet', 'ok'],
      ['long past', 'expired'],
      ['far future', 'ok'],
      ['healthy', 'ok'],
    ]);
    // Short on the row, in full in its title (issue #19, item 3).
    const expiry = (label: string) => rowOf(label).querySelector('.expiry');
    expect([expiry('far future')?.textContent, expiry('far future')?.getAttribute('title')]).toEqual([
      'exp (unknown)',
      'Expires (unknown)',
    ]);
    expect([expiry('long past')?.textContent, expiry('long past')?.getAttribute('title')]).toEqual(['exp (unknown)', 'Expired (unknown)']);
    expect(within(rowOf('healthy')).getByText('$8.50')).toBeTruthy();
    expect(screen.queryByText(FAILED)).toBeNull();
  });

  it('says so on the account when a plan was left out for figures out of range', () => {
    const account: KeyConfig = {
      ...makeKey({ id: 'acc', label: 'wallet', baseUrl: 'https://relay.example.com', secret: '' }),
      kind: 'newapi-user',
      userId: 7,
    };
    const reading = usdReading(3, { kind: 'newapi-user', scope: 'account', granted: null, used: null });
    const plansError = { kind: 'bad-response' as const, message: 'a plan with figures out of any sensible range was left out' };
    const status: KeyStatus = { reading: { ...reading, plans: [], plansError }, error: null, attemptedAt: NOW, failures: 0 };
    render(<PopupApp locale="en-US" initial={{ keys: [account], statuses: { acc: status }, settings: DEFAULT_SETTINGS }} />);
    expect(within(rowOf('wallet')).getByText('Not every plan of this account could be read')).toBeTruthy();
    expect(rowOf('wallet').dataset.remaining).toBe('3');
  });

  it('a row that throws while drawing shows as that key, failed; full and lite rows alike; the others are drawn', async () => {
    // 40 keys: the first screenful is drawn in full, the rest lite (plain elements, no component).
    const keys = Array.from({ length: 40 }, (_, i) =>
      makeKey({
        id: `k${String(i).padStart(2, '0')}`,
        label: `k${String(i).padStart(2, '0')}`,
        baseUrl: 'https://relay.example.com',
        secret: '',
      }),
    );
    const statuses = Object.fromEntries(keys.map((k) => [k.id, ok(8.5)]));
    // Least left first: k00 is the first row (drawn in full), k39 the last (drawn lite).
    statuses.k00 = ok(6.25);
    statuses.k39 = ok(9.75);
    await keysItem.setValue(keys);
    await statusesItem.setValue(statuses);
    render(<PopupApp locale="en-US" initial={{ keys, statuses, settings: DEFAULT_SETTINGS }} />);

    expect(rows()).toHaveLength(40);
    expect([rows()[0]?.dataset.label, rows()[39]?.dataset.label]).toEqual(['k00', 'k39']);
    expect(rows()[1]?.querySelector('.read-now')).not.toBeNull();
    expect(rows()[38]?.classList.contains('row-lite')).toBe(true);
    for (const [label, remaining] of [
      ['k00', '6.25'],
      ['k39', '9.75'],
    ]) {
      const row = rowOf(label as string);
      // Which key is at fault, with its contract attributes.
      expect(row.textContent).toBe(`${label}${FAILED}`);
      expect(row.dataset.state).toBe('ok');
      expect(row.dataset.remaining).toBe(remaining);
    }
    for (const row of rows().slice(1, 39)) expect(row.textContent).toContain('$8.50');

    // A new reading gives the failed row another try.
    const later = NOW + 60_000;
    await statusesItem.setValue({
      ...statuses,
      k00: { reading: usdReading(4.25, { fetchedAt: later }), error: null, attemptedAt: later, failures: 0 },
    });
    await waitFor(() => expect(rowOf('k00').textContent).toContain('$4.25'));
    expect(rowOf('k00').querySelector('.read-now')).not.toBeNull();
  });
});

describe('options page: Test of a custom key whose expiry is beyond any date', () => {
  it.each([9e15, 1.7e308])('ends with the reason, by its path, and Save usable (expire_at %s)', async (expireAt) => {
    const answer = { data: { balance: 5, expire_at: expireAt } };
    // The background's probe, as the engine answers it: the real read, and the answer to pick paths from.
    handlers.push(
      onMessage('probe', async ({ data }) => ({
        ...(await readKey(
          data,
          cannedContext(() => jsonResponse(200, answer)),
        )),
        answer,
      })),
    );
    render(<OptionsApp locale="en-US" />);
    const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
    type('Label', 'proxy');
    type('Site address', 'https://proxy.example.com');
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'custom' } });
    type('Key or access token', 'abc123');
    type('Endpoint path', '/api/balance');
    type('Remaining amount at', '/data/balance');
    type('Expiry at', '/data/expire_at');
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));

    const reason = /"expiresAt" \(\/data\/expire_at\) is out of range/;
    await screen.findByText(new RegExp(`^Test: The site's answer was not a quota reading\\. \\(${reason.source}`));
    // The tested answer's figures say the same, and the form can be saved.
    expect(within(document.querySelector('[data-mapped]') as HTMLElement).getByRole('alert').textContent).toMatch(reason);
    expect(screen.queryByText('Reading…')).toBeNull();
    expect((screen.getByRole('button', { name: 'Save and read' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
