import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { KeyStatus } from '@/lib/model';
import { keysItem, STORED, statusesItem } from '@/lib/storage/items';
import { deferred, makeKey } from './helpers';

const status: KeyStatus = { reading: null, error: { kind: 'auth', message: 'HTTP 401', at: 1 }, attemptedAt: 1, failures: 1 };

/** Lets every promise continuation already queued run (a macrotask comes after them all). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('watching every key’s status', () => {
  it('an older read that finishes last never puts older statuses back', async () => {
    const seen: Record<string, KeyStatus>[] = [];
    const stop = statusesItem.watch((statuses) => seen.push(statuses));
    // The first read (started by the key list changing) is held: it sees no status yet, and answers last.
    const realGet = fakeBrowser.storage.local.get.bind(fakeBrowser.storage.local);
    const release = deferred();
    const firstAnswered = deferred();
    let calls = 0;
    vi.spyOn(fakeBrowser.storage.local, 'get').mockImplementation(async (keys) => {
      const isStatusRead = Array.isArray(keys) && keys.some((k) => String(k).startsWith('status:'));
      const first = isStatusRead && ++calls === 1;
      const answer = await realGet(keys as string[]);
      if (!first) return answer;
      await release.promise;
      queueMicrotask(firstAnswered.resolve);
      return {};
    });
    await keysItem.setValue([makeKey({ id: 'a', label: 'a', baseUrl: 'https://relay.example.com', secret: 'sk-a' })]);
    await fakeBrowser.storage.local.set({ [STORED.status('a')]: status });
    await vi.waitFor(() => expect(seen.at(-1)).toEqual({ a: status }));
    // Now the stale first read answers, after the newer one.
    release.resolve();
    await firstAnswered.promise;
    await settle();
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toEqual({ a: status });
    stop();
  });
});
