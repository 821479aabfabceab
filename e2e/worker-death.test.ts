import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGateway, type FakeToken, startGateway } from '../tests/fake-gateway/gateway';
import { type Extension, importBackup, launchExtension, openPopupSettled, popupRows } from './fixtures';
import { type WorkerControl, watchWorker } from './worker-control';

/**
 * The service worker may be stopped by the browser at any moment (issue #7, item 16).
 * Here the real worker is stopped through the DevTools protocol in the middle of a
 * cycle, and what it leaves behind is checked through storage and the gateways.
 */

const TOKEN_ROUTE = '/api/usage/token/';
const key = (seed: string) => seed.repeat(48).slice(0, 48);
const relayTokens: FakeToken[] = Array.from({ length: 12 }, (_, i) => ({ key: key(`relay${i}x`), remain: 4_000_000, used: i * 10_000 }));
const legacyTokens: FakeToken[] = Array.from({ length: 6 }, (_, i) => ({ key: key(`legacy${i}y`), remain: 2_000_000, used: 0 }));

interface Stored {
  keys: { id: string; label: string }[];
  statuses: Record<
    string,
    { reading: { fetchedAt: number } | null; error: { kind: string } | null; heldBack?: { at: number; until: number } } | undefined
  >;
  cycles: Record<string, unknown>;
}

let ext: Extension;
let relay: FakeGateway;
let legacy: FakeGateway;
let page: Page;
let worker: WorkerControl;

/** Everything the extension stored, read from one of its pages (the worker may be stopped). */
const stored = (): Promise<Stored> =>
  page.evaluate(async () => {
    const all = await chrome.storage.local.get(['keys', 'cycles']);
    const keys = (all.keys ?? []) as { id: string }[];
    // One status item per key (lib/storage/layout.ts).
    const found = await chrome.storage.local.get(keys.map((k) => `status:${k.id}`));
    // Each stored as its JSON text (lib/storage/layout.ts `encodeStatus`).
    const statuses = Object.fromEntries(
      keys.map((k) => {
        const text = found[`status:${k.id}`];
        return [k.id, typeof text === 'string' ? JSON.parse(text) : undefined];
      }),
    );
    return { keys, statuses, cycles: all.cycles ?? {} } as never;
  });

declare const chrome: {
  storage: { local: { get(keys: string[]): Promise<Record<string, unknown>> } };
  alarms: { create(name: string, info: { when: number; periodInMinutes: number }): Promise<void> };
};

beforeAll(async () => {
  // new-api's real limits (§6.1): 10 token-route requests per 20 minutes per site is the extension's budget.
  relay = await startGateway({ now: Date.now, flavor: 'new-api', tokens: relayTokens, rateLimits: true, latencyMs: 1_000 });
  legacy = await startGateway({ now: Date.now, flavor: 'one-api', tokens: legacyTokens, latencyMs: 1_000 });
  ext = await launchExtension();
  page = await ext.context.newPage();
  await page.goto(ext.url('options.html'));
  worker = await watchWorker(ext.context, page);
});

afterAll(async () => {
  await ext?.close();
  await relay?.close();
  await legacy?.close();
});

describe('the service worker is stopped in the middle of a cycle', () => {
  let before: Stored;

  it('loses no key and no reading when it is stopped mid-cycle', async () => {
    await importBackup(page, ext, {
      format: 'quota-glance',
      version: 2,
      keys: [
        ...relayTokens.map((t, i) => ({ label: `relay ${i}`, baseUrl: relay.url, kind: 'newapi-token', secret: `sk-${t.key}` })),
        ...legacyTokens.map((t, i) => ({ label: `legacy ${i}`, baseUrl: legacy.url, kind: 'openai-billing', secret: `sk-${t.key}` })),
      ],
    });
    // The import started a cycle over 18 keys. Stop the worker once it is well under way.
    await expect
      .poll(() => relay.requests.filter((r) => r.path.endsWith(TOKEN_ROUTE)).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(3);
    before = await stored();
    await worker.stop();
    const answeredAtStop = relay.requests.filter((r) => r.path.endsWith(TOKEN_ROUTE)).length + legacy.requests.length / 2;
    // Stopped mid-cycle, not after it: some keys had not been answered yet.
    expect(answeredAtStop).toBeLessThan(relayTokens.length + legacyTokens.length);

    const after = await stored();
    expect(after.keys.map((k) => k.label).sort()).toEqual(before.keys.map((k) => k.label).sort());
    expect(after.keys).toHaveLength(18);
    for (const [id, status] of Object.entries(before.statuses)) {
      if (status?.reading) expect(after.statuses[id]?.reading?.fetchedAt).toBeGreaterThanOrEqual(status.reading.fetchedAt);
    }
    // The cycle's claim is still there for a successor to find.
    expect(Object.keys(after.cycles).length).toBeGreaterThan(0);
  });

  it('the next alarm wakes a new worker that carries on without overspending any site', async () => {
    // The real alarm, moved to fire now instead of within the minute.
    await page.evaluate(() => chrome.alarms.create('poll', { when: Date.now() + 200, periodInMinutes: 1 }));
    await expect.poll(() => worker.statuses.at(-1), { timeout: 20_000 }).toBe('running');

    // Every key gets an outcome: the one-api site's keys are all read; the new-api site's
    // keys are read or held back, because the dead cycle may have used its budget.
    await expect
      .poll(
        async () => {
          const { keys, statuses } = await stored();
          return keys.filter((k) => {
            const s = statuses[k.id];
            // Held back by the budget is an outcome too: the key waits for its turn (status.heldBack).
            return !s || (s.reading === null && s.error === null && !s.heldBack);
          }).length;
        },
        { timeout: 60_000 },
      )
      .toBe(0);
    const after = await stored();
    for (const k of after.keys.filter((k) => k.label.startsWith('legacy'))) {
      expect(after.statuses[k.id]?.reading, k.label).toBeTruthy();
    }
    for (const k of after.keys.filter((k) => k.label.startsWith('relay'))) {
      const s = after.statuses[k.id];
      expect(!!s?.reading || !!s?.heldBack, k.label).toBe(true);
    }
    for (const [id, status] of Object.entries(before.statuses)) {
      if (status?.reading) expect(after.statuses[id]?.reading?.fetchedAt).toBeGreaterThanOrEqual(status.reading.fetchedAt);
    }
    // Within new-api's budget across both workers: at most 10 token-route requests, and no 429.
    expect(relay.requests.filter((r) => r.path.endsWith(TOKEN_ROUTE)).length).toBeLessThanOrEqual(10);
    expect(relay.refused).toBe(0);
    // The dead cycle's claim was taken over and cleared.
    await expect.poll(async () => Object.keys((await stored()).cycles)).toEqual([]);

    const popup = await openPopupSettled(ext, 18);
    const rows = await popupRows(popup);
    expect(rows.filter((r) => r.label?.startsWith('legacy')).every((r) => r.state === 'ok')).toBe(true);
    expect(rows.every((r) => r.state !== 'pending')).toBe(true);
  });
});
