// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { StorageProblem } from '@/components/StorageProblem';
import { UnreadableKeysSection } from '@/entrypoints/options/unreadable';
import { App } from '@/entrypoints/popup/App';
import { pageStorageProblem, pageStoredProblems } from '@/lib/page-store';
import { DEFAULT_SETTINGS, rankKeys, withDefaults } from '@/lib/state';
import {
  budgetItem,
  historyItem,
  keysItem,
  localArea,
  reportStoredProblems,
  settingsItem,
  sitesItem,
  statusesItem,
  storedProblemsItem,
} from '@/lib/storage/items';
import { createKeyStore } from '@/lib/storage/keys';
import { migrateStorage } from '@/lib/storage/migrations';
import { useStored } from '@/lib/storage/use-stored';
import { sendAsExtensionPage, startBackground } from './background-helpers';

/** The banner as the popup feeds it: what the background stored, read the popup's way (lib/page-store.ts). */
function StoredBanner() {
  return <StorageProblem problem={useStored(pageStorageProblem)} unreadable={useStored(pageStoredProblems)} />;
}

afterEach(cleanup);

const odd = JSON.parse(readFileSync('tests/fixtures/storage/v3-odd.json', 'utf8')) as Record<string, unknown>;
const oddKeys = odd.keys as unknown[];
const NOW = 1_795_600_000_000;

describe('reading stored data that fails its schema (issue #7, item 15)', () => {
  it('keeps a malformed key in storage through every write, shows the others, and says so', async () => {
    await fakeBrowser.storage.local.set(structuredClone(odd));
    const keys = await keysItem.getValue();
    expect(keys.map((k) => k.id)).toEqual(['k1', 'k3']);

    // The one writer deletes a key and adds one: the two unreadable entries stay, unchanged.
    const writer = createKeyStore(keysItem, () => NOW);
    expect((await writer.change({ type: 'delete', ids: ['k1'] })).ok).toBe(true);
    // The writer stamps the time the key changed.
    const added = { ...(keys[0] as (typeof keys)[0]), id: 'k4', label: 'new', updatedAt: NOW };
    expect((await writer.change({ type: 'put', key: added })).ok).toBe(true);
    const stored = (await fakeBrowser.storage.local.get('keys')).keys as unknown[];
    expect(stored).toEqual([oddKeys[3], added, oddKeys[1], null]);
    expect((await keysItem.getValue()).map((k) => k.id)).toEqual(['k3', 'k4']);

    // The check after the migrations reports it, and the banner says so in words.
    render(<StoredBanner />);
    await migrateStorage(localArea, reportStoredProblems);
    expect(await storedProblemsItem.getValue()).toMatchObject({ keys: 2 });
    expect((await screen.findByRole('status')).textContent).toContain(
      '2 stored keys could not be read; they are kept unchanged and not shown.',
    );
    expect((await fakeBrowser.storage.local.get('keys')).keys).toHaveLength(4);
  });

  it('the options page saves the unreadable entries to a file as stored, and removes them only after one more question', async () => {
    await fakeBrowser.storage.local.set(structuredClone(odd));
    // The background as the browser runs it answers the page's messages.
    sendAsExtensionPage();
    const background = startBackground();
    await background.ready;
    const files: string[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:copy');
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      files.push(this.download);
    });
    try {
      render(
        <>
          <StoredBanner />
          <UnreadableKeysSection />
        </>,
      );
      fireEvent.click(await screen.findByRole('button', { name: 'Save them to a file (secrets included)' }));
      await waitFor(() => expect(files).toHaveLength(1));
      expect(files[0]).toMatch(/^quota-glance-unreadable-\d{4}-\d{2}-\d{2}\.json$/);
      const copy = create.mock.calls[0]?.[0] as Blob;
      expect(JSON.parse(await copy.text())).toEqual([oddKeys[1], null]);

      // Escape takes the question back; nothing is removed.
      fireEvent.click(screen.getByRole('button', { name: 'Remove them' }));
      const confirm = screen.getByRole('button', { name: 'Remove 2 unreadable keys for good' });
      expect(document.activeElement).toBe(confirm);
      fireEvent.keyDown(confirm, { key: 'Escape' });
      expect(screen.queryByRole('button', { name: 'Remove 2 unreadable keys for good' })).toBeNull();
      expect((await fakeBrowser.storage.local.get('keys')).keys).toHaveLength(4);

      fireEvent.click(screen.getByRole('button', { name: 'Remove them' }));
      fireEvent.click(screen.getByRole('button', { name: 'Remove 2 unreadable keys for good' }));
      const said = await screen.findByText('Removed 2 unreadable keys.');
      await waitFor(() => expect(document.activeElement).toBe(said));
      expect((await fakeBrowser.storage.local.get('keys')).keys).toEqual([oddKeys[0], oddKeys[3]]);
      // The note is gone with them; the readable keys are untouched.
      await waitFor(() => expect(screen.queryByText(/stored keys could not be read/)).toBeNull());
      expect(await storedProblemsItem.getValue()).toMatchObject({ keys: 0 });
      expect((await keysItem.getValue()).map((k) => k.id)).toEqual(['k1', 'k3']);
    } finally {
      background.stop();
      vi.restoreAllMocks();
    }
  });

  it('reports each kind of failure after migrating, and deletes nothing', async () => {
    await fakeBrowser.storage.local.set(structuredClone(odd));
    const before = structuredClone(await fakeBrowser.storage.local.get(null));
    render(<StoredBanner />);
    await migrateStorage(localArea, reportStoredProblems);
    expect(await storedProblemsItem.getValue()).toMatchObject({
      keys: 2,
      settings: ['intervalMinutes', 'defaultLowAmounts.USD', 'expiryWarningDays'],
      statuses: 1,
      caches: 2,
    });
    expect(await fakeBrowser.storage.local.get(null)).toEqual(before);
    const text = (await screen.findByRole('status')).textContent;
    expect(text).toContain(
      'Some stored settings could not be read and use their defaults: intervalMinutes, defaultLowAmounts.USD, expiryWarningDays.',
    );
    expect(text).toContain('The last reading of 1 key could not be read; it is read again.');
    expect(text).toContain('2 stored caches or histories could not be read; they start again empty.');
  });

  it('stops naming a setting once the user saved a good one', async () => {
    await fakeBrowser.storage.local.set(structuredClone(odd));
    render(<StoredBanner />);
    // The background keeps the note current.
    const background = startBackground();
    onTestFinished(() => background.stop());
    await background.ready;
    await screen.findByText(/use their defaults: intervalMinutes, defaultLowAmounts.USD, expiryWarningDays\./);
    await settingsItem.setValue({ ...withDefaults(odd.settings as never), intervalMinutes: 20 });
    await expect.poll(() => screen.queryByText(/use their defaults/)).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('2 stored keys could not be read');
  });

  it('clears the report once what is stored reads well', async () => {
    await storedProblemsItem.setValue({ at: 1, keys: 1, settings: [], statuses: 0, caches: 0 });
    await fakeBrowser.storage.local.set({ storageVersion: 2, keys: [oddKeys[0]] });
    await migrateStorage(localArea, reportStoredProblems);
    expect(await storedProblemsItem.getValue()).toBeNull();
  });

  it('uses the good settings and defaults for the bad ones', async () => {
    await fakeBrowser.storage.local.set(structuredClone(odd));
    const settings = withDefaults(await settingsItem.getValue());
    expect(settings.intervalMinutes).toBe(DEFAULT_SETTINGS.intervalMinutes);
    expect(settings.expiryWarningDays).toEqual(DEFAULT_SETTINGS.expiryWarningDays);
    expect(settings.defaultThreshold).toEqual({ type: 'amount', value: 3 });
    expect(settings.defaultLowAmounts).toEqual({ USD: 1, CNY: 9, tokens: 100000, other: 1 });
  });

  it('a corrupt status is read as unknown: the key is not yet read, nothing throws', async () => {
    await fakeBrowser.storage.local.set(structuredClone(odd));
    const [keys, statuses] = await Promise.all([keysItem.getValue(), statusesItem.getValue()]);
    expect(Object.keys(statuses)).toEqual(['k3']);
    const views = rankKeys(keys, statuses, DEFAULT_SETTINGS, NOW);
    expect(views.map((v) => [v.key.id, v.state])).toEqual([
      ['k3', 'invalid'],
      ['k1', 'pending'],
    ]);
    // Handed the raw stored values (as the popup's first paint may be), ranking still does not throw.
    const raw = { k1: JSON.parse(odd['status:k1'] as string), k3: JSON.parse(odd['status:k3'] as string) } as never;
    expect(rankKeys(oddKeys as never, raw, withDefaults(odd.settings as never), NOW).map((v) => v.state)).toEqual(['invalid', 'pending']);
  });

  it('the popup shows the readable keys, worst first, from raw stored values and after reading them', async () => {
    await fakeBrowser.storage.local.set(structuredClone(odd));
    const rows = () =>
      [...document.querySelectorAll('[data-key-row]')].map((r) => [r.getAttribute('data-label'), r.getAttribute('data-state')]);
    // The first paint gets what main.tsx read straight from storage, unusable entries included.
    const raw = { k1: JSON.parse(odd['status:k1'] as string), k3: JSON.parse(odd['status:k3'] as string) } as never;
    render(<App locale="en-US" initial={{ keys: oddKeys as never, statuses: raw, settings: odd.settings as never }} />);
    expect(rows()).toEqual([
      ['wallet', 'invalid'],
      ['laptop', 'pending'],
    ]);
    await waitFor(() => expect(document.querySelectorAll('[data-key-row]')).toHaveLength(2));
    expect(rows()).toEqual([
      ['wallet', 'invalid'],
      ['laptop', 'pending'],
    ]);
  });

  it('a stored status whose text does not parse reads as not yet read, and is reported (issue #9: statuses stored as text)', async () => {
    await fakeBrowser.storage.local.set({ ...structuredClone(odd), 'status:k3': '{"reading":' });
    expect(await statusesItem.getValue()).toEqual({});
    await migrateStorage(localArea, reportStoredProblems);
    expect(await storedProblemsItem.getValue()).toMatchObject({ statuses: 2 });
    expect((await fakeBrowser.storage.local.get('status:k3'))['status:k3']).toBe('{"reading":');
  });

  it('a corrupt cache or history reads as empty', async () => {
    await fakeBrowser.storage.local.set(structuredClone(odd));
    expect(await sitesItem.getValue()).toEqual({});
    expect(await budgetItem.getValue()).toEqual(odd.tokenRouteBudget);
    expect(await historyItem.getMany(['k1', 'k3'])).toEqual({ k3: odd['today:k3'] });
  });
});
