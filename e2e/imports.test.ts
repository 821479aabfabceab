import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { type Extension, launchExtension, openPopupSettled, popupRows, resetStorage } from './fixtures';

/** Keys and tokens of the example files in shared/spec/imports.md §D.1.8, served by the fake gateway. */
const PROFILE_KEY = 'Q7mZ2xK9pL4vB8nR1tY6wE3sD5fG0hJ2kA9cV7bN4mX1zP8q';
const ACCESS_TOKEN = 'Zq8rT2vXy4Lm9NpB3cD6fG1hJ5kW7sA';
const PASSWORD = 'correct horse battery staple';

const fixture = (name: string) => readFileSync(resolve('tests/fixtures/imports', name), 'utf8');

let ext: Extension;
let site: FakeGateway;
const dir = mkdtempSync(join(tmpdir(), 'qg-imports-'));

beforeAll(async () => {
  site = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    tokens: [{ key: PROFILE_KEY, name: 'laptop', remain: 4_250_000, used: 750_000 }],
    users: [{ id: 1042, accessToken: ACCESS_TOKEN, quota: 12_500_000, usedQuota: 0 }],
  });
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Stored {
  label: string;
  baseUrl: string;
  kind: string;
  secret: string;
  userId?: number;
  expiresAt?: number;
}
declare const chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>> } } };
const storedKeys = async () => ((await ext.worker.evaluate(async () => (await chrome.storage.local.get('keys')).keys)) ?? []) as Stored[];

/** An example file with its invented site replaced by the fake gateway. */
const onGateway = (name: string) => fixture(name).replaceAll('https://relay.example.com', site.url);

async function chooseFile(page: Page, name: string, text: string) {
  const file = join(dir, name);
  writeFileSync(file, text);
  await page.getByLabel('Import', { exact: true }).setInputFiles(file);
}

const result = (page: Page) => page.locator('.import-export [role="status"], .import-export [role="alert"]');

/** An All API Hub encrypted envelope of `plain`, made as its writer does (imports.md §D.1.7), with a small count to keep the test quick. */
async function encrypt(plain: string, password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const pw = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 2000 },
    pw,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt'],
  );
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(plain)));
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  return JSON.stringify({
    type: 'all-api-hub-webdav-backup-encrypted',
    v: 1,
    kdf: 'PBKDF2',
    cipher: 'AES-GCM',
    iter: 2000,
    salt: b64(salt),
    iv: b64(iv),
    ct: b64(ct),
  });
}

describe('importing what people already have (automation.md §3.2, imports.md)', () => {
  let page: Page;
  beforeEach(async () => {
    for (const open of ext.context.pages()) await open.close();
    await resetStorage(ext);
    site.requests.length = 0;
    page = await ext.context.newPage();
    await page.goto(ext.url('options.html'));
  });

  it('All API Hub V2 then V4: profile and account keys, the cookie-only account listed, read at once, then updated', async () => {
    await chooseFile(page, 'all-api-hub-backup-2026-04-12.json', onGateway('aah-v2.json'));
    // "Reading them now…" gives way to what the reads found (issue #9, item 3).
    await page.getByText('Imported 2 keys (2 new, 0 updated). Read: 2 OK.').waitFor();
    expect(await result(page).textContent()).not.toContain('Reading them now');
    expect(await result(page).textContent()).toContain(
      'Account “Cookie-only site”: signs in with a browser cookie only; create a system access token',
    );
    expect(await storedKeys()).toEqual([
      expect.objectContaining({ label: 'Acme laptop key', baseUrl: site.url, kind: 'auto', secret: `sk-${PROFILE_KEY}` }),
      expect.objectContaining({ label: 'Acme Relay', baseUrl: site.url, kind: 'newapi-user', secret: ACCESS_TOKEN, userId: 1042 }),
    ]);

    const popup = await openPopupSettled(ext, 2);
    expect((await popupRows(popup)).map((r) => [r.label, r.state])).toEqual(
      expect.arrayContaining([
        ['Acme laptop key', 'ok'],
        ['Acme Relay', 'ok'],
      ]),
    );
    expect(site.requests.find((r) => r.path === '/api/user/self')?.headers['new-api-user']).toBe('1042');
    await popup.close();

    await chooseFile(page, 'all-api-hub-backup-2026-08-25.json', onGateway('aah-v4.json'));
    await page.getByText('Imported 2 keys (0 new, 2 updated). Read: 2 OK.').waitFor();
    const keys = await storedKeys();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatchObject({ label: 'Acme laptop key', kind: 'newapi-token', expiresAt: 1798732800 });
    expect(keys[1]).toMatchObject({ kind: 'newapi-user', userId: 1042 });
  });

  it('All API Hub V1 accounts partial: nothing imported, and the one-api account says why', async () => {
    await chooseFile(page, 'accounts-backup-2025-11-01.json', fixture('aah-v1-accounts.json'));
    await page.getByText('Nothing was imported.').waitFor();
    expect(await result(page).textContent()).toContain('Account “Old One API”: one-api accounts cannot be watched');
    expect(await storedKeys()).toEqual([]);
  });

  it('a lines file with a Cherry Studio link using the raw "+", a CC Switch link and connection info', async () => {
    await chooseFile(page, 'keys.txt', fixture('lines.txt'));
    // The file's sites are not this test's gateway: the e2e build has no access to them.
    await page.getByText('Imported 5 keys (5 new, 0 updated). Read: 5 without access.').waitFor();
    expect(await result(page).textContent()).toContain('Line 8: has a key but no site address');
    const keys = await storedKeys();
    expect(keys.map((k) => [k.label, k.baseUrl, k.kind])).toEqual([
      ['laptop key', 'https://relay.example.com', 'auto'],
      ['relay.example.com', 'https://relay.example.com', 'auto'],
      ['小鹿 API (relay.example.com)', 'https://relay.example.com', 'auto'],
      ['My Codex (relay.example.com)', 'https://relay.example.com', 'auto'],
      ['api.relay.example.net', 'https://api.relay.example.net', 'auto'],
    ]);
    expect(keys[2]?.secret).toBe(`sk-${PROFILE_KEY}`);

    // Undo puts the list back as it was.
    await page.getByRole('button', { name: 'Undo import' }).click();
    await page.getByText('The import was undone').waitFor();
    expect(await storedKeys()).toEqual([]);
  });

  it('the encrypted test vector asks for its password; a wrong one is refused, the right one decrypts', async () => {
    await chooseFile(page, 'all-api-hub-1-0.json', fixture('aah-encrypted.json'));
    const password = page.getByLabel('Backup encryption password of this All API Hub file');
    await password.fill('wrong horse');
    await page.getByRole('button', { name: 'Decrypt and import' }).click();
    await page.getByText('Wrong password or damaged file.').waitFor();
    await password.fill(PASSWORD);
    await page.getByRole('button', { name: 'Decrypt and import' }).click();
    // The vector's plaintext is a V4 accounts backup with no accounts.
    await page.getByText('The file holds no keys.').waitFor({ timeout: 30_000 });
    expect(await storedKeys()).toEqual([]);
  });

  it('an encrypted V2 backup imports its keys after the password', async () => {
    await chooseFile(page, 'all-api-hub-1-0.json', await encrypt(onGateway('aah-v2.json'), PASSWORD));
    await page.getByLabel('Backup encryption password of this All API Hub file').fill(` ${PASSWORD} `);
    await page.getByRole('button', { name: 'Decrypt and import' }).click();
    await page.getByText(/^Imported 2 keys \(2 new, 0 updated\)\. /).waitFor();
    expect((await storedKeys()).map((k) => k.kind)).toEqual(['auto', 'newapi-user']);
  });

  it('the paste box previews before storing anything', async () => {
    await page
      .getByLabel('Paste keys or links')
      .fill(`{"_type":"newapi_channel_conn","key":"sk-${PROFILE_KEY}","url":"${site.url}"}\nsk-alone`);
    await page.getByText('Preview (1 key); nothing is stored yet').waitFor();
    await page.getByText('Line 2: has a key but no site address').waitFor();
    expect(await storedKeys()).toEqual([]);
    await page.getByRole('button', { name: 'Import these keys' }).click();
    await page.getByText(/^Imported 1 key \(1 new, 0 updated\)\. /).waitFor();
    expect(await storedKeys()).toEqual([expect.objectContaining({ baseUrl: site.url, secret: `sk-${PROFILE_KEY}`, kind: 'auto' })]);
  });
});
