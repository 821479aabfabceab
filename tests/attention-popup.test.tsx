// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '@/entrypoints/popup/App';
import { onMessage } from '@/lib/messages';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { keysItem, statusesItem } from '@/lib/storage/items';
import type { KeyChange } from '@/lib/storage/keys';
import { makeKey, NOW, NOW_S, usdStatus } from './helpers';

const DAY_S = 86_400;
const key = (label: string, fields: Partial<KeyConfig> = {}): KeyConfig =>
  makeKey({ id: label, label, baseUrl: 'https://relay.example.com', secret: `sk-${label}`, ...fields });
const stop: (() => void)[] = [];

beforeEach(() => {
  // The popup's clock is the page's: held at NOW so "in 3 days" is 3 days whatever today is.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  for (const s of stop.splice(0)) s();
});

/** Keys of issue #19: one expiring in 3 days, a muted expired one, a pinned fine one, a low one. */
const initial = () => {
  const keys = [key('soon'), key('gone', { muted: true }), key('fine', { pinned: true }), key('thin')];
  const statuses: Record<string, KeyStatus> = {
    soon: usdStatus(8, { expiresAt: NOW_S + 3 * DAY_S }),
    gone: usdStatus(8, { expiresAt: NOW_S - DAY_S }),
    fine: usdStatus(9),
    thin: usdStatus(0.5),
  };
  return { keys, statuses, settings: DEFAULT_SETTINGS };
};
const rowOf = (label: string) => document.querySelector(`[data-key-row][data-label="${label}"]`) as HTMLElement;

describe('the popup’s one verdict, mute and pin (issue #19, items 1 and 2)', () => {
  it('counts the expiring key, not the muted one, and says so the same way on the headline, the rows and the chip', () => {
    render(<App locale="en-US" initial={initial()} />);
    expect(document.querySelector('main')?.getAttribute('data-attention-count')).toBe('2');
    expect(document.querySelector('[data-summary]')?.textContent).toBe('2 keys need attention: 1 low, 1 expiring soon');
    expect(rowOf('soon').getAttribute('data-attention')).toBe('true');
    expect(rowOf('soon').getAttribute('data-state')).toBe('ok');
    // Amber "Expires soon", never a green OK beside an expiry warning.
    expect(rowOf('soon').querySelector('.chip')?.textContent).toBe('Expires soon');
    expect(rowOf('soon').querySelector('.chip')?.className).toContain('chip-expiring');
    // Its bar is amber too (theme.css), not green beside the amber chip and stripe.
    expect(rowOf('soon').querySelector('[role="meter"]')?.className).toBe('bar bar-expiring');
    expect(rowOf('fine').querySelector('[role="meter"]')?.className).toBe('bar bar-ok');
    expect(rowOf('gone').getAttribute('data-attention')).toBe('false');
    expect(rowOf('gone').getAttribute('data-muted')).toBe('true');
    expect(rowOf('fine').getAttribute('data-pinned')).toBe('true');
    expect(document.querySelectorAll('[data-attention="true"]')).toHaveLength(2);
    // Totals: the muted and the expired key's money is not there to spend.
    expect(document.querySelector('[data-totals]')?.textContent).toBe('Left in total: $17.50');
  });

  it('puts the pinned key first and the muted one apart, at the end, in a closed “1 muted” group', () => {
    render(<App locale="en-US" initial={initial()} />);
    const labels = [...document.querySelectorAll('[data-key-row]')].map((r) => r.getAttribute('data-label'));
    expect(labels).toEqual(['fine', 'thin', 'soon', 'gone']);
    const group = document.querySelector('details.muted-group') as HTMLDetailsElement;
    expect(group.open).toBe(false);
    expect(group.querySelector('summary')?.textContent).toBe('1 muted');
    expect(group.contains(rowOf('gone'))).toBe(true);
    // The pinned row says why it is on top; the others do not.
    expect(rowOf('fine').querySelector('.row-sub')?.textContent).toContain('Pinned');
    // A word apart in the toggle's spoken name ("relay.example.com Pinned").
    expect(rowOf('fine').querySelector('.row-toggle')?.textContent).toMatch(/\S Pinned$/);
    expect(rowOf('thin').querySelector('.row-sub')?.textContent).not.toContain('Pinned');
  });

  it('opens the muted group when a filter or search matches a muted key, so every key it counts is in sight', () => {
    // From 9 keys the popup offers search and filters: 6 more fine keys.
    const data = initial();
    for (let i = 0; i < 6; i++) {
      data.keys.push(key(`more${i}`));
      data.statuses[`more${i}`] = usdStatus(9);
    }
    render(<App locale="en-US" initial={data} />);
    const group = document.querySelector('details.muted-group') as HTMLDetailsElement;
    expect(group.open).toBe(false);
    // The muted key expired: "Expired" lists it, and it must be seen (a review counted "7 of 25 keys shown" over 6 rows).
    fireEvent.change(screen.getByRole('combobox', { name: 'Show' }), { target: { value: 'expired' } });
    expect(document.querySelector('.shown')?.textContent).toBe('1 of 10 keys shown');
    expect(group.open).toBe(true);
    // Back to every key: the group closes again.
    fireEvent.change(screen.getByRole('combobox', { name: 'Show' }), { target: { value: 'all' } });
    expect(group.open).toBe(false);
  });

  it('mutes and pins a key from its row through the background’s key writer', async () => {
    const asked: KeyChange[] = [];
    stop.push(onMessage('pollDue', () => ({ total: 0, ok: 0, failed: 0 })));
    stop.push(
      onMessage('changeKeys', ({ data }) => {
        asked.push(data);
        return { ok: true, keys: [] };
      }),
    );
    const data = initial();
    await keysItem.setValue(data.keys);
    await statusesItem.setValue(data.statuses);
    render(<App locale="en-US" initial={data} />);
    fireEvent.click(rowOf('thin').querySelector('.row-toggle') as HTMLElement);
    fireEvent.click(await screen.findByRole('button', { name: 'Mute thin' }));
    fireEvent.click(screen.getByRole('button', { name: 'Pin thin' }));
    await waitFor(() => expect(asked).toHaveLength(2));
    expect(asked).toEqual([
      { type: 'patch', id: 'thin', fields: { muted: true } },
      { type: 'patch', id: 'thin', fields: { pinned: true } },
    ]);
    // A pinned key's button unpins it; absent is false, so the field is removed.
    fireEvent.click(rowOf('fine').querySelector('.row-toggle') as HTMLElement);
    fireEvent.click(await screen.findByRole('button', { name: 'Unpin fine' }));
    await waitFor(() => expect(asked[2]).toEqual({ type: 'patch', id: 'fine', fields: { pinned: null } }));
  });
});
