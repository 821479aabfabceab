import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Commit } from '@/lib/engine';
import { createEngine } from '@/lib/engine';
import type { KeyConfig } from '@/lib/model';
import { memoryStore } from '../bench/memory-item';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { key48 } from './helpers';

/** Storage writes that fail (quota full) where the engine writes: the cycle's claim, or its results (issue #7, item 16). */
const secrets = [key48('a'), key48('b')];
let site: FakeGateway;
let clock = Date.UTC(2026, 10, 22, 9);

beforeAll(async () => {
  site = await startGateway({ now: () => clock, flavor: 'one-api', tokens: secrets.map((key) => ({ key, remain: 1_000_000, used: 0 })) });
});
afterAll(async () => {
  await site?.close();
});

const key = (i: number): KeyConfig => ({
  id: `id-${i}`,
  label: `key ${i}`,
  baseUrl: site.url,
  kind: 'openai-billing',
  secret: secrets[i] as string,
  createdAt: 0,
  updatedAt: 0,
});

/** An engine over memory storage whose writes fail while `failing(patch)` says so. */
function setup(failing: (patch: Commit) => boolean) {
  const store = memoryStore([key(0), key(1)]);
  const written = store.deps.commit;
  const engine = createEngine({
    fetch: (...args) => fetch(...args),
    now: () => clock,
    hasHostAccess: async () => true,
    ...store.deps,
    commit: async (patch) => {
      if (failing(patch)) throw new Error('QUOTA_BYTES quota exceeded');
      await written(patch);
    },
  });
  return { store, engine };
}

const requestsFor = (secret: string) => site.requests.filter((r) => (r.headers.authorization ?? '').includes(secret)).length;

describe('storage writes that fail', () => {
  it('the claim: the cycle says so and sends nothing; once storage works again, keys are read', async () => {
    let broken = true;
    const { store, engine } = setup((patch) => broken && !!patch.cycles && !patch.statuses);
    const before = requestsFor(secrets[0] as string);
    await expect(engine.refresh(['id-0'])).rejects.toThrow('QUOTA_BYTES');
    // Without a claim a dying worker could overspend a budget: nothing was sent.
    expect(requestsFor(secrets[0] as string)).toBe(before);
    expect(store.data.statuses).toEqual({});
    expect(store.data.keys).toHaveLength(2);
    broken = false;
    clock += 60_000;
    expect(await engine.refresh(['id-0'])).toMatchObject({ total: 1, ok: 1 });
    expect(store.data.statuses['id-0']?.reading).toMatchObject({ remaining: 2 });
  });

  it('the results: nothing read is lost; the next write stores them without asking the gateway again', async () => {
    let broken = true;
    const { store, engine } = setup((patch) => broken && !!patch.statuses);
    const readsBefore = requestsFor(secrets[0] as string);
    await expect(engine.refresh(['id-0'])).rejects.toThrow('QUOTA_BYTES');
    const asked = requestsFor(secrets[0] as string) - readsBefore;
    expect(asked).toBeGreaterThan(0);
    expect(store.data.statuses['id-0']).toBeUndefined();
    // Storage works again; another key's read commits, and the first key's reading with it.
    broken = false;
    clock += 60_000;
    await engine.refresh(['id-1']);
    expect(store.data.statuses['id-0']?.reading).toMatchObject({ remaining: 2, fetchedAt: clock - 60_000 });
    expect(requestsFor(secrets[0] as string) - readsBefore).toBe(asked);
    expect(store.data.statuses['id-1']?.reading).toMatchObject({ remaining: 2 });
  });
});
