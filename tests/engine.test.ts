import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type EngineDeps, NO_ACCESS } from '@/lib/engine';
import type { KeyConfig } from '@/lib/model';
import { TOKEN_ROUTE_BUDGET } from '@/lib/schedule';
import { budgetItem, keysItem, settingsItem, sitesItem, statusesItem } from '@/lib/storage';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { key48 } from './helpers';

let clock = Date.UTC(2026, 10, 22);
let site: FakeGateway;
let oneApi: FakeGateway;
let writes: number;

const secrets = Array.from({ length: 12 }, (_, i) => key48(`k${i}`));

beforeEach(async () => {
  clock = Date.UTC(2026, 10, 22);
  site = await startGateway({
    flavor: 'new-api',
    rateLimits: true,
    now: () => clock,
    tokens: secrets.map((key, i) => ({ key, remain: 1_000_000 * (i + 1), used: 0 })),
  });
  oneApi = await startGateway({ flavor: 'one-api', tokens: [{ key: secrets[0]!, remain: 1_000_000, used: 0 }] });
  writes = 0;
});
afterEach(async () => {
  await Promise.all([site.close(), oneApi.close()]);
});

function engine(overrides: Partial<EngineDeps> = {}) {
  const counted = <T>(item: { getValue(): Promise<T>; setValue(v: T): Promise<void> }) => ({
    getValue: () => item.getValue(),
    setValue: (v: T) => {
      writes++;
      return item.setValue(v);
    },
  });
  return createEngine({
    fetch: (...args) => fetch(...args),
    now: () => clock,
    hasHostAccess: async () => true,
    keys: keysItem,
    statuses: counted(statusesItem),
    settings: settingsItem,
    sites: counted(sitesItem),
    budget: counted(budgetItem),
    timeoutMs: 2000,
    ...overrides,
  });
}

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

describe('engine', () => {
  it('reads keys, stores readings, and writes statuses in one batch', async () => {
    await keysItem.setValue([key(0), key(1)]);
    const summary = await engine().refresh('all');
    expect(summary).toEqual({ total: 2, ok: 2, failed: 0 });
    const statuses = await statusesItem.getValue();
    expect(statuses['id-1']?.reading).toMatchObject({ remaining: 4, fetchedAt: clock });
    // statuses + site cache + budget log: one write each.
    expect(writes).toBeLessThanOrEqual(3);
  });

  it('keeps the last good reading and its time when a read fails', async () => {
    await keysItem.setValue([key(0)]);
    const e = engine();
    await e.refresh('all');
    const firstTime = clock;
    clock += 60_000;
    await site.close();
    await e.refresh('all');
    const status = (await statusesItem.getValue())['id-0'];
    expect(status?.reading).toMatchObject({ remaining: 2, fetchedAt: firstTime });
    expect(status?.error).toMatchObject({ kind: 'network', at: clock });
    expect(status?.failures).toBe(1);
  });

  it('sends nothing to a site the user has not granted', async () => {
    await keysItem.setValue([key(0)]);
    await engine({ hasHostAccess: async () => false }).refresh('all');
    expect((await statusesItem.getValue())['id-0']?.error).toMatchObject({ kind: 'network', message: NO_ACCESS });
    expect(site.requests).toHaveLength(0);
  });

  it('remembers what an auto key turned out to be and asks only that next time', async () => {
    await keysItem.setValue([key(0, { kind: 'auto' }), key(1, { kind: 'auto', baseUrl: oneApi.url, secret: secrets[0] })]);
    const e = engine();
    await e.refresh('all');
    const statuses = await statusesItem.getValue();
    expect(statuses['id-0']?.detectedKind).toBe('newapi-token');
    expect(statuses['id-1']?.detectedKind).toBe('openai-billing');
    clock += 60_000;
    await e.refresh('all');
    const paths = oneApi.requests.map((r) => r.path);
    expect(paths.filter((p) => p === '/api/status')).toHaveLength(1);
    expect(paths.filter((p) => p.includes('/api/usage/token'))).toEqual([]);
    expect(paths.filter((p) => p.endsWith('/subscription'))).toHaveLength(2);
  });

  it('reads a key once when asked twice at the same time', async () => {
    await keysItem.setValue([key(0)]);
    const e = engine();
    await Promise.all([e.refresh(['id-0']), e.refresh(['id-0']), e.pollDue()]);
    expect(tokenCalls(site)).toBe(1);
  });

  it('does not read again a key whose result is not yet written', async () => {
    await keysItem.setValue([key(0), key(1)]);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Storage writes hang until released, as a busy browser's might.
    const e = engine({
      statuses: {
        getValue: () => statusesItem.getValue(),
        setValue: async (v) => {
          await gate;
          await statusesItem.setValue(v);
        },
      },
    });
    const first = e.refresh('all');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await e.pollDue()).total).toBe(0);
    release();
    await first;
    expect(tokenCalls(site)).toBe(2);
  });

  it('keeps within the token route budget and never draws a 429, even across a worker restart', async () => {
    await keysItem.setValue(secrets.map((_, i) => key(i)));
    await engine().refresh('all');
    const statuses = await statusesItem.getValue();
    const held = Object.values(statuses).filter((s) => s.error?.kind === 'rate-limited');
    expect(tokenCalls(site)).toBe(TOKEN_ROUTE_BUDGET.requests);
    expect(held).toHaveLength(secrets.length - TOKEN_ROUTE_BUDGET.requests);
    expect(held[0]?.error?.retryAt).toBe(clock + TOKEN_ROUTE_BUDGET.windowMs);
    // A new worker (fresh engine) still knows the budget is spent.
    clock += 60_000;
    await engine().refresh('all');
    expect(tokenCalls(site)).toBe(TOKEN_ROUTE_BUDGET.requests);
    expect(site.refused).toBe(0);
  });

  it('reads a key through billing when the token route budget is spent, if billing agrees with its last reading', async () => {
    await keysItem.setValue(secrets.map((_, i) => key(i)));
    const e = engine();
    await e.refresh('all');
    clock += 35 * 60_000;
    // The window has moved on: 10 token-route reads are allowed again, and 12 keys want one.
    await e.refresh('all');
    const statuses = Object.values(await statusesItem.getValue());
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
    await keysItem.setValue(secrets.map((_, i) => key(i, { baseUrl: wallet.url })));
    const e = engine();
    await e.refresh('all');
    clock += 35 * 60_000;
    await e.refresh('all');
    const statuses = Object.values(await statusesItem.getValue());
    // Billing said 20 granted (the wallet), the keys say 2: those keys wait for their turn instead.
    expect(statuses.filter((s) => s.reading && s.reading.granted !== 2)).toEqual([]);
    expect(statuses.filter((s) => s.error?.heldBack).length).toBeGreaterThan(0);
    await wallet.close();
  });

  it('reads only keys whose interval has passed', async () => {
    await keysItem.setValue([key(0), key(1)]);
    const e = engine();
    await e.refresh(['id-0']);
    expect((await e.pollDue()).total).toBe(1);
    clock += 10 * 60_000;
    expect((await e.pollDue()).total).toBe(0);
    clock += 40 * 60_000;
    expect((await e.pollDue()).total).toBe(2);
  });

  it('drops what it knew about deleted keys', async () => {
    await keysItem.setValue([key(0), key(1)]);
    const e = engine();
    await e.refresh('all');
    await keysItem.setValue([key(1)]);
    clock += 3600_000;
    await e.refresh('all');
    expect(Object.keys(await statusesItem.getValue())).toEqual(['id-1']);
  });

  it('re-reads a site’s display settings daily when polling, and after minutes when the user refreshes', async () => {
    await keysItem.setValue([key(0)]);
    const e = engine();
    const statusCalls = () => site.requests.filter((r) => r.path === '/api/status').length;
    await e.refresh('all');
    clock += 60 * 60_000;
    await e.pollDue();
    expect(statusCalls()).toBe(1);
    await e.refresh('all');
    expect(statusCalls()).toBe(2);
  });

  it('probes a draft key without storing anything about it', async () => {
    const outcome = await engine().probe(key(3));
    expect(outcome.ok && outcome.reading.remaining).toBe(8);
    expect(await statusesItem.getValue()).toEqual({});
  });
});
