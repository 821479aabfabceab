import type { KeyConfig, KeyStatus, Reading } from '@/lib/model';
import type { AdapterContext } from '@/lib/providers/adapter';
import { DEFAULT_SITE_DISPLAY } from '@/lib/providers/newapi/units';
import { parseSiteDisplay } from '@/lib/site-status';

export const NOW = Date.UTC(2026, 10, 22, 3, 0, 0);
export const NOW_S = Math.floor(NOW / 1000);

/** A new-api key as the site stores it: 48 alphanumerics (shared/spec/new-api.md §0). */
export const key48 = (seed: string) => (seed.repeat(48) + 'x'.repeat(48)).replace(/[^A-Za-z0-9]/g, 'a').slice(0, 48);

/** A new-api token's reading in USD: `remaining` left of $10 granted, read at NOW; `fields` override. */
export function usdReading(remaining: number, fields: Partial<Reading> = {}): Reading {
  return {
    kind: 'newapi-token',
    scope: 'key',
    unit: { code: 'USD' },
    unlimited: false,
    remaining,
    granted: 10,
    used: 10 - remaining,
    expiresAt: null,
    fetchedAt: NOW,
    ...fields,
  };
}

/** The status of a key whose last attempt gave that reading. */
export function usdStatus(remaining: number, fields: Partial<Reading> = {}): KeyStatus {
  const reading = usdReading(remaining, fields);
  return { reading, error: null, attemptedAt: reading.fetchedAt, failures: 0 };
}

export function makeKey(fields: Partial<KeyConfig> & Pick<KeyConfig, 'baseUrl' | 'secret'>): KeyConfig {
  return { id: fields.label ?? 'k1', label: 'k1', kind: 'auto', createdAt: 0, updatedAt: 0, ...fields };
}

/** An adapter context over real HTTP; `/api/status` is read live from the same site, like the engine does. */
export function liveContext(siteRoot: string, now = () => NOW): AdapterContext {
  return {
    fetch: (...args) => fetch(...args),
    now,
    timeoutMs: 2000,
    siteDisplay: async () => {
      const res = await fetch(`${siteRoot}/api/status`).catch(() => null);
      if (!res?.ok || !res.headers.get('content-type')?.includes('json')) return DEFAULT_SITE_DISPLAY;
      return parseSiteDisplay(await res.json()) ?? DEFAULT_SITE_DISPLAY;
    },
  };
}

/** A context whose fetch answers with a fixed response, for odd bodies no server would be asked to make. */
export function cannedContext(respond: (url: string, init?: RequestInit) => Response | Promise<Response>): AdapterContext {
  return {
    fetch: async (input, init) => respond(String(input), init),
    now: () => NOW,
    timeoutMs: 500,
    siteDisplay: async () => DEFAULT_SITE_DISPLAY,
  };
}

export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });

/** A promise settled from outside: orders events in a test without sleeping (a sleep passes under load without the fix). */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
