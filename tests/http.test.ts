import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, parseRetryAfter } from '@/lib/http';
import type { ReadOutcome } from '@/lib/model';
import { readKey } from '@/lib/providers/read';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { cannedContext, jsonResponse, key48, liveContext, makeKey, NOW } from './helpers';

const secret = key48('transport');
const outcomeOf = (o: ReadOutcome) => (o.ok ? { ok: true } : { kind: o.error.kind, retryAt: o.error.retryAt });

describe('transport: what proxies and odd servers send', () => {
  const billingKey = makeKey({ kind: 'openai-billing', baseUrl: 'https://relay.test', secret });

  it.each([
    [
      'nginx 502 page',
      new Response('<html><head><title>502 Bad Gateway</title></head></html>', { status: 502, headers: { 'content-type': 'text/html' } }),
      'server',
    ],
    [
      'Cloudflare challenge (403 HTML)',
      new Response('<!DOCTYPE html><title>Just a moment...</title>', {
        status: 403,
        headers: { 'content-type': 'text/html; charset=UTF-8' },
      }),
      'bad-response',
    ],
    [
      'SPA page with HTTP 200',
      new Response('<!doctype html><div id=root></div>', { status: 200, headers: { 'content-type': 'text/html' } }),
      'bad-response',
    ],
    ['empty 200 body', new Response('', { status: 200, headers: { 'content-type': 'application/json' } }), 'bad-response'],
    [
      'malformed JSON',
      new Response('{"hard_limit_usd":', { status: 200, headers: { 'content-type': 'application/json' } }),
      'bad-response',
    ],
    [
      'JSON without a content type',
      new Response('{"hard_limit_usd":1}', { status: 200, headers: { 'content-type': 'text/plain' } }),
      'bad-response',
    ],
    ['413 from a proxy', new Response('<html>413</html>', { status: 413, headers: { 'content-type': 'text/html' } }), 'bad-response'],
    [
      'billing error object with HTTP 200',
      jsonResponse(200, { error: { message: 'db is down', type: 'upstream_error', param: '', code: null } }),
      'server',
    ],
    ['one-hub success:false with HTTP 200', jsonResponse(200, { success: false, message: '获取信息失败' }), 'server'],
    [
      'billing error with HTTP 401',
      jsonResponse(401, { error: { code: '', message: 'Invalid token (request id: x)', type: 'new_api_error' } }),
      'auth',
    ],
    [
      'IP allow-list 403',
      jsonResponse(403, { error: { code: 'access_denied', message: '您的 IP 不在令牌允许访问的列表中', type: 'new_api_error' } }),
      'forbidden',
    ],
  ])('types a %s', async (_, response, kind) => {
    const outcome = await readKey(
      billingKey,
      cannedContext(() => response.clone()),
    );
    expect(outcomeOf(outcome)).toMatchObject({ kind });
  });

  it('turns an empty-body 429 into rate-limited and honours Retry-After', async () => {
    const outcome = await readKey(
      billingKey,
      cannedContext(() => new Response(null, { status: 429, headers: { 'retry-after': '120' } })),
    );
    expect(outcomeOf(outcome)).toEqual({ kind: 'rate-limited', retryAt: NOW + 120_000 });
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('30', NOW)).toBe(NOW + 30_000);
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(NOW + 90_000);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });

  it('removes float noise and exponent forms from billing numbers', async () => {
    const context = cannedContext((url) =>
      url.endsWith('subscription')
        ? jsonResponse(200, '{"object":"billing_subscription","hard_limit_usd":30,"access_until":0}')
        : jsonResponse(200, '{"object":"list","total_usage":2999.9999999999996}'),
    );
    const outcome = await readKey(billingKey, context);
    expect(outcome.ok && outcome.reading).toMatchObject({ remaining: 0, granted: 30, used: 30 });
    const tiny = await readKey(
      billingKey,
      cannedContext((url) =>
        url.endsWith('subscription')
          ? jsonResponse(200, '{"hard_limit_usd":1e-7,"access_until":0}')
          : jsonResponse(200, '{"total_usage":0}'),
      ),
    );
    expect(tiny.ok && tiny.reading.remaining).toBe(0);
  });

  it('refuses an answer larger than the cap without reading it all', async () => {
    const huge = `{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`;
    const result = await getJson('https://relay.test/x', {}, { fetch: async () => jsonResponse(200, huge), now: () => NOW });
    expect(result.ok ? 'ok' : result.error.kind).toBe('bad-response');
  });
});

describe('transport: real HTTP', () => {
  let site: FakeGateway;
  let slow: FakeGateway;
  let elsewhere: FakeGateway;
  let redirecting: FakeGateway;
  beforeAll(async () => {
    site = await startGateway({ now: () => NOW, flavor: 'new-api', tokens: [{ key: secret, remain: 500_000, used: 0 }] });
    slow = await startGateway({ now: () => NOW, flavor: 'new-api', latencyMs: 1500, tokens: [] });
    elsewhere = await startGateway({ now: () => NOW, flavor: 'new-api', tokens: [{ key: secret, remain: 500_000, used: 0 }] });
    // localhost and 127.0.0.1 are different origins.
    redirecting = await startGateway({
      now: () => NOW,
      flavor: 'new-api',
      tokenRouteRedirect: elsewhere.origin.replace('127.0.0.1', 'localhost'),
      tokens: [],
    });
  });
  afterAll(async () => {
    await Promise.all([site, slow, elsewhere, redirecting].map((g) => g.close()));
  });

  it('follows the same-origin 301 of the slash-less token route and keeps the key', async () => {
    const result = await getJson(`${site.url}/api/usage/token`, { Authorization: `Bearer sk-${secret}` }, { fetch, now: Date.now });
    expect(result.ok && result.response.status).toBe(200);
    expect(site.requests.map((r) => [r.path, r.status])).toEqual([
      ['/api/usage/token', 301],
      ['/api/usage/token/', 200],
    ]);
  });

  it('times out a site that does not answer', async () => {
    const outcome = await readKey(makeKey({ kind: 'newapi-token', baseUrl: slow.url, secret }), {
      ...liveContext(slow.url),
      timeoutMs: 300,
    });
    expect(outcomeOf(outcome)).toMatchObject({ kind: 'timeout' });
  });

  it('never hands the secret to another origin on a redirect', async () => {
    const outcome = await readKey(makeKey({ kind: 'newapi-token', baseUrl: redirecting.url, secret }), liveContext(redirecting.url));
    // Its own error: not a refused key, not "does not offer this kind of reading"; and not followed at all.
    expect(outcome.ok ? null : outcome.error).toMatchObject({ kind: 'bad-response', code: 'cross-origin-redirect' });
    expect(elsewhere.requests).toEqual([]);
  });

  it('says network when nothing listens', async () => {
    const outcome = await readKey(
      makeKey({ kind: 'newapi-token', baseUrl: 'http://127.0.0.1:9', secret }),
      liveContext('http://127.0.0.1:9'),
    );
    expect(outcomeOf(outcome)).toMatchObject({ kind: 'network' });
  });
});
