import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '@/lib/engine';
import type { CustomMapping, KeyConfig } from '@/lib/model';
import { lookUp, mapAnswer } from '@/lib/providers/custom';
import { readKey } from '@/lib/providers/read';
import { ANSWER_CAPS, redactAnswer } from '@/lib/providers/redact';
import { memoryStore } from '../bench/memory-item';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { answer } from './fake-gateway/providers';
import { cannedContext, jsonResponse, liveContext, makeKey, NOW } from './helpers';

const key = (custom: CustomMapping, fields: Partial<KeyConfig> = {}) =>
  makeKey({ kind: 'custom', baseUrl: 'https://proxy.example.com', secret: 'abc123', custom, ...fields });
const map = (body: unknown, custom: Omit<CustomMapping, 'path'>, fields: Partial<KeyConfig> = {}) =>
  mapAnswer(body, { path: '/x', ...custom }, key({ path: '/x', ...custom }, fields), NOW);

describe('paths (automation.md §3.1)', () => {
  const doc = { data: { items: [{ left: 3 }, { left: 4 }], 'a/b': 1, 'm~n': 2, '': 5 } };
  it.each([
    ['/data/items/1/left', 4],
    ['data.items.0.left', 3],
    ['/data/a~1b', 1],
    ['/data/m~0n', 2],
    ['/data/', 5],
  ])('%s', (path, want) => {
    expect(lookUp(doc, path)).toBe(want);
  });
  it('names nothing past the end of an array, on a non-index segment, or through a scalar', () => {
    for (const path of ['/data/items/2/left', 'data.items.x', '/data/items/01', 'data.items.0.left.more', '/data/toString'])
      expect(typeof lookUp(doc, path)).toBe('symbol');
  });
});

describe('mapping an answer', () => {
  it('reads the spec’s example: remaining, granted, used, unlimited, expiry, unit', () => {
    const body = { data: { balance: '7.5', total: 10, used: 2.5, unlimited: false, expire_at: 1_800_000_000 } };
    const outcome = map(
      body,
      { remaining: '/data/balance', granted: '/data/total', used: 'data.used', unlimited: '/data/unlimited', expiresAt: '/data/expire_at' },
      { currency: 'CNY' },
    );
    expect(outcome).toEqual({
      ok: true,
      reading: {
        kind: 'custom',
        scope: 'unqualified',
        unit: { code: 'CNY' },
        unlimited: false,
        remaining: 7.5,
        granted: 10,
        used: 2.5,
        expiresAt: 1_800_000_000,
        fetchedAt: NOW,
      },
    });
  });

  it('computes remaining as granted − used, divides by scale, and is USD by default', () => {
    const outcome = map({ q: { total: 5_000_000, used: 750_000 } }, { granted: 'q.total', used: 'q.used', scale: 500_000 });
    expect(outcome).toMatchObject({ ok: true, reading: { remaining: 8.5, granted: 10, used: 1.5, unit: { code: 'USD' } } });
  });

  it('takes expiry in seconds, milliseconds or ISO, and 0, -1, null as never', () => {
    const at = (value: unknown) => map({ r: 1, e: value }, { remaining: 'r', expiresAt: 'e' });
    expect(at(1_800_000_000)).toMatchObject({ reading: { expiresAt: 1_800_000_000 } });
    expect(at(1_800_000_000_123)).toMatchObject({ reading: { expiresAt: 1_800_000_000 } });
    expect(at('2027-01-15T00:00:00Z')).toMatchObject({ reading: { expiresAt: Date.UTC(2027, 0, 15) / 1000 } });
    for (const never of [0, -1, null]) expect(at(never)).toMatchObject({ ok: true, reading: { expiresAt: null } });
    expect(at('soon')).toMatchObject({ ok: false, error: { kind: 'bad-response', message: '"expiresAt" (e) is not a date' } });
  });

  it('an unlimited key needs no amounts', () => {
    const outcome = map({ u: true, r: null }, { remaining: 'r', unlimited: 'u' });
    expect(outcome).toMatchObject({ ok: true, reading: { unlimited: true, remaining: null, granted: null } });
  });

  it('says which path names nothing or not a number', () => {
    expect(map({ data: {} }, { remaining: '/data/balance' })).toEqual({
      ok: false,
      error: { kind: 'bad-response', message: '"remaining" (/data/balance) names nothing in the answer' },
    });
    expect(map({ b: 'lots' }, { remaining: 'b' })).toEqual({
      ok: false,
      error: { kind: 'bad-response', message: '"remaining" (b) is not a number' },
    });
    expect(map({ b: 1, u: 'yes' }, { remaining: 'b', unlimited: 'u' })).toMatchObject({
      ok: false,
      error: { kind: 'bad-response', message: '"unlimited" (u) is not true or false' },
    });
    expect(map({ b: true }, { remaining: 'b' })).toMatchObject({ ok: false, error: { kind: 'bad-response' } });
  });
});

describe('the request', () => {
  const capture = async (custom: CustomMapping, status = 200, body: unknown = { balance: 1 }) => {
    const seen: { url: string; headers: Headers }[] = [];
    const outcome = await readKey(
      key(custom),
      cannedContext((url, init) => {
        seen.push({ url, headers: new Headers(init?.headers) });
        return jsonResponse(status, body);
      }),
    );
    return { outcome, seen };
  };

  it('sends Authorization: Bearer {secret} by default, to baseUrl + path', async () => {
    const { outcome, seen } = await capture({ path: '/api/balance', remaining: 'balance' });
    expect(outcome).toMatchObject({ ok: true, reading: { remaining: 1 } });
    expect(seen.map((s) => s.url)).toEqual(['https://proxy.example.com/api/balance']);
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer abc123');
  });

  it('sends the key’s own headers with {secret} filled in, and no Authorization', async () => {
    const { seen } = await capture({ path: '/b', remaining: 'balance', headers: { 'X-Api-Key': '{secret}', 'X-Client': 'qg' } });
    expect(seen[0]?.headers.get('x-api-key')).toBe('abc123');
    expect(seen[0]?.headers.get('x-client')).toBe('qg');
    expect(seen[0]?.headers.get('authorization')).toBeNull();
  });

  it('maps 401 and 403 to auth and forbidden', async () => {
    expect((await capture({ path: '/b', remaining: 'balance' }, 401, { message: 'no' })).outcome).toMatchObject({
      ok: false,
      error: { kind: 'auth' },
    });
    expect((await capture({ path: '/b', remaining: 'balance' }, 403, { message: 'no' })).outcome).toMatchObject({
      ok: false,
      error: { kind: 'forbidden' },
    });
  });

  it('sends nothing for a key without a usable mapping', async () => {
    const { outcome, seen } = await capture({ path: 'relative', remaining: 'balance' });
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'bad-response' } });
    expect(seen).toEqual([]);
  });
});

describe('against the fake gateway’s custom endpoint', () => {
  let gateway: FakeGateway;
  beforeAll(async () => {
    gateway = await startGateway({
      now: () => NOW,
      flavor: 'custom',
      provider: {
        path: '/api/balance',
        header: 'X-Api-Key',
        accounts: {
          k1: { data: { balance: '12.5', total: 20, expire_at: '2027-01-15T00:00:00Z' } },
          k2: answer(403, { error: 'disabled' }),
        },
      },
    });
  });
  afterAll(() => gateway.close());

  it('reads through the key’s header and mapping', async () => {
    const custom = {
      path: '/api/balance',
      headers: { 'X-Api-Key': '{secret}' },
      remaining: '/data/balance',
      granted: 'data.total',
      expiresAt: 'data.expire_at',
    };
    const read = (secret: string) => readKey(makeKey({ kind: 'custom', baseUrl: gateway.url, secret, custom }), liveContext(gateway.url));
    expect(await read('k1')).toMatchObject({
      ok: true,
      reading: { remaining: 12.5, granted: 20, used: 7.5, expiresAt: Date.UTC(2027, 0, 15) / 1000 },
    });
    expect(await read('k2')).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await read('nobody')).toMatchObject({ ok: false, error: { kind: 'auth' } });
  });

  it('fills `{secret}` in the path’s query, URL-encoded, for endpoints that take the key there (issue #15, item 5)', async () => {
    const byQuery = await startGateway({
      now: () => NOW,
      flavor: 'custom',
      provider: { path: '/balance', query: 'key', accounts: { 'k1/+&=': { left: 3 } } },
    });
    try {
      const custom = { path: '/balance?key={secret}', headers: { Accept: 'application/json' }, remaining: 'left' };
      const outcome = await readKey(makeKey({ kind: 'custom', baseUrl: byQuery.url, secret: 'k1/+&=', custom }), liveContext(byQuery.url));
      expect(outcome).toMatchObject({ ok: true, reading: { remaining: 3 } });
      expect(byQuery.requests.map((r) => r.path)).toEqual([`/balance?key=${encodeURIComponent('k1/+&=')}`]);
    } finally {
      await byQuery.close();
    }
  });
});

describe('the answer shown on Test', () => {
  it('redacts the secret and Bearer values, in names and values, and caps the size', () => {
    const shown = redactAnswer(
      {
        echo: 'your key abc123 is fine',
        auth: 'Bearer sk-other-token',
        abc123: 1,
        list: Array.from({ length: 80 }, (_, i) => i),
        long: 'x'.repeat(1000),
      },
      'abc123',
    ) as Record<string, unknown>;
    expect(JSON.stringify(shown)).not.toContain('abc123');
    expect(JSON.stringify(shown)).not.toContain('sk-other-token');
    expect(shown.echo).toBe('your key ••• is fine');
    expect(shown.auth).toBe('Bearer •••');
    expect(shown['•••']).toBe(1);
    expect(shown.list).toHaveLength(ANSWER_CAPS.items);
    expect(String(shown.long)).toHaveLength(ANSWER_CAPS.chars + 1);
  });

  it('comes back from the engine’s probe for a custom key, redacted, beside the outcome', async () => {
    const gateway = await startGateway({
      now: () => NOW,
      flavor: 'custom',
      provider: { accounts: { 'secret-777': { data: { left: 4, echo: 'Bearer secret-777', me: 'secret-777' } } } },
    });
    try {
      const probeKey = makeKey({
        kind: 'custom',
        baseUrl: gateway.url,
        secret: 'secret-777',
        custom: { path: '/api/balance', remaining: 'data.left' },
      });
      const engine = createEngine({
        fetch: (...args) => fetch(...args),
        now: () => NOW,
        hasHostAccess: async () => true,
        timeoutMs: 2000,
        ...memoryStore([]).deps,
      });
      const result = await engine.probe(probeKey);
      expect(result).toMatchObject({ ok: true, reading: { remaining: 4 } });
      expect(result.answer).toEqual({ data: { left: 4, echo: 'Bearer •••', me: '•••' } });
    } finally {
      await gateway.close();
    }
  });
});
