import { afterAll, beforeAll, expect, it } from 'vitest';
import { STATUS_BUDGET_BYTES } from '../lib/reading-budget';
import { STORED } from '../lib/storage/layout';
import { hugeDeepSeekAnswer } from '../tests/budget-fixtures';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { type Extension, importBackup, launchExtension, openPopupSettled, popupRows } from './fixtures';

// A DeepSeek key answering ~1 MB of other-currency balances (providers.md §3) beside an honest key on
// another site, imported from a version-2 backup (automation.md §3): the huge key stays within its
// byte budget in `storage.local`, both rows show their balance, the huge one says what it left out.
let ext: Extension;
let huge: FakeGateway;
let honest: FakeGateway;

beforeAll(async () => {
  huge = await startGateway({ now: Date.now, flavor: 'deepseek', provider: { accounts: { 'sk-ds-huge': hugeDeepSeekAnswer() } } });
  honest = await startGateway({
    now: Date.now,
    flavor: 'deepseek',
    provider: {
      accounts: {
        'sk-ds-honest': { is_available: true, balance_infos: [{ currency: 'USD', total_balance: '7.08', topped_up_balance: '7.08' }] },
      },
    },
  });
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await Promise.all([huge?.close(), honest?.close()]);
});

/** The part of the extension API this test calls inside the service worker. */
declare const chrome: {
  storage: { local: { get(key: string): Promise<Record<string, unknown>>; getBytesInUse(key: string): Promise<number> } };
};

it('a key answering ~1 MB is stored within its byte budget; an honest key on another site is read beside it', async () => {
  const page = await ext.context.newPage();
  await importBackup(page, ext, {
    format: 'quota-glance',
    version: 2,
    keys: [
      { label: 'huge deepseek', baseUrl: huge.url, kind: 'deepseek', secret: 'sk-ds-huge' },
      { label: 'honest deepseek', baseUrl: honest.url, kind: 'deepseek', secret: 'sk-ds-honest' },
    ],
  });
  await page.getByText('Imported 2 keys').waitFor();
  const popup = await openPopupSettled(ext, 2);
  const rows = Object.fromEntries((await popupRows(popup)).map((r) => [r.label, r]));
  expect(rows['honest deepseek']).toMatchObject({ state: 'ok', remaining: '7.08', unit: 'USD', error: '' });
  expect(rows['huge deepseek']).toMatchObject({ state: 'ok', remaining: '88.5', unit: 'CNY', error: '' });

  const inUse = await ext.worker.evaluate(async (statusKey) => {
    const { keys } = (await chrome.storage.local.get('keys')) as { keys: { id: string; label: string }[] };
    const id = keys.find((k) => k.label === 'huge deepseek')?.id ?? '';
    return chrome.storage.local.getBytesInUse(`${statusKey}${id}`);
  }, STORED.status(''));
  expect(inUse).toBeGreaterThan(0);
  expect(inUse).toBeLessThan(STATUS_BUDGET_BYTES);

  // The row's details show the balance, the largest other currencies and what was left out.
  await popup.locator('[data-key-row][data-label="huge deepseek"] .row-toggle').click();
  const details = popup.locator('[data-key-row][data-label="huge deepseek"] .row-details');
  await details.getByText('Too large to store in full; shortened: other currencies').waitFor();
  expect(await details.locator('.provider-figures').textContent()).toContain('$5,000.00');
  await popup.close();
  await page.close();
});
