import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '@/lib/engine';
import { statusAfter } from '@/lib/engine/record';
import type { KeyConfig, ReadOutcome } from '@/lib/model';
import { recognise } from '@/lib/providers/detect';
import { ADAPTERS } from '@/lib/providers/read';
import { capping, DEFAULT_SETTINGS, keyState } from '@/lib/state';
import { memoryStore } from '../bench/memory-item';
import { type FakeClaudeOptions, HUB_QUOTA, hubQuota } from './fake-gateway/claude';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { liveContext, makeKey } from './helpers';

// relays.md §8: now = 2026-12-08T08:00:00Z.
const NOW = Date.UTC(2026, 11, 8, 8, 0, 0);
const SECRET = `sk-${'ab12'.repeat(8)}`;

let gateway: FakeGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const keyFor = (baseUrl: string): KeyConfig => makeKey({ kind: 'claude-code-hub', baseUrl, secret: SECRET });
/** Reads the key from a hub set up so; returns the outcome, the row's state and `data-resets-at`, and the requests. */
async function readFrom(claude: FakeClaudeOptions) {
  gateway = await startGateway({ flavor: 'claude-code-hub', claude, now: () => NOW });
  const outcome = await ADAPTERS['claude-code-hub'](
    keyFor(gateway.url),
    liveContext(gateway.url, () => NOW),
  );
  const status = statusAfter(undefined, outcome, NOW);
  return {
    outcome,
    state: keyState(keyFor(gateway.url), status, DEFAULT_SETTINGS, NOW),
    resetsAt: capping(status.reading, NOW).resumesAt,
    asked: gateway.requests.map((r) => `${r.method} ${r.path} ${r.status}`),
  };
}
const windowsOf = (outcome: ReadOutcome) => (outcome.ok ? (outcome.reading.windows ?? []) : []);
const win = (outcome: ReadOutcome, name: string, scope = 'key') => windowsOf(outcome).find((w) => w.name === name && w.scope === scope);
const withQuota = (quota: string, more: FakeClaudeOptions = {}): FakeClaudeOptions => ({ hub: { [SECRET]: { quota } }, ...more });

describe('claude-code-hub (relays.md §8.3)', () => {
  it('1: reads the v1 quota: 5h rolling, day, month, no reset times, the expiry; Bearer on GET /api/v1/me/quota only', async () => {
    const { outcome, state, asked } = await readFrom(withQuota(HUB_QUOTA));
    expect(outcome.ok).toBe(true);
    expect(windowsOf(outcome).map((w) => `${w.scope} ${w.name}`)).toEqual(['key 5h', 'key day', 'key month']);
    expect(win(outcome, '5h')).toMatchObject({ unit: 'USD', limit: 10, used: 2.5, remaining: 7.5, rolling: true, resetsAt: null });
    expect(win(outcome, 'day')).toMatchObject({ limit: 20, used: 4, rolling: false, resetsAt: null });
    expect(win(outcome, 'month')).toMatchObject({ limit: 200, used: 50, resetsAt: null });
    expect(outcome).toMatchObject({ reading: { expiresAt: Date.UTC(2026, 11, 31, 16) / 1000, unlimited: false, remaining: null } });
    expect(state).toBe('ok');
    expect(asked).toEqual(['GET /api/v1/me/quota 200']);
    expect(gateway?.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('2: a full day is capped, reset unknown', async () => {
    const { state, resetsAt } = await readFrom(withQuota(hubQuota({ keyCurrentDailyUsd: 20 })));
    expect({ state, resetsAt }).toEqual({ state: 'capped', resetsAt: null });
  });

  it("3: the owner's used-up total is exhausted", async () => {
    const { outcome, state } = await readFrom(withQuota(hubQuota({ userLimitTotalUsd: 500, userCurrentTotalUsd: 500 })));
    expect(win(outcome, 'total', 'user')).toMatchObject({ limit: 500, used: 500, remaining: 0, resets: false });
    expect(outcome).toMatchObject({ reading: { remaining: 0, granted: 500 } });
    expect(state).toBe('exhausted');
  });

  it("4: the owner's earlier expiry is the key's", async () => {
    const { outcome, state } = await readFrom(withQuota(hubQuota({ userExpiresAt: '2026-12-10T00:00:00.000Z' })));
    expect(outcome).toMatchObject({ reading: { expiresAt: Date.UTC(2026, 11, 10) / 1000 } });
    expect(state).toBe('ok');
  });

  it('5: every limit null is unlimited', async () => {
    const none = Object.fromEntries(
      Object.keys(JSON.parse(HUB_QUOTA))
        .filter((f) => /Limit/.test(f))
        .map((f) => [f, null]),
    );
    const { outcome, state } = await readFrom(withQuota(hubQuota(none)));
    expect(outcome).toMatchObject({ ok: true, reading: { unlimited: true, remaining: null } });
    expect(windowsOf(outcome)).toEqual([]);
    expect(state).toBe('ok');
  });

  it('6: an older hub (v1 404) is read on the legacy action, POST with {}', async () => {
    const { outcome, state, asked } = await readFrom(withQuota(HUB_QUOTA, { noV1: true }));
    expect(windowsOf(outcome).map((w) => w.name)).toEqual(['5h', 'day', 'month']);
    expect(outcome).toMatchObject({ reading: { expiresAt: Date.UTC(2026, 11, 31, 16) / 1000 } });
    expect(state).toBe('ok');
    expect(asked).toEqual(['GET /api/v1/me/quota 404', 'POST /api/actions/my-usage/getMyQuota 200']);
  });

  it('7: a hub refusing raw keys on both routes, whose /v1/models takes the key, is not-supported', async () => {
    const { outcome, state, asked } = await readFrom(withQuota(HUB_QUOTA, { opaque: true }));
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'not-supported' } });
    expect(state).toBe('error');
    expect(asked).toEqual(['GET /api/v1/me/quota 401', 'POST /api/actions/my-usage/getMyQuota 401', 'GET /v1/models 200']);
  });

  it('8: /v1/models says key_expired: expired', async () => {
    const { state } = await readFrom({ hub: { [SECRET]: { refused: 'key_expired' } } });
    expect(state).toBe('expired');
  });

  it('9: /v1/models says invalid_api_key: invalid/auth', async () => {
    const { outcome, state } = await readFrom({ hub: { [SECRET]: { refused: 'invalid_api_key' } } });
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'auth' } });
    expect(state).toBe('invalid');
  });

  it('10: v1 404 and the legacy API gone (410): not-supported', async () => {
    const { outcome, asked } = await readFrom(withQuota(HUB_QUOTA, { noV1: true, legacy: 'gone' }));
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'not-supported' } });
    expect(asked).toEqual(['GET /api/v1/me/quota 404', 'POST /api/actions/my-usage/getMyQuota 410']);
  });

  it('auto never guesses it from an sk- key (no prefix, no host: the user chooses it, §7.1)', () => {
    expect(recognise({ secret: SECRET, baseUrl: 'https://hub.example.com' })).toBeNull();
  });
});

describe('an expired key keeps its last figures (relays.md §7.2)', () => {
  it('a hub key read fine, then refused as key_expired, is expired with its windows still shown', async () => {
    const hub: FakeClaudeOptions['hub'] = { [SECRET]: { quota: HUB_QUOTA } };
    gateway = await startGateway({ flavor: 'claude-code-hub', claude: { hub }, now: () => NOW });
    const key = makeKey({ id: 'cch', kind: 'claude-code-hub', baseUrl: gateway.url, secret: SECRET });
    const store = memoryStore([key]);
    const engine = createEngine({
      fetch: (...args) => fetch(...args),
      now: () => NOW,
      hasHostAccess: async () => true,
      timeoutMs: 2000,
      ...store.deps,
    });
    await engine.refresh('all');
    expect(store.data.statuses.cch?.reading?.windows).toHaveLength(3);
    if (hub) hub[SECRET] = { refused: 'key_expired' };
    await engine.refresh('all');
    const status = store.data.statuses.cch;
    expect(keyState(key, status, DEFAULT_SETTINGS, NOW)).toBe('expired');
    expect(status?.reading?.windows?.map((w) => w.name)).toEqual(['5h', 'day', 'month']);
    expect(status?.reading?.expiresAt).toBe(Math.floor(NOW / 1000));
  });
});
