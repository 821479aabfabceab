import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubQuota } from '../tests/fake-gateway/claude';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { badge, type Extension, importBackup, launchExtension, openPopupSettled, popupRows, rowWindows } from './fixtures';

// Claude Code Hub keys (relays.md §4) through an imported version 3 backup (automation.md §3.4), read by
// the extension from two imitations on 127.0.0.1 (a current hub, and one from before the v1 API), and
// seen through the popup contract (§4, §4.1, §5). The browser's clock is real: times are set from it.
const now = Date.now();
const expires = Math.floor(now / 1000) + 60 * 86400;
const expiresIso = new Date(expires * 1000).toISOString();
const sk = (seed: string) => `sk-${seed.repeat(32).slice(0, 32)}`;

let hub: FakeGateway;
let oldHub: FakeGateway;
let ext: Extension;
let popup: Page;

beforeAll(async () => {
  hub = await startGateway({
    flavor: 'claude-code-hub',
    now: Date.now,
    claude: {
      hub: {
        // Scenario 1.
        [sk('1')]: { quota: hubQuota({ expiresAt: expiresIso }) },
        // Scenario 2: the day is full; its reset follows a server timezone the hub does not send.
        [sk('2')]: { quota: hubQuota({ expiresAt: expiresIso, keyCurrentDailyUsd: 20 }) },
      },
    },
  });
  // Scenario 6: before the v1 API, the legacy action answers.
  oldHub = await startGateway({
    flavor: 'claude-code-hub',
    now: Date.now,
    claude: { noV1: true, hub: { [sk('6')]: { quota: hubQuota({ expiresAt: null, keyLimitMonthlyUsd: null, keyLimitTotalUsd: 1000 }) } } },
  });
  ext = await launchExtension();
  const page = await ext.context.newPage();
  const keys = [
    ['laptop', hub.url, sk('1')],
    ['day full', hub.url, sk('2')],
    ['old hub', oldHub.url, sk('6')],
  ].map(([label, baseUrl, secret], i) => ({ id: `k${i}`, label, baseUrl, kind: 'claude-code-hub', secret, updatedAt: now }));
  await importBackup(page, ext, { format: 'quota-glance', version: 3, exportedAt: new Date(now).toISOString(), keys });
  await page.close();
  popup = await openPopupSettled(ext, keys.length);
}, 60_000);

afterAll(async () => {
  await ext?.close();
  await hub?.close();
  await oldHub?.close();
});

const windowsOf = (label: string) => rowWindows(popup, label);

describe('Claude Code Hub keys in Chromium (relays.md §8.3, automation.md §4.1)', () => {
  it('each row: state, remaining, expiry and windows, on the v1 route and the legacy one', async () => {
    const rows = await popupRows(popup);
    expect(rows.map((r) => [r.label, r.state, r.remaining, r.unit, r.unlimited, r.expiresAt])).toEqual([
      // No total: the tightest window stands for the row (automation.md §4.1).
      ['day full', 'capped', '0', 'USD', 'false', String(expires)],
      // A total is the key's own quota: 520 of 1000 left.
      ['old hub', 'ok', '520', 'USD', 'false', ''],
      ['laptop', 'ok', '7.5', 'USD', 'false', String(expires)],
    ]);
    expect(await windowsOf('laptop')).toEqual([
      ['5h', 'USD', '2.5', '10', '7.5', ''],
      ['day', 'USD', '4', '20', '16', ''],
      ['month', 'USD', '50', '200', '150', ''],
    ]);
    expect(await windowsOf('day full')).toContainEqual(['day', 'USD', '20', '20', '0', '']);
    expect(await windowsOf('old hub')).toContainEqual(['total', 'USD', '480', '1000', '520', '']);
  });

  it('a capped key whose reset is unknown has an empty data-resets-at, and an amber badge without a time', async () => {
    expect(await popup.locator('[data-key-row][data-label="day full"]').getAttribute('data-resets-at')).toBe('');
    await expect.poll(() => badge(ext).then((b) => b.text), { timeout: 15_000 }).toBe('!');
    const shown = await badge(ext);
    expect(shown.color).toEqual([180, 83, 9, 255]);
    expect(shown.title).toMatch(/• day full: Window full/);
  });

  it('asked the v1 route, and the legacy action only where v1 is missing', () => {
    expect(hub.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).not.toContain('POST /api/actions/my-usage/getMyQuota 200');
    expect(hub.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toContain('GET /api/v1/me/quota 200');
    expect(oldHub.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /api/v1/me/quota 404',
      'POST /api/actions/my-usage/getMyQuota 200',
    ]);
  });
});
