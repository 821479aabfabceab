import { describe, expect, it } from 'vitest';
import { getJson } from '@/lib/http';
import { errorDetail } from '@/lib/labels';
import { createRedirectWatch } from '@/lib/redirect-watch';
import { deferred, jsonResponse, NOW } from './helpers';

/**
 * Redirects as an extension sees them in the browser (issue #15, item 5): a manual
 * redirect is opaque (no Location), the browser's webRequest reports where it points,
 * and a followed redirect that cannot be completed (another site without access, https
 * without a server, a loop past 20 hops) throws, as Chromium's fetch does.
 */
function browser(routes: Record<string, string>, opts: { report?: boolean } = {}) {
  const watch = createRedirectWatch(() => NOW);
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
  return { fetch, sent, redirectTarget: (url: string) => watch.target(url, 0) };
}

const read = (url: string, b: ReturnType<typeof browser>) =>
  getJson(url, { Authorization: 'Bearer sk-secret' }, { fetch: b.fetch, now: () => NOW, redirectTarget: b.redirectTarget });
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
    expect(error?.code).toBeUndefined();
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
  it('answers a report that came before the question, and one that comes after', async () => {
    const watch = createRedirectWatch(() => NOW);
    watch.record('https://a.test/x', '/y');
    expect(await watch.target('https://a.test/x', 0)).toBe('https://a.test/y');
    // Used once: a later redirect of the same URL is not answered from an old report.
    const asked = watch.target('https://a.test/x', 60_000);
    const reported = deferred();
    queueMicrotask(() => {
      watch.record('https://a.test/x', 'https://b.test/z');
      reported.resolve();
    });
    await reported.promise;
    expect(await asked).toBe('https://b.test/z');
  });

  it('says nothing for a report too old or of another URL', async () => {
    let clock = NOW;
    const watch = createRedirectWatch(() => clock);
    watch.record('https://a.test/x', '/y');
    watch.record('https://a.test/other', '/z');
    clock += 60_000;
    expect(await watch.target('https://a.test/x', 0)).toBeNull();
    expect(await watch.target('https://a.test/never', 0)).toBeNull();
  });
});
