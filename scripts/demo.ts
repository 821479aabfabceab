/**
 * `npm run demo` (shared/spec/automation.md §1): builds the e2e build, starts the fake
 * gateways with a handful of demo keys, opens Chromium with the extension loaded and
 * imports those keys through the options page's Import input, as a user would.
 *
 * Without a display (no DISPLAY or WAYLAND_DISPLAY) it runs headless, writes
 * `.output/demo/popup.png` (400×600) and `.output/demo/options.png`, prints their
 * paths and exits 0. With a display it opens a normal 1280×900 window on the options page,
 * says where the toolbar icon is, and stays open until the browser is closed.
 *
 * Environment: CHROMIUM_PATH (default /usr/bin/chromium); QG_DEMO_SKIP_BUILD=1 to use
 * an e2e build that is already there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { errorText } from '../lib/error-text.ts';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway.ts';

const EXTENSION_DIR = resolve('.output/chrome-mv3-e2e');
const OUT_DIR = resolve('.output/demo');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

const key = (seed: string) => seed.repeat(48).slice(0, 48);
const now = Math.floor(Date.now() / 1000);
const DAY = 86400;
const ACCESS_TOKEN = 'demo-access-token-0123456789';
const DEEPSEEK_KEY = 'sk-demo0deepseek0000000000000000';

function build(): void {
  if (process.env.QG_DEMO_SKIP_BUILD === '1' && existsSync(join(EXTENSION_DIR, 'manifest.json'))) return;
  console.log('Building the extension (npm run build:e2e)…');
  const result = spawnSync('npm', ['run', 'build:e2e'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the build failed');
}

async function startDemoGateways(): Promise<{ gateways: FakeGateway[]; backup: { keys: unknown[] } }> {
  const relay = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    tokens: [
      { key: key('healthy'), name: 'laptop', remain: 4_250_000, used: 750_000, expiresAt: now + 30 * DAY },
      { key: key('low'), name: 'ci', remain: 200_000, used: 4_800_000 },
      { key: key('expired'), name: 'old', remain: 1_000_000, used: 0, expiresAt: now - DAY },
    ],
    users: [{ id: 1, accessToken: ACCESS_TOKEN, quota: 2_500_000, usedQuota: 500_000, username: 'demo' }],
    accounts: {
      tokens: [
        { id: 11, userId: 1, key: key('acctlaptop'), name: 'laptop-key', remain: 4_500_000, used: 500_000 },
        { id: 12, userId: 1, key: key('acctci'), name: 'ci-runner', remain: 150_000, used: 2_850_000 },
        { id: 13, userId: 1, key: key('acctold'), name: 'last-year', remain: 800_000, used: 200_000, expiresAt: now - 3 * DAY },
        { id: 14, userId: 1, key: key('acctoff'), name: 'paused', remain: 1_000_000, used: 0, status: 2 },
        { id: 15, userId: 1, key: key('acctfree'), name: 'team (unlimited)', remain: -90_000, used: 90_000, unlimited: true },
      ],
      subscriptions: [
        {
          id: 311,
          userId: 1,
          planId: 4,
          total: 12_500_000,
          used: 3_100_000,
          startTime: now - 10 * DAY,
          endTime: now + 20 * DAY,
          nextReset: now + 5 * 3600,
          lastReset: now - 19 * 3600,
        },
      ],
      plans: [{ id: 4, title: 'Pro Monthly' }],
    },
  });
  const r9s = await startGateway({ now: Date.now, flavor: 'r9s', r9s: [{ key: 'sk_mg_0123456789abcdef', balance: 25.5, coupon: 3 }] });
  const deepseek = await startGateway({
    now: Date.now,
    flavor: 'deepseek',
    provider: {
      accounts: {
        [DEEPSEEK_KEY]: {
          is_available: true,
          balance_infos: [{ currency: 'CNY', total_balance: '42.70', granted_balance: '10.00', topped_up_balance: '32.70' }],
        },
      },
    },
  });
  const backup = {
    format: 'quota-glance',
    version: 2,
    exportedAt: new Date().toISOString(),
    keys: [
      { label: 'Work laptop', baseUrl: relay.url, kind: 'newapi-token', secret: `sk-${key('healthy')}` },
      { label: 'CI pipeline', baseUrl: relay.url, kind: 'auto', secret: `sk-${key('low')}` },
      { label: 'Old key', baseUrl: relay.url, kind: 'newapi-token', secret: `sk-${key('expired')}` },
      { label: 'My relay account', baseUrl: relay.url, kind: 'newapi-user', secret: ACCESS_TOKEN, userId: 1, watchTokens: true },
      { label: 'r9s team', baseUrl: r9s.url, kind: 'r9s-manager', secret: 'sk_mg_0123456789abcdef' },
      { label: 'DeepSeek direct', baseUrl: deepseek.url, kind: 'deepseek', secret: DEEPSEEK_KEY },
    ],
  };
  return { gateways: [relay, r9s, deepseek], backup };
}

async function main(): Promise<void> {
  build();
  const { gateways, backup } = await startDemoGateways();
  const profile = mkdtempSync(join(tmpdir(), 'qg-demo-'));
  const stop = async () => {
    await Promise.all(gateways.map((g) => g.close()));
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless,
      // With a display: a normal window that fits the options page, sized by the window, not an emulated viewport.
      viewport: headless ? { width: 1000, height: 800 } : null,
      args: [
        ...(headless ? [] : ['--window-size=1280,900']),
        `--disable-extensions-except=${EXTENSION_DIR}`,
        `--load-extension=${EXTENSION_DIR}`,
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const url = (path: string) => `chrome-extension://${new URL(worker.url()).host}/${path}`;

    // Import through the options page, as a user would.
    const file = join(profile, 'demo-backup.json');
    writeFileSync(file, JSON.stringify(backup, null, 2));
    const options = context.pages()[0] ?? (await context.newPage());
    await options.goto(url('options.html'));
    await options.getByLabel('Import', { exact: true }).setInputFiles(file);
    await options.locator('.import-export [role="status"], .import-export [role="alert"]').first().waitFor();

    if (!headless) {
      // The popup is the toolbar's: opened as a tab it would look like a page, which it is not.
      console.log(
        'Quota Glance is open with the demo keys on its options page. Its popup: the puzzle-piece (Extensions) icon right of the address bar, then Quota Glance (pin it to keep it on the toolbar). Close the browser to stop the demo.',
      );
      await new Promise<void>((done) => context.on('close', () => done()));
      return;
    }
    const popup = await context.newPage();
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.goto(url('popup.html'));
    await popup.waitForFunction(
      (n) => {
        const rows = [...document.querySelectorAll('[data-key-row]')];
        return (
          rows.length >= n && rows.every((r) => r.getAttribute('data-state') !== 'pending') && !document.querySelector('[data-refreshing]')
        );
      },
      backup.keys.length,
      { timeout: 60_000 },
    );

    {
      mkdirSync(OUT_DIR, { recursive: true });
      const popupPng = join(OUT_DIR, 'popup.png');
      const optionsPng = join(OUT_DIR, 'options.png');
      await popup.screenshot({ path: popupPng });
      await options.reload();
      await options.getByText('Work laptop').first().waitFor();
      await options.screenshot({ path: optionsPng, fullPage: true });
      await context.close();
      console.log(popupPng);
      console.log(optionsPng);
    }
  } finally {
    await stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`demo failed: ${errorText(error)}`);
    process.exit(1);
  },
);
