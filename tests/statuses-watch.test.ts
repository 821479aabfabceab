import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { KeyStatus } from '@/lib/model';
import { keysItem, STORED, statusesItem } from '@/lib/storage';
import { makeKey } from './helpers';

const status: KeyStatus = { reading: null, error: { kind: 'auth', message: 'HTTP 401', at: 1 }, attemptedAt: 1, failures: 1 };

describe('watching every key’s status', () => {
  it('an older read that finishes last never puts older statuses back', async () => {
    const seen: Record<string, KeyStatus>[] = [];
    const stop = statusesItem.watch((statuses) => seen.push(statuses));
    // The first read (started by the key list changing) is slow: it sees no status yet, and answers last.
    const realGet = fakeBrowser.storage.local.get.bind(fakeBrowser.storage.local);
    let calls = 0;
    vi.spyOn(fakeBrowser.storage.local, 'get').mockImplementation(async (keys) => {
      const isStatusRead = Array.isArray(keys) && keys.some((k) => String(k).startsWith('status:'));
      const first = isStatusRead && ++calls === 1;
      const answer = await realGet(keys as string[]);
      if (first) await new Promise((r) => setTimeout(r, 30));
      return first ? {} : answer;
    });
    await keysItem.setValue([makeKey({ id: 'a', label: 'a', baseUrl: 'https://relay.example.com', secret: 'sk-a' })]);
    await fakeBrowser.storage.local.set({ [STORED.status('a')]: status });
    await vi.waitFor(() => expect(seen.at(-1)).toEqual({ a: status }));
    await new Promise((r) => setTimeout(r, 60));
    expect(seen.at(-1)).toEqual({ a: status });
    stop();
  });
});
