import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AdapterContext } from '@/lib/providers/adapter';
import { DEFAULT_SITE_DISPLAY } from '@/lib/providers/newapi/units';
import { ADAPTERS } from '@/lib/providers/read';
import { jsonResponse, makeKey, NOW } from './helpers';

/**
 * One honest timeout (issue #9, item 6): a read that needs two requests (billing:
 * subscription, then usage) has one limit between them, and says that limit.
 */
afterEach(() => vi.restoreAllMocks());

const key = makeKey({ kind: 'openai-billing', baseUrl: 'https://slow.example.com', secret: 'sk-slow' });

function context(fetch: typeof globalThis.fetch, clock: { now: number }): AdapterContext {
  return { fetch, now: () => clock.now, timeoutMs: 15_000, deadline: NOW + 15_000, siteDisplay: async () => DEFAULT_SITE_DISPLAY };
}

describe('a read’s deadline', () => {
  it('gives the second request only what is left of the read’s 15 s', async () => {
    const clock = { now: NOW };
    const given: number[] = [];
    const timeout = vi.spyOn(AbortSignal, 'timeout');
    timeout.mockImplementation((ms: number) => {
      given.push(ms);
      return new AbortController().signal;
    });
    const fetch = (async (input: RequestInfo | URL) => {
      // The subscription answers after 10 s; the usage at once.
      if (String(input).includes('subscription')) {
        clock.now += 10_000;
        return jsonResponse(200, { object: 'billing_subscription', hard_limit_usd: 10, access_until: 0 });
      }
      return jsonResponse(200, { object: 'list', total_usage: 100 });
    }) as typeof globalThis.fetch;
    const outcome = await ADAPTERS['openai-billing'](key, context(fetch, clock));
    expect(outcome.ok).toBe(true);
    expect(given).toEqual([15_000, 5_000]);
  });

  it('asks nothing more once the read’s time is up, and says the one limit', async () => {
    const clock = { now: NOW };
    const asked: string[] = [];
    const fetch = (async (input: RequestInfo | URL) => {
      asked.push(String(input));
      clock.now += 16_000;
      return jsonResponse(200, { object: 'billing_subscription', hard_limit_usd: 10, access_until: 0 });
    }) as typeof globalThis.fetch;
    const outcome = await ADAPTERS['openai-billing'](key, context(fetch, clock));
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'timeout', message: 'no answer within 15 s' } });
    expect(asked).toHaveLength(1);
  });
});
