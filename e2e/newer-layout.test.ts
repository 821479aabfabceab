import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_VERSION } from '../lib/storage/migrations';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { type Extension, launchExtension } from './fixtures';
import { type WorkerControl, watchWorker } from './worker-control';

/**
 * Stored data written by a newer Quota Glance (a newer layout than this version reads,
 * issue #19 item 7): the real worker starts on it, leaves it as it is, reads no key and
 * answers no page, and the popup and the options page say why and what to do.
 */
const key = (seed: string) => seed.repeat(48).slice(0, 48);

declare const chrome: {
  storage: { local: { get(keys: null): Promise<Record<string, unknown>>; set(items: object): Promise<void> } };
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  alarms: { create(name: string, info: { when: number; periodInMinutes: number }): Promise<void>; clear(name: string): Promise<boolean> };
};

let ext: Extension;
let gateway: FakeGateway;
let page: Page;
let worker: WorkerControl;
const SHOWN = `Stored data was written by a newer version of Quota Glance (layout ${STORAGE_VERSION + 1}; this version reads ${STORAGE_VERSION}). Update the extension; nothing was changed, and keys are not read until then.`;

beforeAll(async () => {
  gateway = await startGateway({ now: Date.now, flavor: 'new-api', tokens: [{ key: key('newer'), remain: 1_000_000, used: 0 }] });
  ext = await launchExtension();
  page = await ext.context.newPage();
  await page.goto(ext.url('options.html'));
  worker = await watchWorker(ext.context, page);
});

afterAll(async () => {
  await ext?.close();
  await gateway?.close();
});

describe('stored data of a newer layout', () => {
  let seeded: Record<string, unknown>;

  it('a worker that starts on it changes nothing and reads no key, even when its alarm fires', async () => {
    // No read is due meanwhile; the stored data a newer version left is put in place, then the
    // worker is stopped, and wakes on it when its alarm fires.
    await expect.poll(() => worker.version()).not.toBe('');
    await page.evaluate(() => chrome.alarms.clear('poll'));
    seeded = {
      storageVersion: STORAGE_VERSION + 1,
      keys: [
        { id: 'k1', label: 'laptop', baseUrl: gateway.url, kind: 'newapi-token', secret: `sk-${key('newer')}`, createdAt: 1, updatedAt: 1 },
      ],
      somethingNewer: { shape: 'unknown to this version' },
    };
    await page.evaluate((items) => chrome.storage.local.set(items), seeded);
    const stopped = await worker.stop();
    await page.evaluate(() => chrome.alarms.create('poll', { when: Date.now() + 100, periodInMinutes: 1 }));
    await expect.poll(() => worker.statuses.slice(stopped), { timeout: 20_000 }).toContain('running');
    // A page's request is refused with the reason, after the worker looked at the stored data.
    const answer = await page.evaluate(() => chrome.runtime.sendMessage({ quotaGlance: 'refresh', data: { ids: 'all' } }));
    expect(answer).toEqual({
      // The words the pages show for it (StorageProblem), not the error's own English.
      error: `Stored data was written by a newer version of Quota Glance (layout ${STORAGE_VERSION + 1}; this version reads ${STORAGE_VERSION}). Update the extension; nothing was changed, and keys are not read until then.`,
    });
    expect(gateway.requests).toEqual([]);
    expect(await page.evaluate(() => chrome.storage.local.get(null))).toEqual(seeded);
  });

  it('the popup and the options page say so', async () => {
    const popup = await ext.context.newPage();
    await popup.goto(ext.url('popup.html'));
    await expect.poll(() => popup.locator('.stored-problem').textContent(), { timeout: 20_000 }).toContain(SHOWN);
    // No headline vouches for keys nobody reads, and nothing offers a read that would be refused.
    expect(await popup.locator('[data-summary]').count()).toBe(0);
    expect(await popup.getByRole('button', { name: 'Refresh', exact: true }).isDisabled()).toBe(true);
    expect(await popup.getByRole('button', { name: 'Read laptop now' }).count()).toBe(0);
    expect(await popup.locator('[data-key-row][data-label="laptop"]').count()).toBe(1);
    mkdirSync('e2e/artifacts', { recursive: true });
    await popup.screenshot({ path: 'e2e/artifacts/popup-newer-layout.png' });
    await page.reload();
    await expect.poll(() => page.locator('.stored-problem').textContent(), { timeout: 20_000 }).toContain(SHOWN);
    // Opening the popup asked for a read of the keys due: refused too, nothing stored changed.
    expect(gateway.requests).toEqual([]);
    expect(await page.evaluate(() => chrome.storage.local.get(null))).toEqual(seeded);
    await popup.close();
  });
});
