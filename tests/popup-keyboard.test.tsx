// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '@/entrypoints/popup/App';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { keysItem, statusesItem } from '@/lib/storage';
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
});
