import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createEngine } from '@/lib/engine';
import type { KeyConfig } from '@/lib/model';
import { itemBytes, STATUS_BUDGET_BYTES } from '@/lib/reading-budget';
import { keysItem, STORED, statusesItem, storageProblemItem } from '@/lib/storage/items';
import { memoryStore, QUOTA_ERROR } from '../bench/memory-item';
import { startBackground } from './background-helpers';
import { bigAccountTokens, hugeDeepSeekAnswer } from './budget-fixtures';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { NOW } from './helpers';

/**
 * The finding: ten outsized keys filled `storage.local`, and the refused commit was put
 * back and carried by every later commit, so an honest key on another site was never
 * stored, even refreshed alone.
 */
let clock = NOW;
let deepseek: FakeGateway;
let relay: FakeGateway;
let honestSite: FakeGateway;
const HUGE = Array.from({ length: 10 }, (_, i) => `sk-ds-huge-${i}`);
const accessOf = (user: number) => `acc-token-${user}-abcdefghijklmnopqrstuv`;

beforeAll(async () => {
  const answer = hugeDeepSeekAnswer();
  deepseek = await startGateway({
    now: () => clock,
    flavor: 'deepseek',
    provider: { accounts: Object.fromEntries(HUGE.map((s) => [s, answer])) },
  });
  const users = Array.from({ length: 10 }, (_, i) => i + 1);
  relay = await startGateway({
    now: () => clock,
    flavor: 'new-api',
    users: users.map((id) => ({ id, accessToken: accessOf(id), quota: 50_000_000, usedQuota: 0 })),
    accounts: { tokens: users.flatMap((id) => bigAccountTokens(id, id * 1000)) },
  });
  honestSite = await startGateway({
    now: () => clock,
    flavor: 'deepseek',
    provider: {
      accounts: Object.fromEntries(
        ['sk-honest', 'sk-unstorable'].map((s) => [
          s,
          { is_available: true, balance_infos: [{ currency: 'USD', total_balance: '7.08', topped_up_balance: '7.08' }] },
        ]),
      ),
    },
  });
});
afterAll(async () => {
  await Promise.all([deepseek?.close(), relay?.close(), honestSite?.close()]);
});
afterEach(() => {
  vi.restoreAllMocks();
});

const huge = (i: number): KeyConfig => ({
  id: `huge-${i}`,
  label: `huge ${i}`,
  baseUrl: deepseek.url,
  kind: 'deepseek',
  secret: HUGE[i] as string,
  createdAt: 0,
  updatedAt: 0,
});
const account = (user: number): KeyConfig => ({
  id: `acc-${user}`,
  label: `account ${user}`,
  baseUrl: relay.url,
  kind: 'newapi-user',
  secret: accessOf(user),
  userId: user,
  watchTokens: true,
  createdAt: 0,
  updatedAt: 0,
});
const honest = (): KeyConfig => ({
  id: 'honest',
  label: 'honest',
  baseUrl: honestSite.url,
  kind: 'deepseek',
  secret: 'sk-honest',
  createdAt: 0,
  updatedAt: 0,
});

/** A read's limit here: ~1 MB answers on 2 busy cores took more than the 15 s a person gets; the limit only catches a hang. */
const SLOW_MACHINE_MS = 120_000;

describe('a storage area with a quota', () => {
  it('memoryStore refuses a write over its quota like Chrome, storing nothing of it', async () => {
    const store = memoryStore([], {}, { quotaBytes: 100 });
    await store.area.set({ a: 'x'.repeat(40) });
    await expect(store.area.set({ b: 'y'.repeat(60), c: 'z' })).rejects.toThrow(QUOTA_ERROR);
    expect(await store.area.get(['a', 'b', 'c'])).toEqual({ a: 'x'.repeat(40) });
    // Replacing an item counts its new size only.
    await store.area.set({ a: 'w'.repeat(90) });
    expect(store.area.inUse()).toBe(itemBytes('a', 'w'.repeat(90)));
  });

  it("Chrome's 10 MiB: ten DeepSeek keys answering ~1 MB each are stored, and an honest key on another site after them", async () => {
    const keys = [...HUGE.map((_, i) => huge(i)), honest()];
    const store = memoryStore(keys, {}, { quotaBytes: 10 * 1024 * 1024 });
    const engine = createEngine({
      fetch: (...a) => fetch(...a),
      now: () => clock,
      hasHostAccess: async () => true,
      timeoutMs: SLOW_MACHINE_MS,
      ...store.deps,
    });
    expect(await engine.refresh(HUGE.map((_, i) => `huge-${i}`))).toMatchObject({ total: 10, ok: 10 });
    for (let i = 0; i < 10; i++) {
      expect(store.data.statuses[`huge-${i}`]?.reading).toMatchObject({ remaining: 88.5, unit: { code: 'CNY' }, cut: ['otherBalances'] });
      expect(store.area.bytesOf(STORED.status(`huge-${i}`))).toBeLessThan(STATUS_BUDGET_BYTES);
    }
    clock += 60_000;
    expect(await engine.refresh(['honest'])).toMatchObject({ total: 1, ok: 1 });
    expect(store.data.statuses.honest?.reading).toMatchObject({ remaining: 7.08, unit: { code: 'USD' }, fetchedAt: clock });
  });

  it('full: the keys that fit are stored, the others show a storage error and the problem is visible; the honest key is read and stored on Refresh alone', async () => {
    // What one account takes when stored (its status and its tokens' series), measured on an area without a quota.
    const probe = memoryStore([account(1)]);
    await createEngine({
      fetch: (...a) => fetch(...a),
      now: () => clock,
      hasHostAccess: async () => true,
      timeoutMs: SLOW_MACHINE_MS,
      ...probe.deps,
    }).refresh('all');
    const perAccount = probe.area.inUse();
    expect(perAccount).toBeGreaterThan(STATUS_BUDGET_BYTES / 2);

    // The background as the browser runs it, over a `storage.local` that refuses writes past its quota like Chrome.
    const accounts = Array.from({ length: 10 }, (_, i) => account(i + 1));
    await keysItem.setValue([...accounts, honest()]);
    const background = startBackground({ now: () => clock, timeoutMs: SLOW_MACHINE_MS });
    onTestFinished(() => background.stop());
    await background.ready;
    const local = fakeBrowser.storage.local;
    const inUse = async (extra: Record<string, unknown> = {}) =>
      Object.entries({ ...(await local.get(null)), ...extra }).reduce((sum, [k, v]) => sum + itemBytes(k, v), 0);
    // Room for four and a half accounts: four are stored, the rest do not fit.
    const quota = (await inUse()) + Math.round(4.5 * perAccount);
    const set = local.set.bind(local);
    vi.spyOn(local, 'set').mockImplementation(async (items: Record<string, unknown>) => {
      if ((await inUse(items)) > quota) throw new Error(QUOTA_ERROR);
      await set(items);
    });
    const { engine } = background;

    await expect(engine.refresh(accounts.map((k) => k.id))).rejects.toThrow(QUOTA_ERROR);
    expect(await storageProblemItem.getValue()).toMatchObject({ message: QUOTA_ERROR });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
    const statuses = await statusesItem.getValue();
    const full = accounts.filter((k) => statuses[k.id]?.reading?.tokens?.length && !statuses[k.id]?.error);
    const refused = accounts.filter((k) => statuses[k.id]?.error?.code === 'storage');
    expect(full).toHaveLength(4);
    expect(refused).toHaveLength(6);
    // A refused account still shows its figures, with the error that says they could not be stored.
    for (const k of refused)
      expect(statuses[k.id]).toMatchObject({ reading: { remaining: 100, unit: { code: 'USD' } }, error: { kind: 'server' } });

    clock += 60_000;
    expect(await engine.refresh(['honest'])).toMatchObject({ total: 1, ok: 1 });
    expect((await statusesItem.getValue()).honest).toMatchObject({ reading: { remaining: 7.08, fetchedAt: clock }, error: null });
    expect(await storageProblemItem.getValue()).toBeNull();
  });

  it('a key whose writes always fail is put back once, then dropped: later commits store the others, and it is not read again at once', async () => {
    const unstorable: KeyConfig = { ...honest(), id: 'unstorable', label: 'unstorable', secret: 'sk-unstorable' };
    const store = memoryStore([unstorable, honest()]);
    const engine = createEngine({
      fetch: (...a) => fetch(...a),
      now: () => clock,
      hasHostAccess: async () => true,
      timeoutMs: SLOW_MACHINE_MS,
      ...store.deps,
      commit: async (patch) => {
        if (patch.statuses?.unstorable) throw new Error('IO error: write failed');
        await store.deps.commit(patch);
      },
    });
    await expect(engine.refresh(['unstorable'])).rejects.toThrow('IO error');
    clock += 60_000;
    // Put back once: the next commit (this cycle's claim) carries it and fails too.
    await expect(engine.refresh(['honest'])).rejects.toThrow('IO error');
    clock += 60_000;
    expect(await engine.refresh(['honest'])).toMatchObject({ total: 1, ok: 1 });
    expect(store.data.statuses.honest?.reading).toMatchObject({ remaining: 7.08, fetchedAt: clock });
    expect(store.data.statuses.unstorable).toBeUndefined();
    // Read a minute ago, though not stored: not due yet.
    const asked = () => honestSite.requests.filter((r) => r.headers.authorization === 'Bearer sk-unstorable').length;
    const before = asked();
    clock += 60_000;
    await engine.pollDue();
    expect(asked()).toBe(before);
  });
});
