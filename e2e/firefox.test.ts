import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, ElementHandle } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { launchFirefox, openExtensionPage } from './firefox-helpers';

// Firefox too: the same flow in Debian's Firefox ESR, driven over WebDriver BiDi.
const key = (seed: string) => seed.repeat(48).slice(0, 48);

let browser: Browser;
let gateway: FakeGateway;

beforeAll(async () => {
  gateway = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    tokens: [
      { key: key('fox'), name: 'fox', remain: 4_250_000, used: 750_000 },
      { key: key('low'), remain: 100_000, used: 4_900_000 },
    ],
  });
  browser = await launchFirefox();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

it('imports keys and shows them in the popup in Firefox', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qg-ff-'));
  const file = join(dir, 'backup.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'quota-glance',
      version: 1,
      keys: [
        { label: 'fox', baseUrl: gateway.url, kind: 'auto', secret: key('fox') },
        { label: 'low', baseUrl: gateway.url, kind: 'newapi-token', secret: `sk-${key('low')}` },
      ],
    }),
  );
  const page = await browser.newPage();
  await openExtensionPage(page, 'options.html');
  const input = (await page.waitForSelector('#import-file')) as ElementHandle<HTMLInputElement> | null;
  await input?.uploadFile(file);
  await page.waitForFunction(() => document.body.textContent?.includes('Imported 2 keys'));
  rmSync(dir, { recursive: true, force: true });

  const popup = await browser.newPage();
  await openExtensionPage(popup, 'popup.html');
  await popup.waitForFunction(
    () => {
      const rows = [...document.querySelectorAll('[data-key-row]')];
      return rows.length === 2 && rows.every((r) => r.getAttribute('data-state') !== 'pending');
    },
    { timeout: 30_000 },
  );
  const rows = await popup.$$eval('[data-key-row]', (all) =>
    all.map((r) => ({
      label: r.getAttribute('data-label'),
      state: r.getAttribute('data-state'),
      remaining: r.getAttribute('data-remaining'),
      error: r.getAttribute('data-error'),
    })),
  );
  expect(rows).toEqual([
    { label: 'low', state: 'low', remaining: '0.2', error: '' },
    { label: 'fox', state: 'ok', remaining: '8.5', error: '' },
  ]);
});
