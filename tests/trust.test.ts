import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Alert } from '@/lib/alerts';
import { createEngine, type EngineDeps } from '@/lib/engine';
import { getJson, parseRetryAfter } from '@/lib/http';
import type { KeyConfig } from '@/lib/model';
import { MAX_MODEL_LIMITS, MAX_USAGE_MODELS, redactText } from '@/lib/redact';
import { BACKOFF_CEILING_MS, nextReadAt } from '@/lib/schedule';
import { patternCovers, patternsWithoutAccess, permissionPattern, unneededOrigins } from '@/lib/site';
import { forgetKeys, historyItem, keysItem, STORED, statusesItem } from '@/lib/storage/items';
import { memoryStore } from '../bench/memory-item';
import { type FakeGateway, type FakeToken, startGateway } from './fake-gateway/gateway';
import { deferred, jsonResponse, key48, NOW } from './helpers';

const secret = key48('trust');
const key = (fields: Partial<KeyConfig> = {}): KeyConfig => ({
  id: 'k',
  label: 'echo',
  baseUrl: 'https://relay.test',
  kind: 'newapi-token',
  secret: `sk-${secret}`,
  createdAt: 0,
  updatedAt: 0,
  ...fields,
});

function engineWith(keys: KeyConfig[], fetch: typeof globalThis.fetch, overrides: Partial<EngineDeps> = {}) {
  const store = memoryStore(keys);
  const rounds: { key: string; alert: Alert }[][] = [];
  let clock = NOW;
  const engine = createEngine({
    fetch,
    now: () => clock,
    hasHostAccess: async () => true,
    timeoutMs: 2000,
    ...store.deps,
    onCommitted: (alerts) => {
      rounds.push(alerts.map((a) => ({ key: a.key.label, alert: a.alert })));
    },
    ...overrides,
  });
  return { store, engine, rounds, tick: (ms: number) => (clock += ms) };
}

/** Everything stored except the keys themselves, as one string. */
const storedOutsideKeys = (store: ReturnType<typeof memoryStore>) => JSON.stringify({ ...store.data, keys: undefined });

describe('a gateway that echoes the key (issue #7, item 5)', () => {
  it.each([
    ['Bearer sk-…', `Invalid token Bearer sk-${secret}`],
    ['bare, without sk-', `token ${secret} is not valid`],
    ['Bearer without sk-', `Authorization: Bearer ${secret} refused`],
    ['upper case', `INVALID TOKEN SK-${secret.toUpperCase()}`],
  ])('keeps no form of it (%s) in storage or in the outcome', async (_, message) => {
    const { store, engine } = engineWith([key()], async () => jsonResponse(401, { success: false, message }));
    await engine.refresh('all');
    const status = store.data.statuses.k;
    expect(status?.error?.kind).toBe('auth');
    expect(status?.error?.message).toContain('•••');
    expect(storedOutsideKeys(store).toLowerCase()).not.toContain(secret.toLowerCase());
  });

  it('removes long token-like strings (another credential) and control characters from gateway text', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnopqrstuvwxyz012345';
    const text = redactText(`bad token ${jwt}\u202e\r\nnext`, []);
    expect(text).not.toContain('eyJzdWIiOiIxMjM0NTY3ODkwIn0');
    expect(text).not.toMatch(/[\u202e\r\n]/);
    expect(redactText('Invalid URL (GET /api/usage/token)', [])).toBe('Invalid URL (GET /api/usage/token)');
  });

  it('keeps a long token name without digits readable, and still removes a credential-like run', () => {
    expect(redactText('production-backend-server', [])).toBe('production-backend-server');
    expect(redactText('team_shared_batch_jobs_key', [])).toBe('team_shared_batch_jobs_key');
    expect(redactText('leak a1b2c3d4e5f6a7b8c9d0e1f2a3b4', [])).toBe('leak •••');
    expect(redactText(`leak ${'x'.repeat(40)}`, [])).toBe('leak •••');
  });

  it('redacts a Test (probe) answer too, which the options page shows', async () => {
    const { engine } = engineWith([], async () => jsonResponse(401, { message: `Invalid token Bearer sk-${secret}` }));
    const outcome = await engine.probe(key());
    expect(JSON.stringify(outcome)).not.toContain(secret);
  });
});

describe('a hostile gateway cannot fill storage (issue #7, item 9)', () => {
  it('caps the token name, model limits, usage by model and error messages', async () => {
    const huge = 'n'.repeat(900_000);
    const limits = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`model-${i}-${'m'.repeat(40)}`, true]));
    const fetch = async (url: string | URL | Request) => {
      const path = new URL(String(url)).pathname;
      if (path === '/api/usage/token/')
        return jsonResponse(200, {
          code: true,
          data: {
            object: 'token_usage',
            name: huge,
            total_granted: 1000,
            total_used: 0,
            total_available: 1000,
            unlimited_quota: false,
            model_limits: limits,
            model_limits_enabled: true,
            expires_at: 0,
          },
        });
      if (path === '/v1/models') return jsonResponse(200, { data: [] });
      return jsonResponse(404, { message: huge });
    };
    const { store, engine } = engineWith([key(), key({ id: 'k2', kind: 'newapi-user', userId: 1 })], fetch as typeof globalThis.fetch);
    await engine.refresh('all');
    const reading = store.data.statuses.k?.reading;
    expect(reading?.name?.length).toBeLessThanOrEqual(100);
    expect(reading?.modelLimits?.length).toBe(MAX_MODEL_LIMITS);
    expect(store.data.statuses.k2?.error?.message.length).toBeLessThanOrEqual(200);
    expect(JSON.stringify(store.data.statuses).length).toBeLessThan(10_000);
  });

  it('keeps only the largest models of an r9s usage answer', async () => {
    const records = Array.from({ length: 15_000 }, (_, i) => ({ timestamp: NOW / 1000 - 60, tokens: i, model: `m${i}` }));
    const fetch = async (url: string | URL | Request) => {
      const path = new URL(String(url)).pathname;
      if (path.endsWith('/balance')) return jsonResponse(200, { meta: { code: 0 }, data: { balance: 5, currency_code: 'USD' } });
      return jsonResponse(200, { meta: { code: 0 }, data: { records, total_tokens: 1 } });
    };
    const { store, engine } = engineWith(
      [key({ kind: 'r9s-manager', secret: `sk_mg_${'a'.repeat(64)}`, baseUrl: 'https://portal-api.r9s.test' })],
      fetch as typeof globalThis.fetch,
    );
    await engine.refresh('all');
    const usage = store.data.statuses.k?.reading?.usageByModel ?? [];
    expect(usage.length).toBeLessThanOrEqual(MAX_USAGE_MODELS);
    if (usage.length) expect(usage[0]?.model).toBe('m14999');
  });
});

describe('redirects on requests carrying a secret (issue #7, item 6)', () => {
  const A = 'https://relay.test';
  const B = 'https://elsewhere.test';
  /** A browser-like fetch: a manual redirect is opaque (no Location); a followed one ends at `finalUrl`. */
  function browserLike(finalUrl: string, redirected: boolean, answer: () => Response) {
    const calls: { url: string; redirect?: RequestRedirect; auth: string | null }[] = [];
    let first = true;
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      calls.push({ url, redirect: init?.redirect, auth: new Headers(init?.headers).get('authorization') });
      if (init?.redirect === 'manual' && first) {
        first = false;
        return { type: 'opaqueredirect', status: 0, headers: new Headers(), body: null, url } as unknown as Response;
      }
      if (init?.redirect === 'follow') {
        const followed = new Response('{}', { headers: { 'content-type': 'application/json' } });
        return Object.defineProperties(followed, { url: { value: finalUrl }, redirected: { value: redirected } });
      }
      return answer();
    };
    return { fetch: fetch as typeof globalThis.fetch, calls };
  }

  it('reports a redirect to another origin as its own error, without following it with the secret', async () => {
    const { fetch, calls } = browserLike(`${B}/api/usage/token/`, true, () => jsonResponse(200, {}));
    const result = await getJson(`${A}/api/usage/token/`, { Authorization: 'Bearer sk-x' }, { fetch, now: () => NOW });
    expect(result.ok ? null : result.error).toMatchObject({ kind: 'bad-response', code: 'cross-origin-redirect' });
    expect(result.ok ? '' : result.error.message).toContain('https://elsewhere.test');
    // Only the first request carried the secret; the one that found the target carried none.
    expect(calls.filter((c) => c.auth !== null).map((c) => c.url)).toEqual([`${A}/api/usage/token/`]);
  });

  it('does not call an A→B→A bounce a refused key', async () => {
    const { fetch } = browserLike(`${A}/api/usage/token/`, true, () => jsonResponse(401, { message: 'no token' }));
    const result = await getJson(`${A}/api/usage/token/`, { Authorization: 'Bearer sk-x' }, { fetch, now: () => NOW });
    expect(result.ok ? null : result.error).toMatchObject({ kind: 'bad-response', code: 'cross-origin-redirect' });
  });

  it('follows a same-origin redirect with the secret, also where the browser hides Location', async () => {
    const { fetch, calls } = browserLike(`${A}/api/usage/token/`, true, () => jsonResponse(200, { ok: 1 }));
    const result = await getJson(`${A}/api/usage/token`, { Authorization: 'Bearer sk-x' }, { fetch, now: () => NOW });
    expect(result.ok && result.response.body).toEqual({ ok: 1 });
    expect(calls.at(-1)).toMatchObject({ url: `${A}/api/usage/token/`, redirect: 'manual', auth: 'Bearer sk-x' });
  });

  it('stops a real A→B→A bounce at the first hop (Node shows Location)', async () => {
    let back: FakeGateway | undefined;
    const away = await startGateway({ now: () => NOW, flavor: 'new-api', tokens: [] });
    try {
      back = await startGateway({
        now: () => NOW,
        flavor: 'new-api',
        tokenRouteRedirect: away.origin.replace('127.0.0.1', 'localhost'),
        tokens: [],
      });
      const result = await getJson(`${back.url}/api/usage/token/`, { Authorization: 'Bearer sk-x' }, { fetch, now: Date.now });
      expect(result.ok ? null : result.error).toMatchObject({ kind: 'bad-response', code: 'cross-origin-redirect' });
      expect(away.requests).toEqual([]);
    } finally {
      await Promise.all([away.close(), back?.close()]);
    }
  });
});

describe('Retry-After (issue #7, item 13)', () => {
  it('is capped at the backoff ceiling', () => {
    expect(parseRetryAfter('99999999999', NOW)).toBe(NOW + BACKOFF_CEILING_MS);
    expect(parseRetryAfter('Fri, 01 Jan 5195 00:00:00 GMT', NOW)).toBe(NOW + BACKOFF_CEILING_MS);
    expect(parseRetryAfter('120', NOW)).toBe(NOW + 120_000);
  });

  it('schedules a key stored with a far Retry-After no later than the ceiling', () => {
    const status = {
      reading: null,
      error: { kind: 'rate-limited' as const, message: 'HTTP 429', retryAt: Date.UTC(5195, 0, 1), at: NOW },
      attemptedAt: NOW,
      failures: 1,
    };
    expect(nextReadAt(key(), status, 30, NOW)).toBeLessThanOrEqual(NOW + BACKOFF_CEILING_MS);
  });

  it('lets a person’s Refresh ask again at once', async () => {
    let asked = 0;
    const { engine, store } = engineWith([key()], async () => {
      asked++;
      return new Response(null, { status: 429, headers: { 'retry-after': '99999999999' } });
    });
    await engine.refresh('all');
    expect(store.data.statuses.k?.error?.retryAt).toBeLessThanOrEqual(NOW + BACKOFF_CEILING_MS);
    const before = asked;
    await engine.refresh('all');
    expect(asked).toBeGreaterThan(before);
  });
});

describe('an edit during a read (issue #7, item 12)', () => {
  let gateway: FakeGateway;
  const oldSecret = key48('old');
  const newSecret = key48('new');
  const tokens: FakeToken[] = [
    { key: oldSecret, remain: 1_000_000, used: 0 },
    { key: newSecret, remain: 3_000_000, used: 0 },
  ];
  beforeEach(async () => {
    gateway = await startGateway({ now: () => NOW, flavor: 'new-api', tokens });
  });
  afterEach(() => gateway.close());

  it('drops the result read with the old secret and reads the new one', async () => {
    const held = deferred();
    const oldReadStarted = deferred();
    const fetch: typeof globalThis.fetch = async (input, init) => {
      // The old secret's read is slow; the user saves a new secret meanwhile.
      if (new Headers(init?.headers).get('authorization')?.includes(oldSecret)) {
        oldReadStarted.resolve();
        await held.promise;
      }
      return globalThis.fetch(input, init);
    };
    const { engine, store } = engineWith([key({ baseUrl: gateway.url, secret: oldSecret })], fetch);
    const first = engine.refresh('all');
    // The edit lands while the old secret's request is on its way.
    await oldReadStarted.promise;
    store.data.keys = [key({ baseUrl: gateway.url, secret: newSecret, updatedAt: 1 })];
    const afterEdit = engine.refresh(['k'], { reset: true });
    held.resolve();
    await Promise.all([first, afterEdit]);
    expect(store.data.statuses.k?.reading?.remaining).toBe(6);
    const authorised = gateway.requests.filter((r) => r.path === '/api/usage/token/').map((r) => String(r.headers.authorization));
    expect(authorised.some((a) => a.includes(newSecret))).toBe(true);
  });
});

describe('one round of reads is announced as a whole (issue #7, item 3)', () => {
  it('hands every alert of a round to the announcer at once, even when the round commits in parts', async () => {
    const keys = Array.from({ length: 26 }, (_, i) =>
      key({ id: `k${i}`, label: `key ${i}`, secret: key48(`r${i}`), baseUrl: `https://relay${i}.test` }),
    );
    let n = 0;
    const harness = engineWith(
      keys,
      async (input) => {
        const path = new URL(String(input)).pathname;
        if (path !== '/api/usage/token/') return jsonResponse(200, { data: [] });
        harness.tick(1_000); // slow enough that the round commits midway (every 5 s)
        n++;
        return jsonResponse(200, {
          code: true,
          data: {
            object: 'token_usage',
            name: '',
            total_granted: 1_000_000,
            total_used: 990_000,
            total_available: 10_000,
            unlimited_quota: false,
            model_limits: {},
            model_limits_enabled: false,
            expires_at: 0,
          },
        });
        // One fake clock for all concurrent reads: each read would see the others' seconds, so no read times out here.
      },
      { timeoutMs: 600_000 },
    );
    await harness.engine.refresh('all');
    expect(n).toBe(26);
    const withAlerts = harness.rounds.filter((r) => r.length > 0);
    expect(withAlerts).toHaveLength(1);
    expect(withAlerts[0]).toHaveLength(26);
  });
});

describe('host access (issue #7, item 7)', () => {
  it('keeps the port in Chrome’s pattern and leaves it out where Firefox cannot take one', () => {
    expect(permissionPattern('http://127.0.0.1:8080/relay', true)).toBe('http://127.0.0.1:8080/*');
    expect(permissionPattern('http://127.0.0.1:8080/relay', false)).toBe('http://127.0.0.1/*');
    expect(permissionPattern('https://relay.example.com')).toBe('https://relay.example.com/*');
  });

  it('matches patterns to sites by scheme, host and port', () => {
    expect(patternCovers('http://h.test:8080/*', 'http://h.test:8080')).toBe(true);
    expect(patternCovers('http://h.test:8080/*', 'http://h.test:9090')).toBe(false);
    expect(patternCovers('http://h.test/*', 'http://h.test:9090')).toBe(true);
    expect(patternCovers('https://*.h.test/*', 'https://a.h.test')).toBe(true);
    expect(patternCovers('https://h.test/*', 'http://h.test')).toBe(false);
  });

  it('names the pattern to ask for of each site no grant covers, once per site', () => {
    const granted = ['http://127.0.0.1/*', 'https://*.h.test/*'];
    const sites = ['http://127.0.0.1:8080', 'https://a.h.test', 'https://other.test/relay', 'https://other.test/v2', 'http://h.test'];
    expect([...patternsWithoutAccess(granted, sites)]).toEqual(['https://other.test/*', 'http://h.test/*']);
    expect([...patternsWithoutAccess(['<all_urls>'], sites)]).toEqual([]);
  });

  it('gives back what no saved key needs, never the install-time or broad grants', () => {
    const granted = ['https://gone.test/*', 'https://kept.test/*', 'http://127.0.0.1/*', 'https://*/*', 'http://h.test:81/*'];
    expect(unneededOrigins(granted, ['https://kept.test/v1x', 'http://h.test:81'], ['http://127.0.0.1/*'])).toEqual([
      'https://gone.test/*',
    ]);
  });
});

describe('deleting a key (issue #7, item 5)', () => {
  it('removes its status and history at once', async () => {
    const site = { baseUrl: 'https://relay.example.com', kind: 'auto' as const, createdAt: 0, updatedAt: 0 };
    const before: KeyConfig[] = [
      { ...site, id: 'a', label: 'a', secret: 'sk-a' },
      { ...site, id: 'b', label: 'b', secret: 'sk-b' },
    ];
    await keysItem.setValue(before);
    await statusesItem.setValue({
      a: { reading: null, error: { kind: 'auth', message: 'x', at: 1 }, attemptedAt: 1, failures: 1 },
      b: { reading: null, error: null, attemptedAt: 1, failures: 0 },
    });
    await fakeBrowser.storage.local.set({ [STORED.today('a')]: [[1, 1]], [STORED.today('b')]: [[1, 2]] });
    const after = before.filter((k) => k.id === 'b');
    // The background forgets after the list was written (it watches the list).
    await keysItem.setValue(after);
    expect(await forgetKeys(before, after)).toEqual(['a']);
    expect(Object.keys(await statusesItem.getValue())).toEqual(['b']);
    expect(Object.keys(await historyItem.getMany(['a', 'b']))).toEqual(['b']);
    expect(await fakeBrowser.storage.local.get(STORED.status('a'))).toEqual({});
    expect(await forgetKeys(after, after)).toEqual([]);
  });

  it('takes its site out of the display and budget caches when no other key uses it (issue #15, item 5)', async () => {
    const display = { quotaPerUnit: 500_000, displayType: 'USD', usdExchangeRate: 7.3, customSymbol: '¤', customRate: 1, newApi: true };
    const keys: KeyConfig[] = [
      { id: 'a', label: 'a', secret: 'sk-a', baseUrl: 'https://gone.example.com', kind: 'auto', createdAt: 0, updatedAt: 0 },
      { id: 'b', label: 'b', secret: 'sk-b', baseUrl: 'https://kept.example.com/relay', kind: 'auto', createdAt: 0, updatedAt: 0 },
    ];
    await keysItem.setValue(keys);
    await fakeBrowser.storage.local.set({
      [STORED.sites]: {
        'https://gone.example.com': { display, fetchedAt: 1 },
        'https://kept.example.com/relay': { display, fetchedAt: 1 },
      },
      [STORED.budget]: { 'https://gone.example.com': [1], 'https://kept.example.com': [2] },
    });
    const after = keys.filter((k) => k.id === 'b');
    await keysItem.setValue(after);
    await forgetKeys(keys, after);
    const stored = await fakeBrowser.storage.local.get([STORED.sites, STORED.budget]);
    expect(Object.keys(stored[STORED.sites] as object)).toEqual(['https://kept.example.com/relay']);
    expect(stored[STORED.budget]).toEqual({ 'https://kept.example.com': [2] });
  });
});
