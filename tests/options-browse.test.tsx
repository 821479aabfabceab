// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '@/entrypoints/options/App';
import { onMessage } from '@/lib/messages';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import { keysItem, statusesItem } from '@/lib/storage/items';
import { createKeyStore } from '@/lib/storage/keys';
import { makeKey, NOW, NOW_S, usdStatus } from './helpers';

const DAY_S = 86_400;
const writer = createKeyStore(keysItem);
const stop: (() => void)[] = [];

/** Fifteen keys in insertion order: relays a and b, a few in trouble, one pinned, one muted. */
function seed(): { keys: KeyConfig[]; statuses: Record<string, KeyStatus> } {
  const keys: KeyConfig[] = [];
  const statuses: Record<string, KeyStatus> = {};
  for (let i = 1; i <= 15; i++) {
    const site = i % 3 === 0 ? 'https://relay-b.example.com' : 'https://relay-a.example.com';
    const label = `Key ${i}`;
    keys.push(makeKey({ id: `id-${i}`, label, baseUrl: site, secret: `sk-secret-${i}` }));
    statuses[`id-${i}`] = usdStatus(5);
  }
  // Key 4 and Key 11 expired, Key 7 low, Key 9 pinned (fine), Key 13 muted (expired).
  statuses['id-4'] = usdStatus(5, { expiresAt: NOW_S - DAY_S });
  statuses['id-11'] = usdStatus(5, { expiresAt: NOW_S - 2 * DAY_S });
  statuses['id-13'] = usdStatus(5, { expiresAt: NOW_S - DAY_S });
  statuses['id-7'] = usdStatus(0.2);
  keys[8] = { ...(keys[8] as KeyConfig), pinned: true };
  keys[12] = { ...(keys[12] as KeyConfig), muted: true };
  return { keys, statuses };
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  const { keys, statuses } = seed();
  await keysItem.setValue(keys);
  await statusesItem.setValue(statuses);
  stop.push(
    onMessage('changeKeys', ({ data }) => writer.change(data)),
    onMessage('refresh', () => ({ total: 0, ok: 0, failed: 0 })),
  );
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  history.replaceState(null, '', '/');
  for (const s of stop.splice(0)) s();
});

const items = () => [...document.querySelectorAll<HTMLElement>('[data-key-item]')];
const shownLabels = () =>
  items()
    .filter((li) => !li.closest('[hidden]'))
    .map((li) => li.dataset.label);
const allLabels = () => items().map((li) => li.dataset.label);
const editButton = (label: string) =>
  document.querySelector<HTMLElement>(`[data-key-item][data-label="${label}"] button.edit`) as HTMLElement;

async function open() {
  render(<App locale="en-US" />);
  await waitFor(() => expect(items()).toHaveLength(15));
  // The statuses are read too: the filter counts the expired keys.
  await screen.findByRole('option', { name: 'Expired (3)' });
}

describe('the options key list at many keys (issue #19, item 4)', () => {
  it('opens on every key, worst first as in the popup: pinned on top, expired then low, muted last', async () => {
    await open();
    expect(shownLabels()).toHaveLength(15);
    const labels = allLabels();
    expect(labels.slice(0, 4)).toEqual(['Key 9', 'Key 11', 'Key 4', 'Key 7']);
    expect(labels.at(-1)).toBe('Key 13');
    // The filter counts what each choice would show.
    const filter = screen.getByLabelText('Show') as HTMLSelectElement;
    expect([...filter.options].map((o) => o.text)).toEqual(
      expect.arrayContaining(['All keys (15)', 'Needs attention (3)', 'Expired (3)', 'Low (1)', 'OK (11)']),
    );
    expect(screen.getByText('15 of 15 keys shown')).toBeTruthy();
  });

  it('a key expiring in 3 days is under "Expires soon", as its chip says, and not under OK', async () => {
    const { statuses } = seed();
    statuses['id-5'] = usdStatus(5, { expiresAt: NOW_S + 3 * DAY_S });
    await statusesItem.setValue(statuses);
    await open();
    const filter = screen.getByLabelText('Show') as HTMLSelectElement;
    expect([...filter.options].map((o) => o.text)).toEqual(expect.arrayContaining(['Needs attention (4)', 'Expires soon (1)', 'OK (10)']));
    fireEvent.change(filter, { target: { value: 'expiring' } });
    await waitFor(() => expect(shownLabels()).toEqual(['Key 5']));
    fireEvent.change(filter, { target: { value: 'ok' } });
    await waitFor(() => expect(shownLabels()).toHaveLength(10));
    expect(shownLabels()).not.toContain('Key 5');
  });

  it('search and filter hide keys without taking them out of the page, and say how many are shown', async () => {
    await open();
    fireEvent.input(screen.getByLabelText('Search keys'), { target: { value: 'relay-b' } });
    await waitFor(() => expect(shownLabels()).toEqual(['Key 9', 'Key 12', 'Key 15', 'Key 3', 'Key 6']));
    expect(allLabels()).toHaveLength(15);
    expect(screen.getByText('5 of 15 keys shown')).toBeTruthy();

    fireEvent.input(screen.getByLabelText('Search keys'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'expired' } });
    await waitFor(() => expect(shownLabels()).toEqual(['Key 11', 'Key 4', 'Key 13']));
    expect(screen.getByText('3 of 15 keys shown')).toBeTruthy();
    // "Select every key" selects the keys shown, not those filtered out, and says so.
    expect(screen.queryByLabelText('Select every key')).toBeNull();
    fireEvent.click(screen.getByLabelText('Select the 3 keys listed'));
    expect(await screen.findByText('3 selected')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'all' } });
    expect(await screen.findByLabelText('Select every key')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'expired' } });

    fireEvent.input(screen.getByLabelText('Search keys'), { target: { value: 'nothing like it' } });
    expect(await screen.findByText('No key matches.')).toBeTruthy();
  });

  it('sorts by name (Key 2 before Key 10, pinned still first) and groups by site with counts', async () => {
    await open();
    fireEvent.change(screen.getByLabelText('Sort'), { target: { value: 'name' } });
    await waitFor(() => expect(allLabels().slice(0, 4)).toEqual(['Key 9', 'Key 1', 'Key 2', 'Key 3']));
    fireEvent.click(screen.getByLabelText('Group by site'));
    await waitFor(() => expect(screen.getByRole('heading', { name: 'relay-a.example.com (9)' })).toBeTruthy());
    expect(screen.getByRole('heading', { name: 'relay-b.example.com (5)' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: '1 muted (1)' })).toBeTruthy();
    expect(allLabels()).toHaveLength(15);
    // A search leaves a group with no key shown out of view, and its heading counts what is shown.
    fireEvent.input(screen.getByLabelText('Search keys'), { target: { value: 'Key 1' } });
    await waitFor(() => expect(screen.getByRole('heading', { name: 'relay-a.example.com (4)' })).toBeTruthy());
    expect(screen.getByRole('heading', { name: 'relay-b.example.com (2)' })).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Search keys'), { target: { value: 'relay-a' } });
    await waitFor(() => expect(screen.getByRole('heading', { name: 'relay-a.example.com (9)' })).toBeTruthy());
    expect(screen.queryByRole('heading', { name: /relay-b/ })).toBeNull();
    expect(document.querySelector('section[aria-label="relay-b.example.com"]')?.hasAttribute('hidden')).toBe(true);
    expect(allLabels()).toHaveLength(15);
  });
});

describe('the keyboard on the options page (issue #19, item 4)', () => {
  it('/ focuses search, but types a slash inside a field', async () => {
    await open();
    const search = screen.getByLabelText('Search keys');
    fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(search);
    const label = screen.getAllByLabelText('Label')[0] as HTMLInputElement;
    label.focus();
    fireEvent.keyDown(label, { key: '/' });
    expect(document.activeElement).toBe(label);
  });

  it('Escape cancels the editor and gives focus back to its Edit button', async () => {
    await open();
    fireEvent.click(editButton('Key 5'));
    const field = await waitFor(() => {
      const input = document.querySelector<HTMLInputElement>('.editor input[name="label"]');
      expect(input?.value).toBe('Key 5');
      return input as HTMLInputElement;
    });
    fireEvent.keyDown(field, { key: 'Escape' });
    await waitFor(() => expect(document.querySelector('.editor')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(editButton('Key 5')));
  });

  it('an invalid Save moves focus to the first field with a problem', async () => {
    await open();
    fireEvent.click(editButton('Key 5'));
    const label = await waitFor(() => document.querySelector<HTMLInputElement>('.editor input[name="label"]') as HTMLInputElement);
    // The editor opens with focus on its first field, the label (which is fine).
    await waitFor(() => expect(document.activeElement).toBe(label));
    const secret = document.querySelector<HTMLInputElement>('.editor input[name="secret"]') as HTMLInputElement;
    fireEvent.input(secret, { target: { value: '' } });
    fireEvent.click(within(document.querySelector('.editor') as HTMLElement).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(document.activeElement).toBe(secret));
    expect(secret.getAttribute('aria-invalid')).toBe('true');
    expect((await keysItem.getValue()).find((k) => k.id === 'id-5')?.secret).toBe('sk-secret-5');
  });

  it('bulk actions reach only the selected keys still listed: none a filter, a search or a mute took away', async () => {
    await open();
    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'attention' } });
    await waitFor(() => expect(shownLabels()).toEqual(['Key 11', 'Key 4', 'Key 7']));
    fireEvent.click(screen.getByLabelText('Select the 3 keys listed'));
    fireEvent.click(await screen.findByRole('button', { name: 'Mute selected' }));
    // Muted, they leave "Needs attention": nothing is listed, so nothing is selected or offered.
    await waitFor(() => expect(shownLabels()).toEqual([]));
    expect(screen.queryByText(/selected$/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete selected' })).toBeNull();
    expect(screen.queryByLabelText(/Select the 0/)).toBeNull();
    // Every key shown again: the muted keys are not selected any more, and nothing offers to delete them.
    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'all' } });
    await waitFor(() => expect(shownLabels()).toHaveLength(15));
    expect(screen.queryByText(/selected$/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete selected' })).toBeNull();
    expect([...document.querySelectorAll<HTMLInputElement>('input.select')].filter((box) => box.checked)).toEqual([]);

    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'expired' } });
    await waitFor(() => expect([...shownLabels()].sort()).toEqual(['Key 11', 'Key 13', 'Key 4']));
    fireEvent.click(screen.getByLabelText('Select the 3 keys listed'));
    fireEvent.input(screen.getByLabelText('Search keys'), { target: { value: 'Key 4' } });
    await waitFor(() => expect(shownLabels()).toEqual(['Key 4']));
    expect(screen.getByText('1 selected')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Delete selected' }));
    fireEvent.click(await screen.findByRole('button', { name: /Delete 1 / }));
    await waitFor(async () => expect((await keysItem.getValue()).map((k) => k.label)).not.toContain('Key 4'));
    expect(await keysItem.getValue()).toHaveLength(14);
  });

  it('a bulk delete taken back with Escape gives focus back to Delete selected and deletes nothing', async () => {
    await open();
    fireEvent.click(screen.getByLabelText('Select every key'));
    fireEvent.click(await screen.findByRole('button', { name: 'Delete selected' }));
    const confirm = await screen.findByRole('button', { name: /Delete 15/ });
    await waitFor(() => expect(document.activeElement).toBe(confirm));
    fireEvent.keyDown(confirm, { key: 'Escape' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete selected' })));
    expect(await keysItem.getValue()).toHaveLength(15);
  });
});

describe('options.html#edit=<id> (issue #19, item 4)', () => {
  it("opens that key's editor with focus in it, and takes the link out of the address", async () => {
    history.replaceState(null, '', '/options.html#edit=id-12');
    await open();
    await waitFor(() => {
      const field = document.querySelector<HTMLInputElement>('[data-label="Key 12"] .editor input[name="label"]');
      expect(field?.value).toBe('Key 12');
      expect(document.activeElement).toBe(field);
    });
    expect(location.hash).toBe('');
  });

  it('says so when the key is gone', async () => {
    history.replaceState(null, '', '/options.html#edit=id-404');
    await open();
    expect(await screen.findByText('The key to edit is not here any more; it may have been deleted.')).toBeTruthy();
    expect(document.querySelector('.editor')).toBeNull();
  });
});
