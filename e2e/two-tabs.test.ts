import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { type Extension, launchExtension } from './fixtures';
import { seedStorage } from './ui-helpers';

const OLD = 'oldsecret'.repeat(6).slice(0, 48);
const NEW = 'newsecret'.repeat(6).slice(0, 48);
let ext: Extension;
let site: FakeGateway;

beforeAll(async () => {
  site = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    tokens: [
      { key: OLD, name: 'old', remain: 4_250_000, used: 750_000 },
      { key: NEW, name: 'new', remain: 4_000_000, used: 1_000_000 },
    ],
  });
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await site?.close();
});

/** The stored key as the worker reads it from chrome.storage.local. */
const storedKey = () =>
  ext.worker.evaluate(async () => {
    // @ts-expect-error chrome is the extension API inside the service worker
    const { keys } = (await chrome.storage.local.get('keys')) as {
      keys?: { label: string; baseUrl: string; secret: string; updatedAt: number }[];
    };
    return keys?.[0];
  });

/** An options tab with the editor of the shared key open. */
async function openEditor(): Promise<Page> {
  const page = await ext.context.newPage();
  await page.goto(ext.url('options.html'));
  await page.locator('[data-key-item][data-label="Shared key"]').getByRole('button', { name: 'Edit', exact: true }).click();
  await page.locator('li.editing').waitFor();
  return page;
}

describe('two options tabs editing the same key', () => {
  it('the tab that saves from an older version is told, can reload, and keeps the other tab’s secret', async () => {
    const now = Date.now();
    await seedStorage(ext, {
      keys: [
        { id: 'shared', label: 'Shared key', baseUrl: site.url, kind: 'newapi-token', secret: `sk-${OLD}`, createdAt: now, updatedAt: now },
      ],
    });
    const a = await openEditor();
    const b = await openEditor();

    // Tab A saves a new secret.
    await a.locator('li.editing').getByLabel('Key or access token').fill(`sk-${NEW}`);
    await a.locator('li.editing').getByRole('button', { name: 'Save', exact: true }).click();
    await a.getByText(/^Saved\. Shared key: /).waitFor();
    expect(await storedKey()).toMatchObject({ label: 'Shared key', secret: `sk-${NEW}` });
    const afterA = (await storedKey())?.updatedAt ?? 0;
    expect(afterA).toBeGreaterThan(now);

    // Tab B, opened before, only renames: nothing is written, and it says why.
    const editorB = b.locator('li.editing');
    await editorB.getByLabel('Label', { exact: true }).fill('B name');
    await editorB.getByRole('button', { name: 'Save', exact: true }).click();
    const conflict = b.getByText('This key was changed in another tab or window since you opened it');
    // Whatever the page answers (before the fix: "Saved." with A's secret undone), storage must keep A's secret.
    await b
      .getByText(/This key was changed in another tab or window|^Saved\./)
      .first()
      .waitFor();
    expect(await storedKey()).toMatchObject({ label: 'Shared key', secret: `sk-${NEW}`, updatedAt: afterA });
    expect(await conflict.isVisible()).toBe(true);
    expect(await b.getByText(/^Saved\./).count()).toBe(0);

    // Reload shows the stored version; B's rename saved on it keeps A's secret.
    await b.getByRole('button', { name: 'Reload this key' }).click();
    await expect.poll(() => editorB.getByLabel('Label', { exact: true }).inputValue()).toBe('Shared key');
    expect(await editorB.getByLabel('Key or access token').inputValue()).toBe(`sk-${NEW}`);
    await editorB.getByLabel('Label', { exact: true }).fill('B name');
    await editorB.getByRole('button', { name: 'Save', exact: true }).click();
    await b.getByText(/^Saved\. B name: /).waitFor();
    const final = await storedKey();
    expect(final).toMatchObject({ label: 'B name', secret: `sk-${NEW}` });
    expect(final?.updatedAt).toBeGreaterThan(afterA);
    await Promise.all([a.close(), b.close()]);
  });

  it('warns beside the address of a plain http:// site that is not loopback, without blocking the form', async () => {
    await seedStorage(ext, { keys: [] });
    const page = await ext.context.newPage();
    await page.goto(ext.url('options.html'));
    const add = page.locator('#add');
    const address = add.getByLabel('Site address');
    const warning = add.getByText('This address uses plain http://: the key travels unencrypted');
    await address.fill('http://relay.example.com');
    await warning.waitFor();
    expect(await warning.isVisible()).toBe(true);
    // A warning, not a problem: the address is valid and Save stays available.
    await add.getByLabel('Label').fill('Lan relay');
    await add.getByLabel('Key or access token').fill(`sk-${OLD}`);
    expect(await address.getAttribute('aria-invalid')).toBe('false');
    expect(await add.getByRole('button', { name: 'Save and read' }).isEnabled()).toBe(true);
    await address.fill('https://relay.example.com');
    await warning.waitFor({ state: 'detached' });

    // A loopback http:// gateway gets no warning and is saved and read as before. (Saving the
    // non-loopback site would open Chromium's host-access prompt, which a headless test cannot answer.)
    await address.fill(`${site.url}/v1`);
    expect(await warning.count()).toBe(0);
    await add.getByRole('button', { name: 'Save and read' }).click();
    await page.getByText(/^Saved\. Lan relay: /).waitFor();
    expect(await storedKey()).toMatchObject({ label: 'Lan relay', baseUrl: site.url });
    await page.close();
  });
});
