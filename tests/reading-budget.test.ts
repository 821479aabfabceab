import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '@/lib/engine';
import type { KeyConfig, KeyStatus, Reading } from '@/lib/model';
import { fitStatus, itemBytes, STATUS_BUDGET_BYTES, statusBytes, storageRefusedStatus } from '@/lib/reading-budget';
import { keyStatusSchema } from '@/lib/schema';
import { encodeStatus, STORED } from '@/lib/storage/layout';
import { isUsableStatus } from '@/lib/storage/shape';
import { memoryStore } from '../bench/memory-item';
import { bigAccountTokens, hugeDeepSeekAnswer } from './budget-fixtures';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { NOW, usdStatus } from './helpers';

const storedBytes = (store: ReturnType<typeof memoryStore>, id: string) => store.area.bytesOf(STORED.status(id));

describe('the byte budget of a reading (lib/reading-budget.ts)', () => {
  let deepseek: FakeGateway;
  let relay: FakeGateway;
  let clock = NOW;
  beforeAll(async () => {
    deepseek = await startGateway({ now: () => clock, flavor: 'deepseek', provider: { accounts: { 'sk-ds-huge': hugeDeepSeekAnswer() } } });
    relay = await startGateway({
      now: () => clock,
      flavor: 'new-api',
      users: [{ id: 7, accessToken: 'acc-token-abcdefghijklmnopqrstuv', quota: 50_000_000, usedQuota: 0 }],
      accounts: { tokens: bigAccountTokens(7) },
    });
  });
  afterAll(async () => {
    await deepseek?.close();
    await relay?.close();
  });

  const engineFor = (store: ReturnType<typeof memoryStore>) =>
    createEngine({ fetch: (...a) => fetch(...a), now: () => clock, hasHostAccess: async () => true, ...store.deps });

  it('a DeepSeek answer with thousands of other-currency balances (~1 MB) is stored under the budget, its largest balances kept, with the note', async () => {
    expect(JSON.stringify(hugeDeepSeekAnswer()).length).toBeGreaterThan(900_000);
    const key: KeyConfig = {
      id: 'ds',
      label: 'deepseek',
      baseUrl: deepseek.url,
      kind: 'deepseek',
      secret: 'sk-ds-huge',
      createdAt: 0,
      updatedAt: 0,
    };
    const store = memoryStore([key]);
    expect(await engineFor(store).refresh('all')).toMatchObject({ ok: 1 });
    const reading = store.data.statuses.ds?.reading as Reading;
    expect(reading).toMatchObject({ remaining: 88.5, unit: { code: 'CNY' }, cut: ['otherBalances'] });
    expect(reading.otherBalances).toHaveLength(10);
    expect(reading.otherBalances?.slice(-2)).toEqual([
      { unit: { code: 'USD' }, amount: 5000 },
      { unit: { code: 'EUR' }, amount: 4000 },
    ]);
    expect(storedBytes(store, 'ds')).toBeLessThan(2_000);
    expect(keyStatusSchema.safeParse(store.data.statuses.ds).success).toBe(true);
  });

  it("a Test read (the options page's probe) hands back and keeps the reading within the budget too", async () => {
    const key: KeyConfig = {
      id: 'draft',
      label: 'draft',
      baseUrl: deepseek.url,
      kind: 'deepseek',
      secret: 'sk-ds-huge',
      createdAt: 0,
      updatedAt: 0,
    };
    const store = memoryStore([]);
    const engine = engineFor(store);
    const probed = await engine.probe(key);
    expect(probed).toMatchObject({ ok: true, reading: { remaining: 88.5, cut: ['otherBalances'] } });
    expect(probed.reading?.otherBalances).toHaveLength(10);
    // Saved from that Test: its first read is the kept answer, stored within the budget, with no request.
    const asked = deepseek.requests.length;
    store.data.keys = [key];
    await engine.refresh(['draft'], { probe: probed.probeId });
    expect(deepseek.requests.length).toBe(asked);
    expect(store.area.bytesOf(STORED.status('draft'))).toBeLessThan(2_000);
  });

  it('a watched account with 300 tokens is stored under the budget, read after read, the tokens that need attention kept, with the note', async () => {
    const key: KeyConfig = {
      id: 'acc',
      label: 'team account',
      baseUrl: relay.url,
      kind: 'newapi-user',
      secret: 'acc-token-abcdefghijklmnopqrstuv',
      userId: 7,
      watchTokens: true,
      createdAt: 0,
      updatedAt: 0,
    };
    const store = memoryStore([key]);
    const engine = engineFor(store);
    // Several reads: each token's memory (its trend) grows with its history.
    for (let i = 0; i < 4; i++) {
      expect(await engine.refresh('all')).toMatchObject({ ok: 1 });
      const status = store.data.statuses.acc as KeyStatus;
      expect(storedBytes(store, 'acc')).toBeLessThanOrEqual(STATUS_BUDGET_BYTES + STORED.status('acc').length);
      expect(status.reading?.cut).toEqual(['modelLimits', 'tokens']);
      const kept = status.reading?.tokens ?? [];
      expect(kept.length).toBeGreaterThan(150);
      expect(kept.length).toBeLessThan(300);
      // Newest first is the site's order (ids 300…1): those needing attention are kept wherever they are.
      expect(kept.map((t) => t.id)).toEqual(expect.arrayContaining([297, 298]));
      expect(kept.map((t) => t.id)).not.toContain(299);
      // Only the kept tokens have memory and history: none is left of those cut.
      expect(Object.keys(status.children ?? {}).sort()).toEqual(kept.map((t) => `acc:token:${t.id}`).sort());
      expect(Object.keys(store.data.history).filter((id) => id.startsWith('acc:')).length).toBeLessThanOrEqual(kept.length);
      expect(keyStatusSchema.safeParse(status).success).toBe(true);
      clock += 3 * 3_600_000;
    }
  });

  it('measures a status the way Chrome counts its stored item (key and JSON value, UTF-8)', () => {
    const status = usdStatus(3, { name: '中转站 “key”' });
    expect(statusBytes(status) + STORED.status('k1').length).toBe(itemBytes(STORED.status('k1'), encodeStatus(status)));
    // The value is a JSON text stored as a string: its quotes are escaped, multi-byte characters count in full.
    expect(statusBytes(status)).toBeGreaterThan(new TextEncoder().encode(encodeStatus(status)).length);
  });

  it('leaves a status within its counts and budget as it is, and stored statuses without the note still parse', () => {
    const status = usdStatus(3, { otherBalances: [{ unit: { code: 'USD' }, amount: 1 }], modelLimits: ['gpt-4o'] });
    expect(fitStatus(status)).toBe(status);
    expect(keyStatusSchema.safeParse(status).success).toBe(true);
    expect(isUsableStatus(status)).toBe(true);
  });

  it('cuts lists further, then drops them, and keeps only the figures when nothing else fits', () => {
    const balances = Array.from({ length: 10 }, (_, i) => ({ unit: { code: `C${String(i).padStart(2, '0')}` }, amount: i }));
    const status = usdStatus(3, {
      otherBalances: balances,
      modelLimits: Array.from({ length: 50 }, (_, i) => `model-${i}-${'m'.repeat(60)}`),
    });
    // 100 bytes too many: the heaviest list loses the fewest items that make it fit (two of ~75 bytes), the first kept.
    const trimmed = fitStatus(status, statusBytes(status) - 100);
    expect(trimmed.reading?.cut).toEqual(['modelLimits']);
    expect(trimmed.reading?.modelLimits).toEqual(status.reading?.modelLimits?.slice(0, 48));
    expect(trimmed.reading?.otherBalances).toHaveLength(10);
    expect(statusBytes(trimmed)).toBeLessThanOrEqual(statusBytes(status) - 100);
    const bare = fitStatus(status, 300);
    expect(bare.reading).toMatchObject({ remaining: 3, granted: 10, unit: { code: 'USD' }, cut: ['modelLimits', 'otherBalances'] });
    expect(bare.reading?.otherBalances).toBeUndefined();
    expect(bare.reading?.modelLimits).toBeUndefined();
  });

  it('a status the browser refused is stored as its figures with a storage error: small, and parsed', () => {
    const status = usdStatus(3, { otherBalances: [{ unit: { code: 'EUR' }, amount: 1 }] });
    const refused = storageRefusedStatus({ ...status, alert: { state: 'ok' } }, 'QUOTA_BYTES quota exceeded');
    expect(refused).toMatchObject({
      reading: { remaining: 3, cut: ['otherBalances'] },
      error: { code: 'storage', message: 'QUOTA_BYTES quota exceeded', at: NOW },
      failures: 0,
      alert: { state: 'ok' },
    });
    expect(statusBytes(refused)).toBeLessThan(800);
    expect(keyStatusSchema.safeParse(refused).success).toBe(true);
  });
});

describe('quota windows in the budget (LIST_CAPS)', () => {
  const window = (i: number, percentUsed: number) => ({
    name: `w${i}`,
    scope: 'key' as const,
    unit: 'USD',
    limit: 10,
    used: percentUsed / 10,
    remaining: 10 - percentUsed / 10,
    percentUsed,
    resetsAt: null,
    resets: true,
    rolling: false,
  });

  it('keeps at most 12 windows, the fullest first, in the gateway’s order, and says so', () => {
    // 40 windows; the full one comes last and must stay (it makes the key capped).
    const windows = [...Array.from({ length: 39 }, (_, i) => window(i, i)), window(99, 100)];
    const status = fitStatus({ ...usdStatus(5), reading: { ...usdStatus(5).reading, windows } as Reading });
    const kept = status.reading?.windows ?? [];
    expect(kept).toHaveLength(12);
    expect(kept.at(-1)?.name).toBe('w99');
    expect(kept.map((w) => w.percentUsed)).toEqual([28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 100]);
    expect(status.reading?.cut).toEqual(['windows']);
  });

  it('a status the browser refused keeps its windows: they are the key’s figures and its state', () => {
    const reading = { ...usdStatus(5).reading, windows: [window(1, 100)] } as Reading;
    const refused = storageRefusedStatus({ ...usdStatus(5), reading }, 'QUOTA_BYTES quota exceeded');
    expect(refused.reading?.windows).toEqual([window(1, 100)]);
  });
});
