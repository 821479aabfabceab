// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '@/entrypoints/popup/App';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { keysItem, statusesItem } from '@/lib/storage/items';
import { makeKey, NOW, usdStatus } from './helpers';

const key = (label: string): KeyConfig =>
  makeKey({ id: `id/${label}`, label, baseUrl: 'https://relay.example.com', secret: `sk-${label}` });

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  // What the popup reads from storage after its first frame is what it was opened with.
  const { keys, statuses } = initial();
  await keysItem.setValue(keys);
  await statusesItem.setValue(statuses);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** Ten keys: enough for the popup to offer search. */
const initial = () => {
  const keys = Array.from({ length: 10 }, (_, i) => key(`Key ${i + 1}`));
  const statuses: Record<string, KeyStatus> = Object.fromEntries(keys.map((k) => [k.id, usdStatus(5)]));
  return { keys, statuses, settings: DEFAULT_SETTINGS };
};
const toggleOf = (label: string) => document.querySelector<HTMLElement>(`[data-key-row][data-label="${label}"] .row-toggle`) as HTMLElement;

describe('the popup and the keyboard (issue #19, item 4)', () => {
  it('/ focuses search; a slash typed in search stays there', () => {
    render(<App locale="en-US" initial={initial()} />);
    const search = screen.getByLabelText('Search keys');
    fireEvent.keyDown(toggleOf('Key 3'), { key: '/' });
    expect(document.activeElement).toBe(search);
    const typed = fireEvent.keyDown(search, { key: '/' });
    expect(typed).toBe(true);
    expect(document.activeElement).toBe(search);
  });

  it('Escape inside an opened row closes it and gives focus back to its toggle', async () => {
    render(<App locale="en-US" initial={initial()} />);
    const toggle = toggleOf('Key 2');
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-expanded')).toBe('true'));
    const link = await screen.findByRole('link', { name: 'Edit Key 2' });
    link.focus();
    fireEvent.keyDown(link, { key: 'Escape' });
    await waitFor(() => expect(toggle.getAttribute('aria-expanded')).toBe('false'));
    expect(document.activeElement).toBe(toggle);
  });

  it("an opened row links to its key's editor on the options page (options.html#edit=<id>)", async () => {
    render(<App locale="en-US" initial={initial()} />);
    fireEvent.click(toggleOf('Key 4'));
    const link = (await screen.findByRole('link', { name: 'Edit Key 4' })) as HTMLAnchorElement;
    expect(link.getAttribute('href')).toMatch(/\/options\.html#edit=id%2FKey%204$/);
    expect(link.target).toBe('_blank');
  });

  it('an opened muted group has a Tab stop of its own: its first row (Tab from "1 muted" left the popup)', async () => {
    const data = initial();
    data.keys[9] = { ...(data.keys[9] as KeyConfig), muted: true };
    await keysItem.setValue(data.keys);
    render(<App locale="en-US" initial={data} />);
    const muted = toggleOf('Key 10');
    await waitFor(() => expect(toggleOf('Key 1').tabIndex).toBe(0));
    // Closed, the group's rows are out of the Tab order (they cannot be seen).
    expect(muted.tabIndex).toBe(-1);
    const group = document.querySelector('details.muted-group') as HTMLDetailsElement;
    group.open = true;
    fireEvent(group, new Event('toggle'));
    await waitFor(() => expect(muted.tabIndex).toBe(0));
    // The list keeps its own stop.
    expect(toggleOf('Key 1').tabIndex).toBe(0);
  });

  it('keeps one row in the Tab order: arrows move between rows and along a row, and Tab goes through that row only', async () => {
    render(<App locale="en-US" initial={initial()} />);
    const rows = () => [...document.querySelectorAll<HTMLElement>('[data-key-row]')];
    const stops = () =>
      rows().flatMap((row) =>
        [...row.querySelectorAll<HTMLElement>('.row-toggle, .row-actions > button, .row-actions > a')]
          .filter((c) => c.tabIndex >= 0)
          .map((c) => `${row.dataset.label}: ${c.getAttribute('aria-label') ?? 'toggle'}`),
      );
    // Ten rows, one row's controls in the Tab order: the first row's.
    await waitFor(() =>
      expect(stops()).toEqual([
        'Key 1: toggle',
        'Key 1: Read Key 1 now',
        'Key 1: Add funds: open the site of Key 1',
        'Key 1: Copy the site address of Key 1',
      ]),
    );
    // The rows in the order shown (worst first, then by name: Key 1, Key 10, Key 2…).
    const [first, second, last] = [rows()[0], rows()[1], rows().at(-1)].map((r) => toggleOf(r?.dataset.label ?? '')) as [
      HTMLElement,
      HTMLElement,
      HTMLElement,
    ];
    const secondLabel = rows()[1]?.dataset.label;
    first.focus();
    // ↓ goes to the next row's toggle, which takes the row's place in the Tab order.
    expect(fireEvent.keyDown(first, { key: 'ArrowDown' })).toBe(false);
    expect(document.activeElement).toBe(second);
    expect(stops().every((s) => s.startsWith(`${secondLabel}: `))).toBe(true);
    expect(stops()).toHaveLength(4);
    // → walks along the row's actions, ← back.
    fireEvent.keyDown(second, { key: 'ArrowRight' });
    expect(document.activeElement?.getAttribute('aria-label')).toBe(`Read ${secondLabel} now`);
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'ArrowRight' });
    expect(document.activeElement?.getAttribute('aria-label')).toBe(`Add funds: open the site of ${secondLabel}`);
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'ArrowLeft' });
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(second);
    // End and Home, ↑ at the top stays.
    fireEvent.keyDown(second, { key: 'End' });
    expect(document.activeElement).toBe(last);
    fireEvent.keyDown(last, { key: 'Home' });
    expect(document.activeElement).toBe(first);
    fireEvent.keyDown(first, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(first);
    // A filtered-out row is skipped.
    fireEvent.input(screen.getByLabelText('Search keys'), { target: { value: 'Key 1' } });
    await waitFor(() =>
      expect(
        rows()
          .filter((r) => !r.hidden)
          .map((r) => r.dataset.label),
      ).toEqual(['Key 1', 'Key 10']),
    );
    toggleOf('Key 1').focus();
    fireEvent.keyDown(toggleOf('Key 1'), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(toggleOf('Key 10'));
  });
});
