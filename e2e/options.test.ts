import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { type Extension, importBackup, launchExtension, openPopupSettled, popupRows, resetStorage } from './fixtures';
import { axeViolations } from './ui-helpers';

const secret = 'manual'.repeat(8).slice(0, 48);
let ext: Extension;
let site: FakeGateway;
let elsewhere: FakeGateway;
let redirecting: FakeGateway;

beforeAll(async () => {
  site = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    tokens: [{ key: secret, name: 'by-hand', remain: 4_250_000, used: 750_000 }],
  });
  elsewhere = await startGateway({ now: Date.now, flavor: 'new-api', tokens: [{ key: secret, remain: 1, used: 0 }] });
  // 127.0.0.1 → localhost is a different origin, and both are granted in the e2e build.
  redirecting = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    tokens: [],
    tokenRouteRedirect: elsewhere.origin.replace('127.0.0.1', 'localhost'),
  });
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await Promise.all([site, elsewhere, redirecting].map((g) => g?.close()));
});

/** The labels of the stored keys, read from the extension's storage. */
const storedKeys = () =>
  ext.worker.evaluate(async () => {
    // @ts-expect-error chrome is the extension API inside the service worker
    const { keys } = (await chrome.storage.local.get('keys')) as { keys?: { label: string }[] };
    return (keys ?? []).map((k) => k.label);
  });

describe('options page', () => {
  beforeEach(async () => {
    for (const page of ext.context.pages()) await page.close();
  });

  it('adds a key by hand, detects its kind, reads it at once and shows the result inline', async () => {
    const page = await ext.context.newPage();
    await page.goto(ext.url('options.html'));
    await page.getByRole('button', { name: 'Save and read' }).click();
    await page.getByText('Enter a label.').waitFor();
    expect(site.requests).toHaveLength(0);

    await page.getByLabel('Label').fill('By hand');
    await page.getByLabel('Site address').fill(`${site.url}/v1/`);
    await page.getByLabel('Key or access token').fill(`sk-${secret}`);
    await page.getByRole('button', { name: 'Save and read' }).click();
    await page.getByText('Saved. By hand: OK · $8.50 of $10.00').waitFor();
    // The add form is empty again, and focus is on its first field for the next key.
    await expect.poll(() => page.evaluate(() => document.activeElement?.matches('#add input') ?? false)).toBe(true);
    expect(site.requests.find((r) => r.path === '/api/usage/token/')?.headers.authorization).toBe(`Bearer sk-${secret}`);
    // Save's check is the key's first reading: the rate-limited token route is asked once (issue #9, item 3).
    expect(site.requests.filter((r) => r.path === '/api/usage/token/')).toHaveLength(1);

    const popup = await openPopupSettled(ext, 1);
    expect((await popupRows(popup))[0]).toMatchObject({ label: 'By hand', state: 'ok', remaining: '8.5' });
    await popup.close();
  });

  it('edits and deletes a key', async () => {
    const page = await ext.context.newPage();
    await page.goto(ext.url('options.html'));
    await page.locator('[data-key-item][data-label="By hand"]').getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Label').fill('Renamed');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. Renamed').waitFor();

    const popup = await openPopupSettled(ext, 1);
    expect((await popupRows(popup))[0]?.label).toBe('Renamed');

    // automation.md §7: Delete in the key's item, then the question's Delete.
    const item = page.locator('[data-key-item][data-label="Renamed"]');
    await item.getByRole('button', { name: 'Delete', exact: true }).click();
    await item.getByRole('group', { name: 'Delete for good?' }).getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('No keys yet. Add one below or import a backup.').waitFor();
    await popup.reload();
    await popup.getByText('No keys yet').waitFor();
    await page.close();
  });

  it('rejects a broken backup file, says which key and field, and changes nothing', async () => {
    await resetStorage(ext);
    const page = await ext.context.newPage();
    await importBackup(page, ext, {
      format: 'quota-glance',
      version: 1,
      keys: [
        { label: 'good', baseUrl: site.url, kind: 'auto', secret },
        { label: 'no id', baseUrl: site.url, kind: 'newapi-user', secret: 'tok' },
      ],
    });
    await page.getByText('Nothing was imported:').waitFor();
    await page.getByText('Key 2 ("no id"): field "userId" is required for kind newapi-user').waitFor();
    await page.getByText('No keys yet. Add one below or import a backup.').waitFor();
    await page.close();
  });

  it('exports a backup with masked secrets unless asked', async () => {
    await resetStorage(ext);
    const page = await ext.context.newPage();
    await importBackup(page, ext, {
      format: 'quota-glance',
      version: 1,
      keys: [{ label: 'exported', baseUrl: site.url, kind: 'newapi-token', secret: `sk-${secret}` }],
    });
    await page.getByText('Imported 1 key (').waitFor();
    const masked = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const maskedText = readFileSync((await (await masked).path()) ?? '', 'utf8');
    expect(maskedText).not.toContain(secret);
    // Exports are written in the current backup version (automation.md §3.4: version 3).
    expect(JSON.parse(maskedText)).toMatchObject({
      format: 'quota-glance',
      version: 3,
      keys: [{ label: 'exported', baseUrl: site.url, kind: 'newapi-token' }],
    });

    await page.getByLabel('Include secrets').check();
    const full = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    expect(JSON.parse(readFileSync((await (await full).path()) ?? '', 'utf8')).keys[0].secret).toBe(`sk-${secret}`);
    await page.close();
  });

  it('asks before saving a key the site refuses: nothing is stored while asked, Escape keeps the form, Save anyway stores it', async () => {
    await resetStorage(ext);
    const page = await ext.context.newPage();
    await page.goto(ext.url('options.html'));
    // The site knows no such token: it answers 401 "Invalid token" (shared/spec/new-api.md).
    const revoked = `sk-${'revoked'.repeat(8).slice(0, 48)}`;
    await page.getByLabel('Label').fill('Revoked');
    await page.getByLabel('Site address').fill(site.url);
    await page.getByLabel('Key or access token').fill(revoked);
    await page.getByRole('button', { name: 'Save and read' }).click();
    const question = page.getByRole('group', { name: 'The site refused this key. Save it anyway?' });
    await question.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.hasAttribute('data-refused-question'))).toBe(true);
    expect(await storedKeys()).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('secret');
    expect(await page.getByLabel('Key or access token').inputValue()).toBe(revoked);
    expect(await storedKeys()).toEqual([]);

    await page.getByRole('button', { name: 'Save and read' }).click();
    await question.getByRole('button', { name: 'Save anyway' }).click();
    await page.getByText('Saved. Revoked').waitFor();
    expect(await storedKeys()).toEqual(['Revoked']);
    const popup = await openPopupSettled(ext, 1);
    expect((await popupRows(popup))[0]).toMatchObject({ label: 'Revoked', state: 'invalid', error: 'auth' });
    await popup.close();
    await page.close();
  });

  it('never follows a redirect to another origin with the secret', async () => {
    await resetStorage(ext);
    const page = await ext.context.newPage();
    await importBackup(page, ext, {
      format: 'quota-glance',
      version: 1,
      keys: [{ label: 'redirected', baseUrl: redirecting.url, kind: 'newapi-token', secret }],
    });
    const popup = await openPopupSettled(ext, 1);
    expect((await popupRows(popup))[0]).toMatchObject({ state: 'error', error: 'bad-response', remaining: '' });
    expect(redirecting.requests.some((r) => r.status === 301)).toBe(true);
    expect(elsewhere.requests.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
  });

  // Last in this file: it stops the service worker, and reads storage from the page after.
  it('offers to save and remove stored entries that cannot be read as keys, after one more question', async () => {
    await resetStorage(ext);
    const page = await ext.context.newPage();
    await importBackup(page, ext, {
      format: 'quota-glance',
      version: 1,
      keys: [{ label: 'Kept', baseUrl: site.url, kind: 'newapi-token', secret }],
    });
    // Hand-edited storage: an entry with no site, and one that is not a key at all.
    await ext.worker.evaluate(async () => {
      // @ts-expect-error chrome is the extension API inside the service worker
      const { keys } = await chrome.storage.local.get('keys');
      // @ts-expect-error chrome is the extension API inside the service worker
      await chrome.storage.local.set({ keys: [...keys, { id: 'broken', label: 'no site', secret: 'sk-broken' }, 'junk'] });
    });
    // The service worker stops, as the browser stops it when idle, and a page's message wakes
    // a new one, which checks what it finds stored.
    const cdp = await ext.context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    const options = await ext.context.newPage();
    await options.goto(ext.url('options.html'));
    // @ts-expect-error chrome is the extension API of the page
    await options.evaluate(() => chrome.runtime.sendMessage({ wake: true }).catch(() => undefined));
    await options.getByText('2 stored keys could not be read; they are kept unchanged and not shown.').waitFor();
    // The worker that was stopped is gone: storage is read from the page from here on.
    const stored = () =>
      // @ts-expect-error chrome is the extension API of the page
      options.evaluate(async () => (await chrome.storage.local.get('keys')).keys as unknown[]);
    expect(await stored()).toHaveLength(3);

    const [download] = await Promise.all([
      options.waitForEvent('download'),
      options.getByRole('button', { name: 'Save them to a file (secrets included)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^quota-glance-unreadable-\d{4}-\d{2}-\d{2}\.json$/);
    expect(JSON.parse(readFileSync((await download.path()) as string, 'utf8'))).toEqual([
      { id: 'broken', label: 'no site', secret: 'sk-broken' },
      'junk',
    ]);

    // Escape takes the question back.
    await options.getByRole('button', { name: 'Remove them' }).click();
    const confirm = options.getByRole('button', { name: 'Remove 2 unreadable keys for good' });
    await expect.poll(() => confirm.evaluate((b) => b === document.activeElement)).toBe(true);
    await options.keyboard.press('Escape');
    await options.getByRole('button', { name: 'Remove them' }).waitFor();
    expect(await stored()).toHaveLength(3);

    await options.getByRole('button', { name: 'Remove them' }).click();
    await confirm.click();
    await options.getByText('Removed 2 unreadable keys.').waitFor();
    await options.getByText(/stored keys could not be read/).waitFor({ state: 'detached' });
    expect(await options.evaluate(() => document.activeElement?.textContent)).toBe('Removed 2 unreadable keys.');
    expect(((await stored()) as { label: string }[]).map((k) => k.label)).toEqual(['Kept']);
    expect(await axeViolations(options)).toEqual([]);
  });
});
