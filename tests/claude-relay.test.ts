import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '@/lib/engine';
import { statusAfter } from '@/lib/engine/record';
import type { KeyConfig, ReadOutcome } from '@/lib/model';
import { recognise } from '@/lib/providers/detect';
import { ADAPTERS, readKey } from '@/lib/providers/read';
import { capping, DEFAULT_SETTINGS, keyState } from '@/lib/state';
import { memoryStore } from '../bench/memory-item';
import { type FakeClaudeOptions, RELAY_STATS, type RelayKey, relayStats } from './fake-gateway/claude';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { answer } from './fake-gateway/providers';
import { liveContext, makeKey } from './helpers';

// relays.md §8: now = 2026-12-08T08:00:00Z.
const NOW = Date.UTC(2026, 11, 8, 8, 0, 0);
const cr = (seed: string) => `cr_${seed.repeat(64).slice(0, 64)}`;
const ID = '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b';
const OTHER_ID = '0a0b0c0d-1e1f-4a2b-8c3d-4e5f6a7b8c9d';

const KEYS: Record<string, RelayKey> = {
  [cr('1')]: { answer: RELAY_STATS },
  [cr('2')]: { answer: relayStats({ id: OTHER_ID }, { currentWindowCost: 10.4 }) },
  [cr('3')]: { answer: relayStats({ id: OTHER_ID }, { currentDailyCost: 20.01 }) },
  [cr('4')]: { answer: relayStats({ id: OTHER_ID }, { currentTotalCost: 100 }, 100) },
  [cr('5')]: {
    answer: relayStats(
      { id: OTHER_ID, expiresAt: '' },
      {
        tokenLimit: 0,
        rateLimitWindow: 0,
        rateLimitRequests: 0,
        rateLimitCost: 0,
        dailyCostLimit: 0,
        totalCostLimit: 0,
        weeklyOpusCostLimit: 0,
        windowStartTime: null,
        windowEndTime: null,
        windowRemainingSeconds: null,
      },
    ),
  },
  [cr('6')]: {
    answer: relayStats({
      id: OTHER_ID,
      expirationMode: 'activation',
      isActivated: false,
      activationDays: 30,
      activatedAt: null,
      expiresAt: '',
    }),
  },
  [cr('7')]: {
    answer: relayStats(
      { id: OTHER_ID },
      {
        rateLimitWindow: 300,
        windowStartTime: null,
        windowEndTime: null,
        windowRemainingSeconds: null,
        currentWindowCost: 0,
        currentWindowRequests: 0,
        currentWindowTokens: 0,
      },
    ),
  },
  [cr('8')]: { answer: answer(401, { error: 'Invalid API key', message: 'API Key "laptop" 已过期' }) },
  [cr('a')]: { answer: relayStats({ id: 'a0000000-0000-4000-8000-00000000000a' }), mondayWeekCost: 0 },
  // Known only by its id (§3.1): scenario 9.
  [OTHER_ID]: {
    answer: RELAY_STATS,
    byId: answer(403, { error: 'API key has expired', message: 'API Key "laptop" 已过期', keyName: 'laptop' }),
  },
};

let gateway: FakeGateway;
const claude: FakeClaudeOptions = { relay: KEYS, received: [] };
beforeAll(async () => {
  gateway = await startGateway({ flavor: 'claude-relay', claude, now: () => NOW });
});
afterAll(() => gateway.close());

const keyFor = (secret: string): KeyConfig => makeKey({ kind: 'claude-relay', baseUrl: gateway.url, secret });
const read = (secret: string) =>
  ADAPTERS['claude-relay'](
    keyFor(secret),
    liveContext(gateway.url, () => NOW),
  );
/** What the row says after this read: its state and, when capped, `data-resets-at`. */
function judged(secret: string, outcome: ReadOutcome) {
  const status = statusAfter(undefined, outcome, NOW);
  return { state: keyState(keyFor(secret), status, DEFAULT_SETTINGS, NOW), resetsAt: capping(status.reading, NOW).resumesAt };
}
const windowsOf = (outcome: ReadOutcome) => (outcome.ok ? outcome.reading.windows : []) ?? [];
const win = (outcome: ReadOutcome, name: string) => windowsOf(outcome).find((w) => w.name === name);

describe('claude-relay (relays.md §8.2)', () => {
  it('1: reads the §3.2 answer: 5h, day, week and total windows, the expiry, and asks by apiKey then by apiId for the week', async () => {
    claude.received = [];
    const outcome = await read(cr('1'));
    expect(outcome.ok).toBe(true);
    expect(win(outcome, '5h')).toMatchObject({ unit: 'USD', limit: 10, used: 3.5, remaining: 6.5, resetsAt: 1796729400, resets: true });
    expect(win(outcome, 'day')).toMatchObject({ limit: 20, used: 6.2, resetsAt: null });
    expect(win(outcome, 'week')).toMatchObject({ limit: 50, used: 12, resetsAt: null });
    expect(win(outcome, 'total')).toMatchObject({ limit: 100, used: 41.25, remaining: 58.75, resets: false, resetsAt: null });
    expect(windowsOf(outcome).map((w) => w.name)).toEqual(['5h', 'day', 'week', 'total']);
    expect(outcome).toMatchObject({
      reading: { expiresAt: Date.UTC(2026, 11, 31, 15, 59, 59) / 1000, unlimited: false, remaining: 58.75 },
    });
    expect(judged(cr('1'), outcome).state).toBe('ok');
    // §3.1: the key in the body, never in a header; the weekly figures once more by the key's id.
    expect(claude.received).toEqual([
      { method: 'POST', path: '/apiStats/api/user-stats', body: JSON.stringify({ apiKey: cr('1') }) },
      { method: 'POST', path: '/apiStats/api/user-stats', body: JSON.stringify({ apiId: ID }) },
    ]);
    expect(gateway.requests.at(-1)?.headers['content-type']).toBe('application/json');
    expect(gateway.requests.some((r) => r.headers.authorization !== undefined)).toBe(false);
  });

  it('takes the weekly figures from the apiId answer where the apiKey answer shows the Monday week (§3.1 bug)', async () => {
    const outcome = await read(cr('a'));
    expect(win(outcome, 'week')).toMatchObject({ limit: 50, used: 12 });
  });

  it('2: a full 5-hour window is capped until its end', async () => {
    const outcome = await read(cr('2'));
    expect(win(outcome, '5h')).toMatchObject({ used: 10, remaining: 0 });
    expect(judged(cr('2'), outcome)).toEqual({ state: 'capped', resetsAt: 1796729400 });
  });

  it('3: a full day is capped with an unknown reset', async () => {
    const outcome = await read(cr('3'));
    expect(judged(cr('3'), outcome)).toEqual({ state: 'capped', resetsAt: null });
  });

  it('4: a used-up total is exhausted, and still answers here', async () => {
    const outcome = await read(cr('4'));
    expect(outcome).toMatchObject({ ok: true, reading: { remaining: 0, granted: 100 } });
    expect(judged(cr('4'), outcome).state).toBe('exhausted');
  });

  it('5: every limit 0 is unlimited, with no expiry', async () => {
    const outcome = await read(cr('5'));
    expect(outcome).toMatchObject({ ok: true, reading: { unlimited: true, remaining: null, expiresAt: null } });
    expect(windowsOf(outcome)).toEqual([]);
    expect(judged(cr('5'), outcome).state).toBe('ok');
  });

  it('6: an activation key not used yet has no expiry', async () => {
    const outcome = await read(cr('6'));
    expect(outcome).toMatchObject({ ok: true, reading: { expiresAt: null } });
    expect(judged(cr('6'), outcome).state).toBe('ok');
  });

  it('7: a rate window not running is used 0 with no reset', async () => {
    const outcome = await read(cr('7'));
    expect(win(outcome, '5h')).toMatchObject({ used: 0, remaining: 10, resetsAt: null });
  });

  it('8: by apiKey, "已过期" is expired', async () => {
    const outcome = await read(cr('8'));
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'auth' } });
    expect(judged(cr('8'), outcome).state).toBe('expired');
  });

  it('9: by apiId (a key stored as its UUID), 403 "API key has expired" is expired', async () => {
    claude.received = [];
    const outcome = await read(OTHER_ID);
    expect(claude.received.map((r) => r.body)).toEqual([JSON.stringify({ apiId: OTHER_ID })]);
    expect(judged(OTHER_ID, outcome).state).toBe('expired');
  });

  it('10: an unknown key is invalid/auth', async () => {
    const outcome = await read(cr('f'));
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'auth', message: 'HTTP 401: API key not found' } });
    expect(judged(cr('f'), outcome).state).toBe('invalid');
  });

  it('a site without the stats route is not-supported, never read elsewhere', async () => {
    const other = await startGateway({ flavor: 'claude-code-hub', now: () => NOW });
    try {
      const outcome = await ADAPTERS['claude-relay'](
        makeKey({ kind: 'claude-relay', baseUrl: other.url, secret: cr('1') }),
        liveContext(other.url, () => NOW),
      );
      expect(outcome).toMatchObject({ ok: false });
      expect(other.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /apiStats/api/user-stats']);
    } finally {
      await other.close();
    }
  });

  it('auto takes a cr_ key as claude-relay, and asks only the stats route (§7.1)', async () => {
    expect(recognise({ secret: cr('1'), baseUrl: gateway.url })).toBe('claude-relay');
    const before = gateway.requests.length;
    const outcome = await readKey(
      makeKey({ kind: 'auto', baseUrl: gateway.url, secret: cr('4') }),
      liveContext(gateway.url, () => NOW),
    );
    expect(outcome).toMatchObject({ ok: true, reading: { kind: 'claude-relay' } });
    expect(new Set(gateway.requests.slice(before).map((r) => r.path))).toEqual(new Set(['/apiStats/api/user-stats']));
  });
});

describe('an expired key keeps its last figures (relays.md §7.2: keep the last good reading)', () => {
  it('CRS: a key read fine yesterday and refused today as 已过期 is expired, its windows and total still shown with their time', async () => {
    const secret = cr('e');
    KEYS[secret] = { answer: RELAY_STATS };
    const key = makeKey({ id: 'crs', kind: 'claude-relay', baseUrl: gateway.url, secret });
    const store = memoryStore([key]);
    const engine = createEngine({
      fetch: (...args) => fetch(...args),
      now: () => NOW,
      hasHostAccess: async () => true,
      timeoutMs: 2000,
      ...store.deps,
    });
    await engine.refresh('all');
    const before = store.data.statuses.crs?.reading;
    expect(before).toMatchObject({ remaining: 58.75, fetchedAt: NOW });
    KEYS[secret] = { answer: answer(401, { error: 'Invalid API key', message: 'API Key "laptop" 已过期' }) };
    await engine.refresh('all');
    const status = store.data.statuses.crs;
    expect(keyState(key, status, DEFAULT_SETTINGS, NOW)).toBe('expired');
    expect(status?.reading).toMatchObject({ remaining: 58.75, granted: 100, fetchedAt: NOW, expiresAt: Math.floor(NOW / 1000) });
    expect(status?.reading?.windows?.map((w) => w.name)).toEqual(['5h', 'day', 'week', 'total']);
  });
});
