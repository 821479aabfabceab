import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Background } from '@/entrypoints/background/create';
import type { MessageHandlers } from '@/entrypoints/background/dispatch';
import { localArea, type StorageArea, storedProblemsItem } from '@/lib/storage/items';
import { NewerStorageError, STORAGE_VERSION } from '@/lib/storage/migrations';
import { extensionPage, sendFrom, startBackground, strangers } from './background-helpers';
import { deferred } from './helpers';

/**
 * The background's one dispatcher (issue #19, item 7): every message is refused to a
 * sender that is not this extension's page, and waits for the migrations of stored data.
 */
const v1 = JSON.parse(readFileSync('tests/fixtures/storage/v1.json', 'utf8')) as Record<string, unknown>;

/** A request for each message, as the pages send it. */
const requests: { [K in keyof MessageHandlers]: Parameters<MessageHandlers[K]>[0] } = {
  refresh: { ids: 'all' },
  pollDue: undefined,
  probe: {
    id: 'draft',
    label: 'draft',
    baseUrl: 'https://relay.example.com',
    kind: 'newapi-token',
    secret: 'sk-x',
    createdAt: 1,
    updatedAt: 1,
  },
  changeKeys: { type: 'dropUnreadable' },
  stop: undefined,
  testChannel: { id: 'c1', kind: 'webhook', label: 'hook', url: 'https://hook.example/', enabled: true } as never,
  outboxResend: { id: 'm1' },
  outboxDismiss: { id: 'm1' },
  syncTurnOn: { address: 'https://dav.example/qg/', user: 'u', password: 'p', passphrase: 'a long passphrase' },
  syncNow: undefined,
  syncTurnOff: undefined,
};
const names = Object.keys(requests) as (keyof MessageHandlers)[];
const envelope = (name: string) => ({ quotaGlance: name, data: requests[name as keyof MessageHandlers] });

/** Replaces every handler with one that records what stored layout it found when it ran. */
function record(background: Background) {
  const ran: { name: string; layout: unknown; oldStatuses: boolean }[] = [];
  for (const name of names) {
    (background.handlers as Record<string, unknown>)[name] = async () => {
      const found = await localArea.get(['storageVersion', 'statuses']);
      ran.push({ name, layout: found.storageVersion, oldStatuses: found.statuses !== undefined });
      return undefined;
    };
  }
  return ran;
}

let background: Background | undefined;
afterEach(() => background?.stop());

describe('the background answers only its own pages (every message)', () => {
  it('declares a handler for every message', () => {
    background = startBackground();
    expect(Object.keys(background.handlers).sort()).toEqual([...names].sort());
  });

  it.each(strangers)('refuses every message from %s, and runs no handler', async (_, sender) => {
    background = startBackground();
    await background.ready;
    const ran = record(background);
    for (const name of names) expect(await sendFrom(sender, envelope(name)), name).toEqual({ error: 'refused' });
    expect(ran).toEqual([]);
    // The same messages from the options page are handled.
    for (const name of names) expect(await sendFrom(extensionPage(), envelope(name)), name).toEqual({ answer: undefined });
    expect(ran.map((r) => r.name)).toEqual(names);
  });
});

describe('no handler runs before the migrations end', () => {
  it('every message waits for stored data of the oldest layout to be brought to today’s', async () => {
    await fakeBrowser.storage.local.set(structuredClone(v1));
    // The migrations' first read waits on a gate the test opens.
    const started = deferred();
    const gate = deferred();
    const gated: StorageArea = {
      get: async (keys) => {
        started.resolve();
        await gate.promise;
        return localArea.get(keys);
      },
      set: (items) => localArea.set(items),
      remove: (keys) => localArea.remove(keys),
    };
    background = startBackground({ area: gated });
    const ran = record(background);
    const replies = names.map((name) => sendFrom(extensionPage(), envelope(name)));
    await started.promise;
    gate.resolve();
    expect(await Promise.all(replies)).toEqual(names.map(() => ({ answer: undefined })));
    await background.ready;
    expect(ran.map((r) => r.name).sort()).toEqual([...names].sort());
    // Each handler found the layout of today, not version 1's whole `statuses` item.
    for (const r of ran) expect(r, r.name).toEqual({ name: r.name, layout: STORAGE_VERSION, oldStatuses: false });
  });
});

describe('stored data of a newer layout than this version reads', () => {
  it('answers no message and writes nothing: every page is told why', async () => {
    const newer = { ...structuredClone(v1), storageVersion: STORAGE_VERSION + 1 };
    await fakeBrowser.storage.local.set(newer);
    const before = structuredClone(await fakeBrowser.storage.local.get(null));
    const asked: string[] = [];
    background = startBackground({
      // A read that fails is still written as the key's status: a read would show in storage.
      fetch: async (input) => {
        asked.push(String(input));
        throw new TypeError('offline');
      },
    });
    await expect(background.ready).rejects.toBeInstanceOf(NewerStorageError);
    const error = {
      // The words the pages show for it (StorageProblem), not the error's own English.
      error: `Stored data was written by a newer version of Quota Glance (layout ${STORAGE_VERSION + 1}; this version reads ${STORAGE_VERSION}). Update the extension; nothing was changed, and keys are not read until then.`,
    };
    expect(await sendFrom(extensionPage('/popup.html'), envelope('pollDue'))).toEqual(error);
    expect(await sendFrom(extensionPage(), { quotaGlance: 'refresh', data: { ids: 'all', reset: true } })).toEqual(error);
    expect(await sendFrom(extensionPage(), envelope('changeKeys'))).toEqual(error);
    expect(asked).toEqual([]);
    expect(await fakeBrowser.storage.local.get(null)).toEqual(before);
    expect(await storedProblemsItem.getValue()).toMatchObject({ newer: { layout: STORAGE_VERSION + 1, reads: STORAGE_VERSION } });
  });
});
