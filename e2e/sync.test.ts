import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Extension, importBackup, launchExtension } from './fixtures';
import { type Rclone, rcloneWebdav } from './rclone';

/**
 * Sync (shared/spec/automation.md §6, §7) between three Chromium profiles through a real
 * WebDAV server, Debian's `rclone serve webdav`, driven only through the options page.
 */

const USER = 'qg-user';
const PASS = 'qg-pass-7f3a';
const PASSPHRASE = 'correct horse battery staple';
const dir = mkdtempSync(join(tmpdir(), 'qg-dav-'));
let dav: Rclone;
const address = () => `http://127.0.0.1:${dav.port}/team/qg`;
const vaultFile = () => join(dir, 'team', 'qg', 'quota-glance.vault.json');
const startDav = () => dav.start();
const stopDav = () => dav.stop();

/** The part of the extension API these tests call from an extension page. */
declare const chrome: {
  storage: { local: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } };
};

/** What the background keeps in IndexedDB to sync (lib/sync/key-db.ts), described: a CryptoKey cannot leave the page. */
const storedSecrets = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open('quota-glance-sync');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('secrets').objectStore('secrets').get('current');
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            const record = get.result as { key?: { key?: CryptoKey } } | undefined;
            if (!record) return resolve(null);
            resolve({
              fields: Object.keys(record).sort(),
              cryptoKey: record.key?.key instanceof CryptoKey,
              extractable: record.key?.key?.extractable,
              passphraseKept: JSON.stringify(record).includes('correct horse'),
            });
          };
        };
      }),
  );

const browsers: Extension[] = [];
const pages: Page[] = [];

async function options(n: number): Promise<Page> {
  const page = pages[n] as Page;
  return page;
}

const status = (page: Page) => page.locator('[data-sync-status]');
/** Waits until the status is no longer `syncing` and returns it. */
async function settled(page: Page): Promise<{ status: string | null; at: string | null; error: string | null }> {
  await expect.poll(() => status(page).getAttribute('data-sync-status'), { timeout: 60_000 }).not.toBe('syncing');
  return {
    status: await status(page).getAttribute('data-sync-status'),
    at: await status(page).getAttribute('data-sync-at'),
    error: await status(page).getAttribute('data-sync-error'),
  };
}

async function turnOn(page: Page, passphrase = PASSPHRASE): Promise<void> {
  await page.getByLabel('WebDAV address').fill(address());
  await page.getByLabel('WebDAV user').fill(USER);
  await page.getByLabel('WebDAV password').fill(PASS);
  await page.getByLabel('Sync passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Turn on sync' }).click();
  await expect.poll(() => status(page).getAttribute('data-sync-status'), { timeout: 60_000 }).not.toBe('off');
}

/** Presses Sync now and waits for a sync later than the last one. */
async function syncNow(page: Page): Promise<void> {
  const before = Number((await status(page).getAttribute('data-sync-at')) || 0);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect
    .poll(async () => Number((await status(page).getAttribute('data-sync-at')) || 0), { timeout: 60_000 })
    .toBeGreaterThan(before);
}

const labels = (page: Page) =>
  page.locator('[data-key-item]').evaluateAll((items) => items.map((i) => i.getAttribute('data-label')).sort());

const backup = (keys: { label: string; secret: string }[]) => ({
  format: 'quota-glance',
  version: 1,
  // Port 9 (discard) on loopback: reads fail at once, which sync does not care about.
  keys: keys.map((k) => ({ ...k, baseUrl: 'http://127.0.0.1:9/relay', kind: 'newapi-token' })),
});

beforeAll(async () => {
  dav = await rcloneWebdav(dir, USER, PASS);
  await startDav();
  for (let i = 0; i < 3; i++) {
    const ext = await launchExtension();
    browsers.push(ext);
    const page = await ext.context.newPage();
    await page.goto(ext.url('options.html'));
    pages.push(page);
  }
});

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await stopDav();
  rmSync(dir, { recursive: true, force: true });
});

describe('sync through a WebDAV folder (automation.md §6)', () => {
  it('turning on in two browsers merges both; adds, edits and deletes reach the other', async () => {
    const [a, b] = [await options(0), await options(1)];
    await importBackup(a, browsers[0] as Extension, backup([{ label: 'laptop relay', secret: 'sk-laptop-secret-000111222333444' }]));
    await importBackup(b, browsers[1] as Extension, backup([{ label: 'desktop relay', secret: 'sk-desktop-secret-555666777888999' }]));
    expect(await status(a).getAttribute('data-sync-status')).toBe('off');

    await turnOn(a);
    expect(await settled(a)).toMatchObject({ status: 'ok', error: '' });
    // A chooses a setting before B joins: B's defaults must not win over it.
    await a.getByLabel('Read every (minutes)').fill('40');
    await a.getByRole('button', { name: 'Save settings' }).click();
    await syncNow(a);
    // The folder did not exist: it was made (MKCOL, under a parent that did not exist either).
    await turnOn(b);
    expect(await settled(b)).toMatchObject({ status: 'ok' });
    expect(await labels(b)).toEqual(['desktop relay', 'laptop relay']);
    await b.reload();
    expect(await b.getByLabel('Read every (minutes)').inputValue()).toBe('40');
    await syncNow(a);
    expect(await labels(a)).toEqual(['desktop relay', 'laptop relay']);

    // An edit in A (§7: Edit in the key's item).
    const item = a.locator('[data-key-item][data-label="laptop relay"]');
    await item.getByRole('button', { name: 'Edit', exact: true }).click();
    await a.locator('[data-key-item] input').first().waitFor();
    await a.locator('li.editing').getByLabel('Label').fill('laptop relay 2');
    await a.locator('li.editing').getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => labels(a)).toEqual(['desktop relay', 'laptop relay 2']);
    // Sync follows the change by itself within seconds.
    await expect
      .poll(() => a.locator('[data-sync-status]').getAttribute('data-sync-at').then(Number), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(
        async () => {
          await syncNow(b);
          return labels(b);
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toEqual(['desktop relay', 'laptop relay 2']);

    // A delete in B (Delete, then the question's Delete).
    const gone = b.locator('[data-key-item][data-label="desktop relay"]');
    await gone.getByRole('button', { name: 'Delete', exact: true }).click();
    await gone.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => labels(b)).toEqual(['laptop relay 2']);
    await expect
      .poll(
        async () => {
          await syncNow(a);
          return labels(a);
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toEqual(['laptop relay 2']);
    // And it stays gone after both sync again.
    await syncNow(b);
    await syncNow(a);
    expect(await labels(a)).toEqual(['laptop relay 2']);
    expect(await labels(b)).toEqual(['laptop relay 2']);
  });

  it('settings travel too: the newer change wins', async () => {
    const [a, b] = [await options(0), await options(1)];
    await a.getByLabel('Read every (minutes)').fill('45');
    await a.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(
        async () => {
          await syncNow(b);
          await b.reload();
          return b.getByLabel('Read every (minutes)').inputValue();
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toBe('45');
    // And a later change in B comes back to A.
    await b.getByLabel('Read every (minutes)').fill('50');
    await b.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(
        async () => {
          await syncNow(a);
          await a.reload();
          return a.getByLabel('Read every (minutes)').inputValue();
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toBe('50');
  });

  it('alert channels travel too (their secrets inside the vault only)', async () => {
    const [a, b] = [await options(0), await options(1)];
    const channel = { type: 'ntfy', label: 'phone', server: 'https://ntfy.sh', topic: 'qg-topic-7f3a', token: 'tk_channel_secret_123456' };
    // Stored as the channels section stores them (automation.md §3.4); the background stamps and syncs the change.
    await a.evaluate((c) => chrome.storage.local.set({ channels: [c] }), channel);
    await expect
      .poll(
        async () => {
          await syncNow(b);
          return b.evaluate(async () => (await chrome.storage.local.get('channels')).channels);
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toEqual([channel]);
    expect(readFileSync(vaultFile(), 'utf8')).not.toContain('tk_channel_secret');
  });

  it('the file on the server is the envelope of §6, with no label, site or secret in plain text', () => {
    const text = readFileSync(vaultFile(), 'utf8');
    const envelope = JSON.parse(text);
    expect(envelope).toMatchObject({ type: 'quota-glance-vault', v: 1, kdf: 'PBKDF2', hash: 'SHA-256', cipher: 'AES-GCM' });
    expect(envelope.iter).toBeGreaterThanOrEqual(600_000);
    expect(Buffer.from(envelope.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(envelope.iv, 'base64')).toHaveLength(12);
    for (const plain of ['laptop', 'desktop', '127.0.0.1', 'relay', 'sk-laptop', 'secret', 'notifyRestored', PASS, PASSPHRASE])
      expect(text).not.toContain(plain);
  });

  it('a wrong passphrase in a third browser changes nothing there or anywhere', async () => {
    const c = await options(2);
    await importBackup(c, browsers[2] as Extension, backup([{ label: 'third own key', secret: 'sk-third-secret-123123123123123' }]));
    const before = readFileSync(vaultFile(), 'utf8');
    await turnOn(c, 'not the passphrase');
    expect(await settled(c)).toMatchObject({ status: 'error', error: 'This passphrase does not open the vault' });
    expect(await labels(c)).toEqual(['third own key']);
    expect(readFileSync(vaultFile(), 'utf8')).toBe(before);
    await syncNow(await options(0));
    expect(await labels(await options(0))).toEqual(['laptop relay 2']);
    // With the right one, the third browser joins and its key reaches the others.
    await turnOn(c);
    expect(await settled(c)).toMatchObject({ status: 'ok' });
    expect(await labels(c)).toEqual(['laptop relay 2', 'third own key']);
  });

  it('a server stopped and restarted mid-way loses nothing', async () => {
    const [a, b] = [await options(0), await options(1)];
    await stopDav();
    await importBackup(a, browsers[0] as Extension, backup([{ label: 'added offline', secret: 'sk-offline-secret-999888777666555' }]));
    await a.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => status(a).getAttribute('data-sync-status'), { timeout: 60_000 }).toBe('error');
    expect(await status(a).getAttribute('data-sync-error')).toMatch(/cannot be reached/);
    // Nothing local changed by the failure: the key added meanwhile is there, nothing else came or went.
    expect(await labels(a)).toEqual(['added offline', 'laptop relay 2']);
    await startDav();
    await syncNow(a);
    expect(await settled(a)).toMatchObject({ status: 'ok', error: '' });
    expect(await labels(a)).toEqual(['added offline', 'laptop relay 2', 'third own key']);
    await syncNow(b);
    expect(await labels(b)).toEqual(['added offline', 'laptop relay 2', 'third own key']);
  });

  it('turning off forgets the login: Sync now is gone and nothing more is sent', async () => {
    const b = await options(1);
    // While on: a non-extractable key and the login, never the passphrase.
    expect(await storedSecrets(b)).toEqual({ fields: ['dav', 'key'], cryptoKey: true, extractable: false, passphraseKept: false });
    await b.getByRole('button', { name: 'Turn off sync' }).click();
    await expect.poll(() => status(b).getAttribute('data-sync-status')).toBe('off');
    expect(await b.getByRole('button', { name: 'Sync now' }).count()).toBe(0);
    await b.reload();
    expect(await status(b).getAttribute('data-sync-status')).toBe('off');
    expect(await b.getByLabel('WebDAV password').inputValue()).toBe('');
    // The derived key and the WebDAV login are gone from the extension's IndexedDB; no stored item holds the password.
    const kept = await storedSecrets(b);
    expect(kept).toBeNull();
    expect(JSON.stringify(await b.evaluate(() => chrome.storage.local.get(null as unknown as string)))).not.toContain(PASS);
  });

  it('screenshots of the sync section, light and dark', async () => {
    const a = await options(0);
    await syncNow(a);
    for (const theme of ['light', 'dark'] as const) {
      await a.evaluate(
        (t) => chrome.storage.local.set({ appearance: { language: 'browser', theme: t, sort: 'urgency', groupBySite: false } }),
        theme,
      );
      await a.reload();
      await a.locator('[data-sync-status="ok"]').waitFor();
      await a.locator('#sync').screenshot({ path: `e2e/artifacts/sync-${theme}.png` });
    }
  });
});
