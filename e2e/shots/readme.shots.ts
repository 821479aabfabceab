/**
 * `npm run screenshots`: the README's pictures, made from the e2e build with storage seeded
 * as the extension writes it (e2e/ui-helpers.ts). Tests never write into assets/: this is
 * the one place that does. Run it after a change a person would see, and look at the result.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { KeyConfig, KeyStatus } from '../../lib/model';
import { type Extension, launchExtension } from '../fixtures';
import { buildStorage, seedStorage } from '../ui-helpers';

const SHOTS = 'assets/screenshots';
const HOUR = 3_600_000;

let ext: Extension;
let page: Page;

beforeAll(async () => {
  ext = await launchExtension();
  page = await ext.context.newPage();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await ext?.close();
});

/** An ordinary day: most keys fine, one low, one expiring this week, one 5-hour window full. */
function ordinaryDay(now: number): { keys: KeyConfig[]; statuses: Record<string, KeyStatus> } {
  const { keys, statuses } = buildStorage(
    [
      { label: 'CI pipeline', site: 'api.relay-one.com', remaining: 0.8, granted: 20 },
      { label: 'Work laptop', site: 'api.relay-one.com', remaining: 42.5, granted: 50, expiresInDays: 3 },
      { label: '中转站 key', site: 'gw.example.cn', unit: 'CNY', remaining: 186, granted: 300 },
      { label: 'Nightly evals', site: 'llm.team.internal', unit: 'tokens', remaining: 3_400_000, granted: 5_000_000 },
      { label: 'Team (unlimited)', site: 'api.relay-one.com', unlimited: true },
      { label: 'Side project', site: 'openai-proxy.dev', remaining: 12.3, granted: 20, expiresInDays: 40 },
    ],
    now,
  );
  // A Sub2API key whose 5-hour window is full: capped, works again in 2 h 13 min.
  const nowS = Math.floor(now / 1000);
  const reset = nowS + 2 * 3600 + 13 * 60;
  keys.push({
    id: 'claude',
    label: 'Claude Code',
    baseUrl: 'https://claude.relay-two.com',
    kind: 'sub2api',
    secret: `sk-${'ab'.repeat(32)}`,
    createdAt: now,
    updatedAt: now,
  });
  statuses.claude = {
    reading: {
      kind: 'sub2api',
      scope: 'key',
      unit: { code: 'USD' },
      unlimited: false,
      remaining: 37.5,
      granted: 50,
      used: 12.5,
      expiresAt: nowS + 12 * 86_400,
      fetchedAt: now - 2 * 60_000,
      plan: 'Claude Max',
      windows: [
        {
          name: '5h',
          scope: 'key',
          unit: 'USD',
          limit: 5,
          used: 5.02,
          remaining: 0,
          percentUsed: 100,
          resetsAt: reset,
          resets: true,
          rolling: false,
        },
        {
          name: 'day',
          scope: 'key',
          unit: 'USD',
          limit: 20,
          used: 11.4,
          remaining: 8.6,
          percentUsed: 57,
          resetsAt: nowS + 9 * 3600,
          resets: true,
          rolling: false,
        },
        {
          name: 'total',
          scope: 'key',
          unit: 'USD',
          limit: 50,
          used: 12.5,
          remaining: 37.5,
          percentUsed: 25,
          resetsAt: null,
          resets: false,
          rolling: false,
        },
      ],
    },
    error: null,
    attemptedAt: now - 2 * 60_000,
    failures: 0,
  };
  for (const status of Object.values(statuses)) delete status.trend;
  return { keys, statuses };
}

async function popupWith(language: string, theme: 'light' | 'dark'): Promise<void> {
  const now = Date.now();
  await seedStorage(ext, { ...ordinaryDay(now), appearance: { language, theme, sort: 'urgency', groupBySite: false } });
  await page.setViewportSize({ width: 400, height: 600 });
  await page.goto(ext.url('popup.html'));
  await page.locator('[data-key-row]').nth(6).waitFor({ state: 'attached' });
  await page.locator('[data-summary]').waitFor();
}

it('the popup on an ordinary day, light and dark, in zh-CN and ja', async () => {
  await popupWith('browser', 'light');
  expect(await page.locator('[data-key-row][data-label="Claude Code"]').getAttribute('data-state')).toBe('capped');
  await page.screenshot({ path: `${SHOTS}/popup-light.png` });
  await popupWith('browser', 'dark');
  await page.screenshot({ path: `${SHOTS}/popup-dark.png` });
  await popupWith('zh_CN', 'light');
  await page.screenshot({ path: `${SHOTS}/popup-zh-CN.png` });
  await popupWith('ja', 'light');
  await page.screenshot({ path: `${SHOTS}/popup-ja.png` });
});

it('a capped key opened, light and dark (README: Windows and plans)', async () => {
  for (const theme of ['light', 'dark'] as const) {
    await popupWith('browser', theme);
    const row = page.locator('[data-key-row][data-label="Claude Code"]');
    await row.locator('.row-toggle').click();
    await row.locator('.row-details').waitFor();
    await row.screenshot({ path: `${SHOTS}/capped-${theme}.png` });
  }
});

it('the options page', async () => {
  const now = Date.now();
  await seedStorage(ext, { ...ordinaryDay(now), appearance: { language: 'browser', theme: 'light', sort: 'urgency', groupBySite: false } });
  await page.setViewportSize({ width: 1000, height: 800 });
  await page.goto(ext.url('options.html'));
  await page.locator('[data-key-item]').nth(6).waitFor();
  await page.screenshot({ path: `${SHOTS}/options.png` });
});

it('the alert channels section, light and dark', async () => {
  const now = Date.now();
  const channels = [
    { type: 'ntfy', label: 'phone', server: 'https://ntfy.sh', topic: 'qg-7f3a' },
    { type: 'feishu', label: 'ops cn', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/0c3a9e', signSecret: 'demo-sign-secret' },
    { type: 'telegram', label: 'me', server: 'https://api.telegram.org', botToken: '123456:ABCdemo', chatId: '42' },
  ];
  const channelStatus = {
    'ntfy\nphone': { status: 'ok', sentAt: now - 25 * 60_000 },
    'feishu\nops cn': { status: 'ok', sentAt: now - 3 * HOUR },
  };
  for (const theme of ['light', 'dark'] as const) {
    await seedStorage(ext, {
      ...ordinaryDay(now),
      channels,
      channelStatus,
      alertSettings: { notifyRestored: true, digestHour: 9 },
      appearance: { language: 'browser', theme, sort: 'urgency', groupBySite: false },
    });
    await page.setViewportSize({ width: 1000, height: 800 });
    await page.goto(ext.url('options.html'));
    await page.locator('[data-channel]').nth(2).waitFor();
    await page.locator('#channels').screenshot({ path: `${SHOTS}/channels-${theme}.png` });
  }
});

it('the sync section, light and dark', async () => {
  const now = Date.now();
  for (const theme of ['light', 'dark'] as const) {
    await seedStorage(ext, { ...ordinaryDay(now), appearance: { language: 'browser', theme, sort: 'urgency', groupBySite: false } });
    await page.setViewportSize({ width: 1000, height: 800 });
    await page.goto(ext.url('options.html'));
    await page.locator('[data-sync-status]').waitFor();
    await page.locator('#sync').screenshot({ path: `${SHOTS}/sync-${theme}.png` });
  }
});
