import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { type Extension, importBackup, launchExtension, openPopupSettled, popupRows, resetStorage } from './fixtures';

// Gateways that send numbers beyond any date (shared/spec/automation.md §3, §4): one watched
// token's `expired_time` of 1.7e308 once took every row out of the popup (a RangeError in
// Intl.RelativeTimeFormat), and a custom key's expiry of 9e15 left the options page's Test on
// "Reading…" for good.

const key = (seed: string) => seed.repeat(48).slice(0, 48);
const ACCESS = 'access-token-0123456789abcdef';

let ext: Extension;
let relay: FakeGateway;
let other: FakeGateway;
let proxy: FakeGateway;

beforeAll(async () => {
  relay = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    users: [{ id: 42, accessToken: ACCESS, quota: 5_000_000, usedQuota: 1_000_000 }],
    accounts: {
      tokens: [
        { id: 1, userId: 42, key: key('a'), name: 'far future', remain: 4_500_000, used: 500_000, expiresAt: 1.7e308 },
        { id: 2, userId: 42, key: key('b'), name: 'long past', remain: 4_500_000, used: 500_000, expiresAt: -1.7e308 },
      ],
    },
  });
  other = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    tokens: [{ key: key('h'), name: 'healthy', remain: 4_250_000, used: 750_000 }],
  });
  proxy = await startGateway({
    now: Date.now,
    flavor: 'custom',
    provider: { path: '/api/balance', accounts: { abc123: { data: { balance: '7.5', expire_at: 9e15 } } } },
  });
  ext = await launchExtension();
});

afterAll(async () => {
  await ext?.close();
  await Promise.all([relay, other, proxy].map((g) => g?.close()));
});

/** Every uncaught error of a page, as the person's browser would log it. */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  return errors;
}

it('shows every row when a watched token expires at ±1.7e308, and the healthy key beside it', async () => {
  const options = await ext.context.newPage();
  const optionsErrors = pageErrors(options);
  await importBackup(options, ext, {
    format: 'quota-glance',
    version: 2,
    exportedAt: new Date().toISOString(),
    keys: [
      { label: 'relay account', baseUrl: relay.url, kind: 'newapi-user', secret: ACCESS, userId: 42, watchTokens: true },
      { label: 'healthy', baseUrl: other.url, kind: 'newapi-token', secret: `sk-${key('h')}` },
    ],
  });
  const popup = await openPopupSettled(ext, 4);
  const errors = pageErrors(popup);
  const rows = Object.fromEntries((await popupRows(popup)).map((r) => [r.label, r]));
  expect(Object.keys(rows).sort()).toEqual(['far future', 'healthy', 'long past', 'relay account']);
  expect(rows['relay account']).toMatchObject({ state: 'ok', remaining: '10', unit: 'USD' });
  expect(rows.healthy).toMatchObject({ state: 'ok', remaining: '8.5', unit: 'USD', error: '' });
  // Beyond any date the relay never reaches it; below 0 it is long past (new-api-accounts.md §A.4).
  expect(rows['far future']).toMatchObject({ state: 'ok', remaining: '9', expiresAt: '' });
  expect(rows['long past']).toMatchObject({ state: 'expired', expiresAt: '0' });
  expect(await popup.getByText("This key's reading could not be shown").count()).toBe(0);
  // The account's row and its tokens' rows open without a throw.
  await popup.locator('[data-key-row][data-label="long past"] .row-toggle').click();
  await popup.locator('[data-key-row][data-label="long past"] .row-details').waitFor();
  expect(errors).toEqual([]);
  expect(optionsErrors).toEqual([]);
  await popup.close();
  await options.close();
});

it('ends the custom Test of an expiry of 9e15 with the reason, and Save still works', async () => {
  await resetStorage(ext);
  const page = await ext.context.newPage();
  const errors = pageErrors(page);
  await page.goto(ext.url('options.html'));
  await page.getByLabel('Kind').selectOption('custom');
  await page.getByLabel('Label').fill('hostile proxy');
  await page.getByLabel('Site address').fill(proxy.url);
  await page.getByLabel('Key or access token').fill('abc123');
  await page.getByLabel('Endpoint path').fill('/api/balance');
  await page.getByLabel('Remaining amount at').fill('/data/balance');
  await page.getByLabel('Expiry at').fill('/data/expire_at');
  await page.getByRole('button', { name: 'Test' }).click();
  const reason = '"expiresAt" (/data/expire_at) is out of range';
  await page.getByText(`Test: The site's answer was not a quota reading. (${reason}`).waitFor();
  expect(await page.locator('[data-mapped] [role="alert"]').textContent()).toContain(reason);
  const save = page.getByRole('button', { name: 'Save and read' });
  expect(await save.isEnabled()).toBe(true);

  await save.click();
  await page.getByText('Saved. hostile proxy').waitFor();
  const popup = await openPopupSettled(ext, 1);
  expect((await popupRows(popup))[0]).toMatchObject({ label: 'hostile proxy', state: 'error', error: 'bad-response' });
  expect(errors).toEqual([]);
  await popup.close();
  await page.close();
});
