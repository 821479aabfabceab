import { describe, expect, it } from 'vitest';
import { getJson } from '@/lib/http';
import { errorDetail, errorText } from '@/lib/labels';
import { createRedirectWatch } from '@/lib/redirect-watch';
import { deferred, jsonResponse, NOW } from './helpers';

/**
 * Redirects as an extension sees them in the browser (issue #15, item 5): a manual
 * redirect is opaque (no Location), the browser's webRequest reports where it points,
 * and a followed redirect that cannot be completed (another site without access, https
 * without a server, a loop past 20 hops) throws, as Chromium's fetch does.
 */
function browser(routes: Record<string, string>, opts: { report?: boolean } = {}) {
  const watch = createRedirectWatch();
  const sent: { url: string; redirect?: RequestRedirect; auth: string | null }[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    sent.push({ url, redirect: init?.redirect, auth: new Headers(init?.headers).get('authorization') });
    const location = routes[url];
    if (location === undefined) return jsonResponse(200, { ok: 1 });
    if (init?.redirect === 'manual') {
      // The browser reports the 3xx to webRequest listeners; the fetch itself sees nothing.
      if (opts.report !== false) watch.record(url, location);
      return { type: 'opaqueredirect', status: 0, headers: new Headers(), body: null, url } as unknown as Response;
    }
    throw new TypeError('Failed to fetch');
  }) as typeof globalThis.fetch;
  return { fetch, sent, watchRedirect: watch.watch };
}

const read = (url: string, b: ReturnType<typeof browser>) =>
  getJson(url, { Authorization: 'Bearer sk-secret' }, { fetch: b.fetch, now: () => NOW, watchRedirect: b.watchRedirect });
const errorOf = (result: Awaited<ReturnType<typeof getJson>>) => (result.ok ? null : result.error);

describe('redirects in the browser, told apart without following them', () => {
  it('a redirect to another site names the site and sends one request, with the secret to the key’s own origin only', async () => {
    const b = browser({ 'http://127.0.0.1:3000/api/usage/token/': 'https://collector.example.net/steal' });
    const error = errorOf(await read('http://127.0.0.1:3000/api/usage/token/', b));
    expect(error).toMatchObject({ kind: 'bad-response', code: 'cross-origin-redirect' });
    expect(errorDetail(error?.message ?? '')).toBe('redirected to another site, https://collector.example.net');
    expect(b.sent.map((s) => s.url)).toEqual(['http://127.0.0.1:3000/api/usage/token/']);
  });

  it('an upgrade to https on the same host says to change the address', async () => {
    const b = browser({ 'http://relay.example.com/api/usage/token/': 'https://relay.example.com/api/usage/token/' });
    const error = errorOf(await read('http://relay.example.com/api/usage/token/', b));
    expect(error?.code).toBe('redirect');
    expect(errorText(error ?? { kind: 'bad-response', message: '' })).toMatch(
      /^The site sent the request elsewhere instead of answering: the site moved to https/,
    );
    expect(errorDetail(error?.message ?? '')).toBe("the site moved to https: change the key's address to https://relay.example.com");
    expect(b.sent).toHaveLength(1);
  });

  it('a loop stops at its first repeat, not after the browser’s 20 hops', async () => {
    const b = browser({
      'http://127.0.0.1:3000/api/usage/token/': '/api/usage/token',
      'http://127.0.0.1:3000/api/usage/token': '/api/usage/token/',
    });
    const error = errorOf(await read('http://127.0.0.1:3000/api/usage/token/', b));
    expect(errorDetail(error?.message ?? '')).toBe('the site redirects in a loop; Quota Glance stopped after the first repeat');
    expect(b.sent).toHaveLength(2);
  });

  it('a same-origin redirect is still followed with the secret', async () => {
    const b = browser({ 'http://127.0.0.1:3000/api/usage/token': '/api/usage/token/' });
    const result = await read('http://127.0.0.1:3000/api/usage/token', b);
    expect(result.ok && result.response.body).toEqual({ ok: 1 });
    expect(b.sent.at(-1)).toMatchObject({ url: 'http://127.0.0.1:3000/api/usage/token/', auth: 'Bearer sk-secret' });
  });

  it('without a report, a redirect the browser cannot complete says so instead of "connection failed"', async () => {
    const b = browser({ 'http://127.0.0.1:3000/api/usage/token/': 'https://127.0.0.1:3000/api/usage/token/' }, { report: false });
    const error = errorOf(await read('http://127.0.0.1:3000/api/usage/token/', b));
    expect(error?.message).toBe('redirected, and the target could not be reached');
    expect(errorDetail(error?.message ?? '')).not.toMatch(/connection failed/i);
    // The request that looked for the target carried no secret.
    expect(b.sent.filter((s) => s.auth !== null)).toHaveLength(1);
  });
});

describe('the redirect watch', () => {
  it('gives each request its own report, however close together two reads of one URL are', async () => {
    const watch = createRedirectWatch();
    const url = 'http://127.0.0.1:3000/api/usage/token/';
    const targets: Record<string, string> = { 'Bearer sk-a': 'https://a.example.net/', 'Bearer sk-b': 'https://b.example.net/' };
    const fetch = (async (_input: string | URL | Request, init?: RequestInit) => {
      const auth = new Headers(init?.headers).get('authorization') ?? '';
      watch.record(url, targets[auth] ?? '/');
      // The answer reaches the page a moment after the browser's report: room for another read to slip in.
      await new Promise((resolve) => setTimeout(resolve, 0));
      return { type: 'opaqueredirect', status: 0, headers: new Headers(), body: null, url } as unknown as Response;
    }) as typeof globalThis.fetch;
    const read = (auth: string) => getJson(url, { Authorization: auth }, { fetch, now: () => NOW, watchRedirect: watch.watch });
    const [a, b] = await Promise.all([read('Bearer sk-a'), read('Bearer sk-b')]);
    expect(a.ok ? '' : a.error.message).toBe('redirected to another site, https://a.example.net');
    expect(b.ok ? '' : b.error.message).toBe('redirected to another site, https://b.example.net');
  });

  it('ignores a report nobody is watching for, and answers null when none comes', async () => {
    const watch = createRedirectWatch();
    watch.record('https://a.test/x', '/stale');
    const watched = await watch.watch('https://a.test/x');
    expect(await watched.target(0)).toBeNull();
    watch.record('https://a.test/x', '/y');
    expect(await watched.target(0)).toBe('https://a.test/y');
    watched.done();
    const reported = deferred();
    const next = await watch.watch('https://a.test/x');
    const asked = next.target(60_000);
    queueMicrotask(() => {
      watch.record('https://a.test/x', 'https://b.test/z');
      reported.resolve();
    });
    await reported.promise;
    expect(await asked).toBe('https://b.test/z');
    next.done();
  });
});
