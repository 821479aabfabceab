import { describe, expect, it } from 'vitest';
import { createEngine } from '@/lib/engine';
import type { KeyConfig } from '@/lib/model';
import { memoryStore } from '../bench/memory-item';
import { jsonResponse, key48, NOW } from './helpers';

/** A person stops a slow Refresh or Test (issue #9, item 6). */
const key = (i: number): KeyConfig => ({
  id: `k${i}`,
  label: `key ${i}`,
  baseUrl: 'https://slow.example.com',
  kind: 'openai-billing',
  secret: `sk-${key48(`s${i}`)}`,
  createdAt: 0,
  updatedAt: 0,
});

/** A site that answers only when told to, and ends a request when it is aborted. */
function slowSite() {
  const asked: string[] = [];
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    asked.push(String(input));
    return new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
  }) as typeof globalThis.fetch;
  return { asked, fetch };
}

describe('Stop', () => {
  it('ends a Refresh at once: requests under way end, the rest are not sent, and what was known stays', async () => {
    const site = slowSite();
    const keys = [key(0), key(1), key(2), key(3)];
    const store = memoryStore(keys);
    const known = {
      reading: null,
      error: { kind: 'auth' as const, message: 'HTTP 401', at: NOW - 1 },
      attemptedAt: NOW - 1,
      failures: 1,
    };
    await store.area.set({ 'status:k0': known });
    const engine = createEngine({ fetch: site.fetch, now: () => NOW, hasHostAccess: async () => true, ...store.deps });
    const refreshing = engine.refresh('all');
    // Two requests at once per site: wait for them to be under way, then stop.
    await expect.poll(() => site.asked.length).toBe(2);
    engine.stop();
    const summary = await refreshing;
    expect(summary).toMatchObject({ total: 4, ok: 0 });
    expect(site.asked).toHaveLength(2);
    // Nothing recorded: the stopped keys keep what was known (or stay unread).
    expect(store.data.statuses).toEqual({ k0: known });
  });

  it('ends a Test with a stopped outcome, and the next Refresh reads again', async () => {
    const site = slowSite();
    const store = memoryStore([key(0)]);
    let answer = false;
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
      answer
        ? Promise.resolve(
            String(input).includes('subscription')
              ? jsonResponse(200, { object: 'billing_subscription', hard_limit_usd: 10, access_until: 0 })
              : jsonResponse(200, { object: 'list', total_usage: 100 }),
          )
        : site.fetch(input, init)) as typeof globalThis.fetch;
    const engine = createEngine({ fetch, now: () => NOW, hasHostAccess: async () => true, ...store.deps });
    const testing = engine.probe(key(0));
    await expect.poll(() => site.asked.length).toBe(1);
    engine.stop();
    expect(await testing).toMatchObject({ ok: false, error: { code: 'stopped' } });
    answer = true;
    expect(await engine.refresh('all')).toMatchObject({ ok: 1 });
    expect(store.data.statuses.k0?.reading).toMatchObject({ remaining: 9 });
  });
});
