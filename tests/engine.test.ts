import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '@/lib/alerts';
import { createEngine, type EngineDeps, NO_ACCESS } from '@/lib/engine';
import type { KeyConfig } from '@/lib/model';
import { TOKEN_ROUTE_BUDGET } from '@/lib/schedule';
import { forgetRemovedKeys } from '@/lib/storage/layout';
import { memoryStore } from '../bench/memory-item';
import { type FakeGateway, type FakeToken, startGateway } from './fake-gateway/gateway';
import { deferred, key48 } from './helpers';

let clock = Date.UTC(2026, 10, 22);
let site: FakeGateway;
let oneApi: FakeGateway;
let tokens: FakeToken[];

const secrets = Array.from({ length: 12 }, (_, i) => key48(`k${i}`));

beforeEach(async () => {
  clock = Date.UTC(2026, 10, 22);
  tokens = secrets.map((key, i) => ({ key, remain: 1_000_000 * (i + 1), used: 0 }));
  site = await startGateway({ flavor: 'new-api', rateLimits: true, now: () => clock, tokens });
  oneApi = await startGateway({ now: () => clock, flavor: 'one-api', tokens: [{ key: secrets[0]!, remain: 1_000_000, used: 0 }] });
});
afterEach(async () => {
  await Promise.all([site.close(), oneApi.close()]);
});

const key = (i: number, fields: Partial<KeyConfig> = {}): KeyConfig => ({
  id: `id-${i}`,
  label: `key ${i}`,
  baseUrl: site.url,
  kind: 'newapi-token',
  secret: secrets[i]!,
  createdAt: 0,
  updatedAt: 0,
  ...fields,
});
const tokenCalls = (g: FakeGateway) => g.requests.filter((r) => r.path === '/api/usage/token/').length;

function setup(keys: KeyConfig[], overrides: Partial<EngineDeps> = {}) {
  const store = memoryStore(keys);
  const announced: { key: string; alert: Alert }[] = [];
  const engine = createEngine({
    fetch: (...args) => fetch(...args),
    now: () => clock,
    hasHostAccess: async () => true,
    timeoutMs: 2000,
    ...store.deps,
    onCommitted: (alerts) => {
      announced.push(...alerts.map((a) => ({ key: a.key.label, alert: a.alert })));
    },
    ...overrides,
  });
  return { store, engine, announced };
}

describe('engine: reading and recording', () => {
  it('reads keys and commits in two writes per cycle: a claim, then the results', async () => {
    const { store, engine } = setup([key(0), key(1)]);
    expect(await engine.refresh('all')).toEqual({ total: 2, ok: 2, failed: 0 });
    expect(store.data.statuses['id-1']?.reading).toMatchObject({ remaining: 4, fetchedAt: clock });
    expect(store.writes).toBe(2);
    expect(Object.keys(store.commits[0]?.cycles ?? {})).toHaveLength(1);
    expect(store.commits[1]).toMatchObject({ cycles: {} });
    expect(Object.keys(store.commits[1]?.statuses ?? {})).toEqual(['id-0', 'id-1']);
  });

  it('keeps the last good reading and its time when a read fails', async () => {
    const { store, engine } = setup([key(0)]);
    await engine.refresh('all');
    const firstTime = clock;
    clock += 60_000;
    await site.close();
    await engine.refresh('all');
    const status = store.data.statuses['id-0'];
    expect(status?.reading).toMatchObject({ remaining: 2, fetchedAt: firstTime });
    expect(status?.error).toMatchObject({ kind: 'network', at: clock });
    expect(status?.failures).toBe(1);
  });

  it('sends nothing to a site the user has not granted', async () => {
    const { store, engine } = setup([key(0)], { hasHostAccess: async () => false });
    await engine.refresh('all');
    expect(store.data.statuses['id-0']?.error).toMatchObject({ kind: 'network', message: NO_ACCESS });
    expect(site.requests).toHaveLength(0);
  });

  it('pauses while offline and marks nothing broken', async () => {
    let online = false;
    const { store, engine } = setup([key(0)], { isOnline: () => online });
    expect((await engine.pollDue()).total).toBe(0);
    expect(site.requests).toHaveLength(0);
    // Gone offline mid-read: the failure is not the key's.
    await site.close();
    await engine.refresh('all');
    expect(store.data.statuses['id-0']).toBeUndefined();
    online = true;
    expect((await engine.pollDue()).total).toBe(1);
  });

  it('remembers what an auto key turned out to be and asks only that next time', async () => {
    const { store, engine } = setup([key(0, { kind: 'auto' }), key(1, { kind: 'auto', baseUrl: oneApi.url, secret: secrets[0] })]);
    await engine.refresh('all');
    expect(store.data.statuses['id-0']?.detectedKind).toBe('newapi-token');
    expect(store.data.statuses['id-1']?.detectedKind).toBe('openai-billing');
    clock += 60_000;
    await engine.refresh('all');
    const paths = oneApi.requests.map((r) => r.path);
    expect(paths.filter((p) => p === '/api/status')).toHaveLength(1);
    expect(paths.filter((p) => p.includes('/api/usage/token'))).toEqual([]);
    expect(paths.filter((p) => p.endsWith('/subscription'))).toHaveLength(2);
  });

  it('reads a key once when asked twice at the same time', async () => {
    const { engine } = setup([key(0)]);
    await Promise.all([engine.refresh(['id-0']), engine.refresh(['id-0']), engine.pollDue()]);
    expect(tokenCalls(site)).toBe(1);
  });

  it('does not read again a key whose result is not yet written', async () => {
    const gate = deferred();
    const writing = deferred();
    const store = memoryStore([key(0), key(1)]);
    const { engine } = setup([], {
      ...store.deps,
      // Storage writes hang until released, as a busy browser's might.
      commit: async (patch) => {
        if (patch.statuses) {
          writing.resolve();
          await gate.promise;
        }
        await store.deps.commit(patch);
      },
    });
    const first = engine.refresh('all');
    // Both results are read and their write has begun (and hangs).
    await writing.promise;
    expect((await engine.pollDue()).total).toBe(0);
    gate.resolve();
    await first;
    expect(tokenCalls(site)).toBe(2);
  });

  it('reads only keys whose interval has passed, honouring a key’s own interval', async () => {
    const { engine } = setup([key(0), key(1), key(2, { intervalMinutes: 5 })]);
    await engine.refresh(['id-0', 'id-2']);
    expect((await engine.pollDue()).total).toBe(1);
    clock += 10 * 60_000;
    expect((await engine.pollDue()).total).toBe(1);
    // key 0 and key 1 (30 min) and key 2 (5 min) are all due again.
    clock += 40 * 60_000;
    expect((await engine.pollDue()).total).toBe(3);
  });

  it('drops what it knew about deleted keys, and writes nothing more for them', async () => {
    const { store, engine } = setup([key(0), key(1)]);
    await engine.refresh('all');
    expect(Object.keys(store.data.history).sort()).toEqual(['id-0', 'id-1']);
    const before = store.data.keys;
    store.data.keys = [key(1)];
    expect(await forgetRemovedKeys(store.area, before, store.data.keys)).toEqual(['id-0']);
    clock += 3600_000;
    await engine.refresh('all');
    expect(Object.keys(store.data.statuses)).toEqual(['id-1']);
    expect(Object.keys(store.data.history)).toEqual(['id-1']);
    expect(Object.keys(store.commits.at(-1)?.statuses ?? {})).toEqual(['id-1']);
  });

  it('a commit writes only the keys it read: other keys’ statuses and history are not rewritten', async () => {
    const { store, engine } = setup([key(0), key(1), key(2)]);
    await engine.refresh('all');
    const bytes = store.area.bytes;
    clock += 3600_000;
    await engine.refresh(['id-1']);
    const written = store.commits.at(-1);
    expect(Object.keys(written?.statuses ?? {})).toEqual(['id-1']);
    expect(Object.keys(written?.history ?? {})).toEqual(['id-1']);
    // One key's status and today's points: a few hundred bytes, not the whole store.
    expect(store.area.bytes - bytes).toBeLessThan(2_000);
  });

  it('re-reads a site’s display settings daily when polling, and after minutes when the user refreshes', async () => {
    const { engine } = setup([key(0)]);
    const statusCalls = () => site.requests.filter((r) => r.path === '/api/status').length;
    await engine.refresh('all');
    clock += 60 * 60_000;
    await engine.pollDue();
    expect(statusCalls()).toBe(1);
    await engine.refresh('all');
    expect(statusCalls()).toBe(2);
  });

  it('probes a draft key without storing anything about it', async () => {
    const { store, engine } = setup([]);
    const outcome = await engine.probe(key(3));
    expect(outcome.ok && outcome.reading.remaining).toBe(8);
    expect(store.data.statuses).toEqual({});
  });
});

describe('engine: the token route budget', () => {
  it('keeps within it and never draws a 429, even across a worker restart', async () => {
    const { store, engine } = setup(secrets.map((_, i) => key(i)));
    await engine.refresh('all');
    const held = Object.values(store.data.statuses).filter((s) => s.heldBack);
    expect(tokenCalls(site)).toBe(TOKEN_ROUTE_BUDGET.requests);
    expect(held).toHaveLength(secrets.length - TOKEN_ROUTE_BUDGET.requests);
    expect(held[0]?.heldBack).toEqual({ at: clock, until: clock + TOKEN_ROUTE_BUDGET.windowMs });
    // Never read, they say they wait for the site's rate limit: no failure counted.
    expect(held.map((s) => [s.reading, s.error?.kind, s.error?.heldBack, s.failures])).toEqual(
      held.map(() => [null, 'rate-limited', true, 0]),
    );
    // A new worker (fresh engine, same storage) still knows the budget is spent.
    clock += 60_000;
    const again = createEngine({ fetch: (...a) => fetch(...a), now: () => clock, hasHostAccess: async () => true, ...store.deps });
    await again.refresh('all');
    expect(tokenCalls(site)).toBe(TOKEN_ROUTE_BUDGET.requests);
    expect(site.refused).toBe(0);
  });

  it('reads through billing when it is spent, if billing agrees with the last token reading', async () => {
    const { store, engine } = setup(secrets.map((_, i) => key(i)));
    await engine.refresh('all');
    clock += 35 * 60_000;
    // The window has moved on: 10 token-route reads are allowed again, and 12 keys want one.
    await engine.refresh('all');
    const statuses = Object.values(store.data.statuses);
    expect(tokenCalls(site)).toBe(2 * TOKEN_ROUTE_BUDGET.requests);
    expect(site.requests.filter((r) => r.path === '/v1/dashboard/billing/subscription')).toHaveLength(2);
    expect(statuses.filter((s) => s.reading?.fetchedAt === clock && !s.error && s.reading.kind === 'newapi-token')).toHaveLength(12);
    expect(site.refused).toBe(0);
  });

  it('does not take wallet figures from billing for a key (DisplayTokenStatEnabled off)', async () => {
    const wallet = await startGateway({
      flavor: 'new-api',
      displayTokenStat: false,
      now: () => clock,
      tokens: secrets.map((k) => ({ key: k, remain: 1_000_000, used: 0, owner: { quota: 9_000_000, used: 1_000_000 } })),
    });
    const { store, engine } = setup(secrets.map((_, i) => key(i, { baseUrl: wallet.url })));
    await engine.refresh('all');
    clock += 35 * 60_000;
    await engine.refresh('all');
    const statuses = Object.values(store.data.statuses);
    // Billing said 20 granted (the wallet), the keys say 2: those keys wait for their turn instead.
    expect(statuses.filter((s) => s.reading && s.reading.granted !== 2)).toEqual([]);
    expect(statuses.filter((s) => s.heldBack).length).toBeGreaterThan(0);
    await wallet.close();
  });

  it('after a worker died mid-cycle: carries on with unread keys, re-reads none, and spends no more of the budget', async () => {
    const store = memoryStore(secrets.slice(0, 6).map((_, i) => key(i)));
    // The first worker's requests to three of the keys never come back: it is killed while waiting.
    const threeRead = deferred();
    const hanging = new Set(secrets.slice(3, 6).map((s) => `Bearer sk-${s}`));
    const dying = createEngine({
      fetch: (input, init) => {
        const auth = new Headers(init?.headers).get('authorization') ?? '';
        return hanging.has(auth) && String(input).includes('/api/usage/token/')
          ? new Promise<Response>(() => undefined)
          : fetch(input, init);
      },
      now: () => clock,
      hasHostAccess: async () => true,
      onProgress: (done) => {
        if (done === 3) threeRead.resolve();
      },
      ...store.deps,
    });
    void dying.refresh('all');
    // The three answering keys are read and queued; a probe's commit (awaited) writes them.
    await threeRead.promise;
    clock += 6_000;
    await dying.probe(key(11));
    const readBefore = tokenCalls(site);
    expect(Object.keys(store.data.cycles)).toHaveLength(1);

    clock += 60_000;
    const successor = createEngine({ fetch: (...a) => fetch(...a), now: () => clock, hasHostAccess: async () => true, ...store.deps });
    const summary = await successor.pollDue();
    // The budget of the dead cycle's site counts as spent: the unread keys wait, nothing is read twice.
    expect(tokenCalls(site)).toBe(readBefore);
    expect(summary.total).toBe(3);
    expect(store.data.cycles).toEqual({});
    clock += TOKEN_ROUTE_BUDGET.windowMs;
    await successor.pollDue();
    expect(
      secrets
        .slice(0, 6)
        .map((s) => site.requests.filter((r) => r.path === '/api/usage/token/' && r.headers.authorization === `Bearer sk-${s}`).length),
    ).toEqual([1, 1, 1, 1, 1, 1]);
    expect(site.refused).toBe(0);
  });
});

describe('engine: alerts and history', () => {
  it('announces a key going low once, not again on the next poll, and again after it recovered', async () => {
    const { engine, announced } = setup([key(0)]);
    await engine.refresh('all');
    expect(announced).toEqual([]);
    tokens[0]!.remain = 50_000;
    tokens[0]!.used = 950_000;
    clock += 31 * 60_000;
    await engine.refresh('all');
    expect(announced).toEqual([{ key: 'key 0', alert: { kind: 'state', state: 'low' } }]);
    clock += 31 * 60_000;
    await engine.refresh('all');
    expect(announced).toHaveLength(1);
    // Topped up well past the threshold, then spent again: a new crossing.
    tokens[0]!.remain = 5_000_000;
    clock += 31 * 60_000;
    await engine.refresh('all');
    tokens[0]!.remain = 10;
    clock += 31 * 60_000;
    await engine.refresh('all');
    // Worse again: exhausted is news even though low was just announced.
    tokens[0]!.remain = 0;
    clock += 31 * 60_000;
    await engine.refresh('all');
    // Topped up: back at work, said once; then low and exhausted again.
    expect(announced.map((a) => `${a.alert.kind}:${a.alert.state}`)).toEqual(['state:low', 'restored:ok', 'state:low', 'state:exhausted']);
  });

  it('keeps a history and forecasts when a steadily used key runs out', async () => {
    const { store, engine } = setup([key(0)]);
    for (let hour = 0; hour < 8; hour++) {
      tokens[0]!.remain = 1_000_000 - hour * 25_000;
      await engine.refresh('all');
      clock += 3600_000;
    }
    const status = store.data.statuses['id-0'];
    expect(store.data.history['id-0']?.length).toBeGreaterThanOrEqual(8);
    // 25,000 quota = $0.05 an hour = $1.20 a day; $1.65 left lasts about 1.4 days.
    expect(status?.trend?.burnPerDay).toBeCloseTo(1.2, 5);
    const days = ((status?.trend?.runsOutAt ?? 0) - (clock - 3600_000)) / 86_400_000;
    expect(days).toBeCloseTo(1.375, 2);
  });
});
