import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Extension, launchExtension } from './fixtures';
import { buildStorage, manyKeys, seedStorage } from './ui-helpers';

let ext: Extension;
let page: Page;

beforeAll(async () => {
  ext = await launchExtension();
  page = await ext.context.newPage();
  await page.setViewportSize({ width: 1000, height: 800 });
  mkdirSync('e2e/artifacts', { recursive: true });
});
afterAll(async () => {
  await ext?.close();
});

/** 113 keys (issue #19's count): the 26 of manyKeys and 87 more fine ones on five relays. */
async function seed113() {
  const now = Date.now();
  const seeds = manyKeys(now);
  for (let i = 1; i <= 87; i++)
    seeds.push({ label: `Relay key ${String(i).padStart(3, '0')}`, site: `relay-${i % 5}.example.com`, remaining: 50 + i, granted: 200 });
  const stored = buildStorage(seeds, now);
  await seedStorage(ext, { ...stored, appearance: { language: 'browser', theme: 'system', sort: 'urgency', groupBySite: false } });
  return stored;
}

/** The keys' elements: how many there are, and the labels of those shown, in order. */
function items() {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll<HTMLElement>('[data-key-item]')];
    const shown = all.filter((li) => li.offsetParent !== null).map((li) => li.dataset.label);
    return { total: all.length, shown };
  });
}
/** The key list section's height in px. */
const listHeight = () => page.evaluate(() => (document.getElementById('keys') as HTMLElement).offsetHeight);

describe('the options page at 113 keys (issue #19, item 4)', () => {
  it('searches, filters and groups; every key stays in the page with its data-label', async () => {
    await seed113();
    await page.goto(ext.url('options.html'));
    await page.getByRole('option', { name: 'Expired (2)' }).waitFor({ state: 'attached' });
    // Opens on every key, worst first: the two expired keys lead, no filter active.
    const first = await items();
    expect(first.total).toBe(113);
    expect(first.shown).toHaveLength(113);
    expect(first.shown.slice(0, 2).sort()).toEqual(['Old trial', '中转站 key']);
    expect(await page.getByText('113 of 113 keys shown').isVisible()).toBe(true);
    const tall = await listHeight();
    expect(tall).toBeGreaterThan(8000);

    // `/` focuses search from anywhere outside a field.
    await page.locator('#keys-heading').click();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('key-search');
    await page.keyboard.type('revoked');
    await expect.poll(async () => (await items()).shown).toEqual(['Revoked bot']);
    expect((await items()).total).toBe(113);
    expect(await page.getByText('1 of 113 keys shown').isVisible()).toBe(true);
    // The one key found keeps its Edit and Delete (automation.md §7).
    const found = page.locator('[data-key-item][data-label="Revoked bot"]');
    expect(await found.getByRole('button', { name: 'Edit', exact: true }).isVisible()).toBe(true);
    expect(await listHeight()).toBeLessThan(400);

    await page.getByLabel('Search keys').fill('');
    await page.getByLabel('Show').selectOption('attention');
    await expect.poll(async () => (await items()).shown.length).toBe(11);
    expect(await page.getByText('11 of 113 keys shown').isVisible()).toBe(true);
    // Muted from the keyboard, a key leaves "Needs attention": focus goes to the Mute button of the key after it.
    const [muted, next] = (await items()).shown;
    await page.locator(`[data-key-item][data-label="${muted}"] button.mute`).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await items()).shown.length).toBe(10);
    await expect
      .poll(() =>
        page.evaluate(() => [
          document.activeElement?.closest('[data-key-item]')?.getAttribute('data-label'),
          document.activeElement?.className,
        ]),
      )
      .toEqual([next, 'mute']);
    // Unmuted again: the rest of this test counts it.
    await page.getByLabel('Show').selectOption('all');
    await page.locator(`[data-key-item][data-label="${muted}"] button.mute`).click();
    await page.getByRole('option', { name: 'Needs attention (11)' }).waitFor({ state: 'attached' });

    await page.getByLabel('Show').selectOption('all');
    await page.getByLabel('Sort').selectOption('name');
    await page.getByLabel('Group by site').check();
    await page.getByRole('heading', { name: 'relay-1.example.com (18)' }).waitFor();
    const grouped = await items();
    expect(grouped.total).toBe(113);
    expect(grouped.shown).toHaveLength(113);
    await page.getByLabel('Search keys').fill('e');
    await page.evaluate(() => document.getElementById('keys')?.scrollIntoView());
    await page.screenshot({ path: 'e2e/artifacts/options-list-grouped.png' });
  });

  it('options.html#edit=<id> opens that key with its editor focused, and a popup row links there', async () => {
    await seed113();
    await page.goto(ext.url('options.html#edit=k60'));
    const editor = page.locator('[data-key-id="k60"] .editor');
    await editor.waitFor();
    expect(await editor.getByLabel('Label', { exact: true }).inputValue()).toBe('Relay key 035');
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('[data-key-id="k60"] .editor'))).toBe(true);
    // In view, not 5,000 px down.
    expect(await editor.isVisible()).toBe(true);
    const box = await editor.boundingBox();
    expect(box && box.y >= 0 && box.y < 800).toBe(true);
    // Escape cancels the editor and gives focus back to the key's Edit button.
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-key-id="k60"]') !== null)).toBe(true);

    // From the popup: open a row, follow "Edit <label>".
    const popup = await ext.context.newPage();
    await popup.goto(ext.url('popup.html'));
    const row = popup.locator('[data-key-row][data-label="Translator"]');
    await row.locator('.row-toggle').click();
    const opened = ext.context.waitForEvent('page');
    await row.getByRole('link', { name: 'Edit Translator' }).click();
    const options = await opened;
    const editing = options.locator('[data-key-item][data-label="Translator"] .editor');
    await editing.waitFor();
    expect(await editing.getByLabel('Label', { exact: true }).inputValue()).toBe('Translator');
    // Focused and in view once the page has settled (statuses and access re-sort the list after the keys load).
    await options.waitForFunction(() =>
      [...document.querySelectorAll('[data-key-item] .chip')].some((c) => !c.classList.contains('chip-pending')),
    );
    expect(await options.evaluate(() => !!document.activeElement?.closest('[data-key-item][data-label="Translator"] .editor'))).toBe(true);
    const at = await editing.boundingBox();
    const height = await options.evaluate(() => innerHeight);
    expect(at && at.y >= 0 && at.y < height).toBe(true);
    // Escape in the popup closes an opened row.
    await row.getByRole('link', { name: 'Edit Translator' }).focus();
    await popup.keyboard.press('Escape');
    await expect.poll(() => row.locator('.row-toggle').getAttribute('aria-expanded')).toBe('false');
    await options.close();
    await popup.close();
  });
});
