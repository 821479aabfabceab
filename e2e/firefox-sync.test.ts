import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { readVaultPlain } from '../lib/sync/content';
import { openWithPassphrase } from '../lib/sync/vault';
import { extensionUrl, launchFirefox, seedFirefoxStorage } from './firefox-helpers';
import { type Rclone, rcloneWebdav } from './rclone';

// Sync in Firefox too (automation.md §6): the background's fetch with its own Basic auth,
// the vault key in IndexedDB, against a real `rclone serve webdav`.
const USER = 'fox';
const PASS = 'fox-pass-123';
const PASSPHRASE = 'fox passphrase for the vault';
const dir = mkdtempSync(join(tmpdir(), 'qg-ff-dav-'));
let browser: Browser;
let dav: Rclone;

beforeAll(async () => {
  dav = await rcloneWebdav(dir, USER, PASS);
  await dav.start();
  browser = await launchFirefox();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await dav?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Waits until the page says `check` holds, asking it again and again. (Puppeteer's
 * waitForFunction builds a Function in the page, which this Firefox refuses on extension
 * pages under their CSP; a plain evaluate is not refused.)
 */
const until = (page: Page, check: () => boolean, timeout = 30_000) =>
  vi.waitFor(
    async () => {
      if (!(await page.evaluate(check).catch(() => false))) throw new Error('not yet');
    },
    { timeout, interval: 200 },
  );

/** Opens one of the extension's pages and waits until it is loaded. */
async function open(page: Page, path: string): Promise<void> {
  const url = extensionUrl(path);
  await page.goto(url, { timeout: 2_000 }).catch(() => undefined);
  await vi.waitFor(
    async () => {
      const ready = await page.evaluate((to) => location.href === to && document.readyState === 'complete', url).catch(() => false);
      if (!ready) throw new Error('not loaded');
    },
    { timeout: 30_000, interval: 200 },
  );
}

const typeInto = (page: Page, selector: string, text: string) =>
  page.$eval(
    selector,
    (input, value) => {
      const field = input as HTMLInputElement;
      field.value = value;
      field.dispatchEvent(new Event('input', { bubbles: true }));
    },
    text,
  );

it('turns sync on in Firefox: the vault on the server holds the key, encrypted', async () => {
  const page = await browser.newPage();
  await open(page, 'options.html');
  const now = Date.now();
  await seedFirefoxStorage(page, {
    keys: [
      {
        id: 'fox-1',
        label: 'fox relay',
        baseUrl: 'http://127.0.0.1:9/relay',
        kind: 'newapi-token',
        secret: 'sk-fox-secret-0123456789',
        createdAt: now,
        updatedAt: now,
      },
    ],
  });
  // The open page shows the stored keys as they change.
  await until(page, () => !!document.querySelector('[data-key-item][data-label="fox relay"]'));
  await typeInto(page, '#sync-address', `http://127.0.0.1:${dav.port}/fox`);
  await typeInto(page, '#sync-user', USER);
  await typeInto(page, '#sync-password', PASS);
  await typeInto(page, '#sync-passphrase', PASSPHRASE);
  // A real click: the browser asks for host access only from a person's gesture.
  await page.click('.sync button[type="submit"]');
  await until(
    page,
    () =>
      !!document.querySelector('.sync [role="alert"]') ||
      !['off', 'syncing'].includes(document.querySelector('[data-sync-status]')?.getAttribute('data-sync-status') ?? 'off'),
    60_000,
  );
  const status = await page.evaluate(() => {
    const element = document.querySelector('[data-sync-status]');
    const problem = document.querySelector('.sync [role="alert"]')?.textContent ?? null;
    return { status: element?.getAttribute('data-sync-status'), error: element?.getAttribute('data-sync-error'), problem };
  });
  expect(status).toEqual({ status: 'ok', error: '', problem: null });
  const text = readFileSync(join(dir, 'fox', 'quota-glance.vault.json'), 'utf8');
  expect(text).not.toContain('fox relay');
  expect(text).not.toContain('sk-fox-secret');
  const inside = readVaultPlain((await openWithPassphrase(text, PASSPHRASE)).plain);
  expect(inside.keys.map((k) => [k.id, k.label, k.secret])).toEqual([['fox-1', 'fox relay', 'sk-fox-secret-0123456789']]);
  await page.close();
});
