import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { badge, type Extension, importBackup, launchExtension, openPopupSettled, popupRows, rowAttribute } from './fixtures';

// One verdict, mute and pin through the contract (automation.md §3.1, §4, §5; issue #19,
// items 1 and 2): a version 3 backup with a muted and a pinned key and a key expiring in
// 3 days; the popup's data-attention, data-attention-count, headline and the badge count
// the same keys, and muting or pinning from a popup row or the options page changes them.

const DAY_S = 86_400;
const secret = (seed: string) => seed.repeat(48).slice(0, 48);
let ext: Extension;
let site: FakeGateway;

beforeAll(async () => {
  const nowS = Math.floor(Date.now() / 1000);
  site = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    tokens: [
      // $8 of $10, expires in 3 days (less a few minutes: time left is rounded up).
      { key: secret('soon'), name: 'soon', remain: 4_000_000, used: 1_000_000, expiresAt: nowS + 3 * DAY_S - 600 },
      // $0.40 of $10: low.
      { key: secret('thin'), name: 'thin', remain: 200_000, used: 4_800_000 },
      // Used up, and the person knows: muted.
      { key: secret('old'), name: 'old', remain: 0, used: 5_000_000 },
      { key: secret('team'), name: 'team', remain: 4_500_000, used: 500_000 },
      { key: secret('fine'), name: 'fine', remain: 4_000_000, used: 1_000_000 },
    ],
  });
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await site?.close();
});

const key = (label: string, flags: { muted?: boolean; pinned?: boolean } = {}) => ({
  id: `key-${label.toLowerCase()}`,
  label,
  baseUrl: site.url,
  kind: 'newapi-token',
  secret: `sk-${secret(label.toLowerCase())}`,
  ...flags,
});

const attentionCount = (popup: Page) => popup.locator('main.popup').getAttribute('data-attention-count');
const labels = async (popup: Page) => (await popupRows(popup)).map((r) => r.label);
/** The label of the row whose toggle has focus; null when focus is elsewhere (lost to the page). */
const focusedRow = (popup: Page) =>
  popup.evaluate(() =>
    document.activeElement?.matches('.row-toggle') ? document.activeElement.closest('[data-key-row]')?.getAttribute('data-label') : null,
  );

describe('one verdict, mute and pin (automation.md §4, §5)', () => {
  let popup: Page;

  it('counts the key expiring in 3 days and the low key, never the muted one, on every surface', async () => {
    const options = await ext.context.newPage();
    await importBackup(options, ext, {
      format: 'quota-glance',
      version: 3,
      exportedAt: '2026-12-07T03:00:00.000Z',
      keys: [key('Soon'), key('Thin'), key('Old', { muted: true }), key('Team', { pinned: true }), key('Fine')],
    });
    await options.getByText(/^Imported 5 keys/).waitFor();
    popup = await openPopupSettled(ext, 5);
    const rows = await popup
      .locator('[data-key-row]')
      .evaluateAll((all) =>
        all.map((r) => ['data-label', 'data-state', 'data-attention', 'data-muted', 'data-pinned'].map((a) => r.getAttribute(a))),
      );
    expect(rows).toEqual([
      // Pinned first; the muted key apart, at the end.
      ['Team', 'ok', 'false', 'false', 'true'],
      ['Thin', 'low', 'true', 'false', 'false'],
      ['Soon', 'ok', 'true', 'false', 'false'],
      ['Fine', 'ok', 'false', 'false', 'false'],
      ['Old', 'exhausted', 'false', 'true', 'false'],
    ]);
    expect(await attentionCount(popup)).toBe('2');
    expect(await popup.locator('[data-summary]').innerText()).toBe('2 keys need attention: 1 low, 1 expiring soon');
    // The expiring key's chip is amber "Expires soon", not a green OK.
    expect(await popup.locator('[data-key-row][data-label="Soon"] .chip').innerText()).toBe('Expires soon');
    // The muted key waits in a closed group; its money is not counted: $0.40 + $8 + $9 + $8.
    expect(await popup.locator('details.muted-group > summary').innerText()).toBe('1 muted');
    expect(await popup.locator('details.muted-group').getAttribute('open')).toBeNull();
    expect(await popup.locator('[data-totals]').innerText()).toBe('Left in total: $25.40');

    const shown = await badge(ext);
    expect(shown.text).toBe('$0.4');
    expect(shown.title.split('\n').slice(0, 2)).toEqual(['Quota Glance: 2 keys need attention', '1 low, 1 expiring soon']);
    expect(shown.title).not.toContain('Old');
    await options.close();
  });

  it('muting a key from its popup row takes it out of the count, the headline and the badge', async () => {
    await popup.locator('[data-key-row][data-label="Thin"] .row-toggle').click();
    const before = await labels(popup);
    await popup.getByRole('button', { name: 'Mute Thin' }).click();
    await expect.poll(() => rowAttribute(popup, 'Thin', 'data-muted')).toBe('true');
    // The row left for the muted group: focus is on the row that took its place, not lost to the page.
    await expect.poll(() => focusedRow(popup)).toBe(before[before.indexOf('Thin') + 1]);
    expect(await rowAttribute(popup, 'Thin', 'data-attention')).toBe('false');
    expect(await attentionCount(popup)).toBe('1');
    expect(await popup.locator('[data-summary]').innerText()).toBe('1 key needs attention: 1 expiring soon');
    // Now the worst is the key expiring in 3 days: amber, its days left.
    await expect.poll(async () => (await badge(ext)).text).toBe('3d');
    expect(await popup.locator('details.muted-group > summary').innerText()).toBe('2 muted');
    // For a person to look at (not tracked): the muted group opened, the row's Mute and Pin buttons.
    mkdirSync('e2e/artifacts', { recursive: true });
    await popup.locator('details.muted-group > summary').click();
    await popup.screenshot({ path: 'e2e/artifacts/popup-muted.png', fullPage: true });
    await popup.locator('details.muted-group > summary').click();
  });

  it('pinning a key from its popup row moves it to the top', async () => {
    await popup.locator('[data-key-row][data-label="Fine"] .row-toggle').click();
    await popup.getByRole('button', { name: 'Pin Fine' }).click();
    await expect.poll(() => rowAttribute(popup, 'Fine', 'data-pinned')).toBe('true');
    expect((await labels(popup)).slice(0, 2).sort()).toEqual(['Fine', 'Team']);
    // The row moved up with focus still on its button, which now unpins.
    await expect.poll(() => popup.evaluate(() => document.activeElement?.textContent)).toBe('Unpin Fine');
    // The muted keys stay apart, worst first.
    expect((await labels(popup)).slice(2)).toEqual(['Soon', 'Old', 'Thin']);
  });

  it('muting the last key needing attention from the options page empties the badge; the count says 0', async () => {
    const options = await ext.context.newPage();
    await options.goto(ext.url('options.html'));
    // The options page says what the popup says: "Expires soon", and which keys are muted.
    const soon = options.locator('[data-key-item][data-label="Soon"]');
    // The page draws its keys before their statuses arrive ("Not read yet"): wait for them.
    await expect.poll(() => soon.locator('.chip').innerText()).toBe('Expires soon');
    expect(await options.locator('[data-key-item][data-label="Thin"] .tag').innerText()).toBe('Muted');
    // Per key: Team is unpinned from its own item.
    await options.locator('[data-key-item][data-label="Team"]').getByRole('button', { name: 'Unpin', exact: true }).click();
    await expect.poll(() => rowAttribute(popup, 'Team', 'data-pinned')).toBe('false');
    // The item moved down the list; focus moved with its button, which now pins.
    await expect
      .poll(() =>
        options.evaluate(() => [
          document.activeElement?.closest('[data-key-item]')?.getAttribute('data-label'),
          document.activeElement?.textContent,
        ]),
      )
      .toEqual(['Team', 'Pin']);
    await expect.poll(async () => (await labels(popup))[0]).toBe('Fine');
    await options.getByRole('checkbox', { name: 'Select Soon' }).check();
    await options.getByRole('button', { name: 'Mute selected', exact: true }).click();
    await soon.locator('.tag', { hasText: 'Muted' }).waitFor();
    await expect.poll(async () => (await badge(ext)).text).toBe('');
    await expect.poll(() => attentionCount(popup)).toBe('0');
    await expect.poll(() => popup.locator('[data-summary]').innerText()).toBe('All 2 keys are fine');
    // The badge's text and title are set one after the other: wait for the title too.
    await expect.poll(async () => (await badge(ext)).title).toBe('Quota Glance: all keys are fine');

    // Unmuted again (in bulk): it counts again, on every surface.
    await options.getByRole('button', { name: 'Unmute selected', exact: true }).click();
    await expect.poll(() => attentionCount(popup)).toBe('1');
    await expect.poll(async () => (await badge(ext)).text).toBe('3d');
    await options.close();
  });

  it('unmuting a key from the muted group keeps its row open, with focus on its button, which now mutes', async () => {
    await popup.locator('details.muted-group > summary').click();
    await popup.locator('[data-key-row][data-label="Thin"] .row-toggle').click();
    await popup.getByRole('button', { name: 'Unmute Thin' }).click();
    await expect.poll(() => rowAttribute(popup, 'Thin', 'data-muted')).toBe('false');
    // The row left the group for the list, still open: the keyboard is where it was, on the same button.
    await expect.poll(() => popup.evaluate(() => document.activeElement?.textContent)).toBe('Mute Thin');
    expect(await popup.locator('[data-key-row][data-label="Thin"] .row-toggle').getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => attentionCount(popup)).toBe('2');
  });
});
