import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, ElementHandle } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { type FakeServices, startServices } from '../tests/fake-services/services';
import { launchFirefox, openExtensionPage, waitInPage } from './firefox-helpers';

// Alert channels in Firefox ESR too (a smoke test; Chromium's e2e/channels.test.ts covers the rest):
// a version-3 backup brings a key that is low at once and three channels, and each receives the alert.
const secret = 'foxlow'.repeat(8);
const BOT = '654321:FoxBotTokenABCdef';
let browser: Browser;
let gateway: FakeGateway;
let services: FakeServices;

beforeAll(async () => {
  gateway = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    tokens: [{ key: secret, name: 'low', remain: 100_000, used: 4_900_000 }],
  });
  services = await startServices({ botToken: BOT, dingtalkSecret: 'SECfoxSign0123456789' });
  browser = await launchFirefox();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await services?.close();
});

it('sends the alert of an imported key to webhook, Telegram and signed DingTalk in Firefox', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qg-ff-ch-'));
  const file = join(dir, 'backup.json');
  const at = services.origin;
  writeFileSync(
    file,
    JSON.stringify({
      format: 'quota-glance',
      version: 3,
      keys: [{ label: 'low', baseUrl: gateway.url, kind: 'newapi-token', secret: `sk-${secret}` }],
      channels: [
        { type: 'webhook', label: 'hook', url: `${at}/webhook/qg` },
        { type: 'telegram', label: 'me', server: `${at}/telegram`, botToken: BOT, chatId: 7 },
        { type: 'dingtalk', label: 'ops', url: `${at}/dingtalk/robot/send?access_token=fox0123`, signSecret: 'SECfoxSign0123456789' },
      ],
    }),
  );
  const page = await browser.newPage();
  await openExtensionPage(page, 'options.html');
  const input = (await page.waitForSelector('#import-file')) as ElementHandle<HTMLInputElement> | null;
  await input?.uploadFile(file);
  await waitInPage(page, (text) => !!document.body.textContent?.includes(text), 'Imported 1 key');
  rmSync(dir, { recursive: true, force: true });

  await expect.poll(() => new Set(services.received.map((r) => r.service)).size, { timeout: 30_000 }).toBe(3);
  const host = new URL(gateway.url).host;
  const webhook = JSON.parse(services.received.find((r) => r.service === 'webhook')?.body ?? '{}');
  expect(webhook).toMatchObject({ source: 'quota-glance', event: 'alert', title: 'Quota Glance: low needs attention' });
  expect(webhook.text).toBe(`• low (${host}): Low · $0.20 left`);
  expect(JSON.parse(services.received.find((r) => r.service === 'telegram')?.body ?? '{}')).toMatchObject({ chat_id: '7' });
  for (const r of services.received) expect(`${r.url}${JSON.stringify(r.headers)}${r.body}`).not.toContain(secret);

  await openExtensionPage(page, 'options.html');
  await waitInPage(
    page,
    (n) => [...document.querySelectorAll('[data-channel]')].filter((c) => c.getAttribute('data-channel-status') === 'ok').length === n,
    3,
  );
});
