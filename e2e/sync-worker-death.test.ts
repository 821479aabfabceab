import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readVaultPlain } from '../lib/sync/content';
import { openWithPassphrase } from '../lib/sync/vault';
import { type FakeDav, startFakeDav } from '../tests/fake-dav/server';
import { type Extension, importBackup, launchExtension } from './fixtures';
import { type WorkerControl, watchWorker } from './worker-control';

/**
 * A worker stopped in the middle of a sync (automation.md §6; issue #18: "a worker killed
 * mid-sync loses nothing and leaves no half-written file"): its write is held by the
 * server while the real worker is stopped through the DevTools protocol.
 */

let ext: Extension;
let dav: FakeDav;
let page: Page;
let worker: WorkerControl;
const FILE = '/dav/qg/quota-glance.vault.json';
const PASSPHRASE = 'passphrase for the worker test';
/** The labels the vault on the server holds, opened as another browser would. */
const vaultLabels = async () =>
  readVaultPlain((await openWithPassphrase(dav.files.get(FILE) as string, PASSPHRASE)).plain)
    .keys.map((k) => k.label)
    .sort();

const labels = () => page.locator('[data-key-item]').evaluateAll((items) => items.map((i) => i.getAttribute('data-label')).sort());
const status = () => page.locator('[data-sync-status]');
const backup = (label: string, secret: string) => ({
  format: 'quota-glance',
  version: 1,
  keys: [{ label, secret, baseUrl: 'http://127.0.0.1:9/relay', kind: 'newapi-token' }],
});

beforeAll(async () => {
  dav = await startFakeDav('ann', 'pw-123');
  ext = await launchExtension();
  page = await ext.context.newPage();
  await page.goto(ext.url('options.html'));
  worker = await watchWorker(ext.context, page);
});

afterAll(async () => {
  await ext?.close();
  await dav?.close();
});

it('a worker stopped while writing the vault loses nothing: the file stays whole and the next start finishes the sync', async () => {
  await importBackup(page, ext, backup('first key', 'sk-first-secret-0123456789'));
  await page.getByLabel('WebDAV address').fill(dav.url);
  await page.getByLabel('WebDAV user').fill('ann');
  await page.getByLabel('WebDAV password').fill('pw-123');
  await page.getByLabel('Sync passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Turn on sync' }).click();
  await expect.poll(() => status().getAttribute('data-sync-status'), { timeout: 60_000 }).not.toMatch(/off|syncing/);
  expect(await status().getAttribute('data-sync-error')).toBe('');
  expect(await vaultLabels()).toEqual(['first key']);

  // The next write is held by the server until the worker that sent it is gone.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let putArrived = false;
  dav.gate = (method) => {
    if (method !== 'PUT' || putArrived) return undefined;
    putArrived = true;
    return held;
  };
  await importBackup(page, ext, backup('second key', 'sk-second-secret-0123456789'));
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect.poll(() => putArrived, { timeout: 60_000 }).toBe(true);
  await worker.stop();
  release();

  // The held answer goes to a worker that is gone: the file on the server is still a whole vault, nothing is lost here.
  await new Promise((resolve) => setImmediate(resolve));
  expect(await vaultLabels()).toEqual(['first key']);
  expect(await labels()).toEqual(['first key', 'second key']);

  // The next worker finds the sync it left under way and finishes it.
  await page.reload();
  await expect.poll(() => status().getAttribute('data-sync-status'), { timeout: 60_000 }).toBe('ok');
  await expect.poll(vaultLabels, { timeout: 60_000 }).toEqual(['first key', 'second key']);
  expect(await labels()).toEqual(['first key', 'second key']);
});
