import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeClaudeOptions, relayStats } from '../tests/fake-gateway/claude';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { answer } from '../tests/fake-gateway/providers';
import { badge, type Extension, importBackup, launchExtension, openPopupSettled, popupRows, rowWindows } from './fixtures';

// claude-relay-service keys (relays.md §3) through an imported version 3 backup (automation.md §3.4),
// read by the extension from the imitation on 127.0.0.1, and seen through the popup contract (§4, §4.1, §5).
// The browser's clock is real: times in the answers are set from it.
const now = Date.now();
const nowS = Math.floor(now / 1000);
const windowEnd = nowS + 2 * 3600 + 30 * 60;
const expires = nowS + 60 * 86400;
const cr = (seed: string) => `cr_${seed.repeat(64).slice(0, 64)}`;
const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const running = {
  data: { expiresAt: new Date(expires * 1000).toISOString() },
  limits: { windowStartTime: (windowEnd - 5 * 3600) * 1000, windowEndTime: windowEnd * 1000, windowRemainingSeconds: windowEnd - nowS },
};

const claude: FakeClaudeOptions = {
  relay: {
    // Scenario 1's figures.
    [cr('1')]: { answer: relayStats({ ...running.data, id: id(1) }, running.limits) },
    // Scenario 2: the 5-hour window is full.
    [cr('2')]: { answer: relayStats({ ...running.data, id: id(2) }, { ...running.limits, currentWindowCost: 10.4 }) },
    // Scenario 5: no limit at all.
    [cr('5')]: {
      answer: relayStats(
        { id: id(5), expiresAt: '' },
        { rateLimitWindow: 0, rateLimitCost: 0, dailyCostLimit: 0, totalCostLimit: 0, weeklyOpusCostLimit: 0, windowEndTime: null },
      ),
    },
    // Scenario 8.
    [cr('8')]: { answer: answer(401, { error: 'Invalid API key', message: 'API Key "old" 已过期' }) },
  },
  received: [],
};

let gateway: FakeGateway;
let ext: Extension;
let popup: Page;

beforeAll(async () => {
  gateway = await startGateway({ flavor: 'claude-relay', claude, now: Date.now });
  ext = await launchExtension();
  const page = await ext.context.newPage();
  const keys = [
    ['laptop', cr('1'), 'claude-relay'],
    ['five hours full', cr('2'), 'auto'],
    ['open', cr('5'), 'claude-relay'],
  ].map(([label, secret, kind], i) => ({ id: `k${i}`, label, baseUrl: gateway.url, kind, secret, updatedAt: now }));
  await importBackup(page, ext, { format: 'quota-glance', version: 3, exportedAt: new Date(now).toISOString(), keys });
  await page.close();
  popup = await openPopupSettled(ext, keys.length);
}, 60_000);

afterAll(async () => {
  await ext?.close();
  await gateway?.close();
});

const windowsOf = (label: string) => rowWindows(popup, label);
const row = (label: string) => popup.locator(`[data-key-row][data-label="${label}"]`);

describe('claude-relay keys in Chromium (relays.md §8.2, automation.md §4.1)', () => {
  it('each row: state, its total as the remaining, expiry and windows', async () => {
    const rows = await popupRows(popup);
    expect(rows.map((r) => [r.label, r.state, r.remaining, r.unit, r.unlimited, r.expiresAt])).toEqual([
      ['five hours full', 'capped', '58.75', 'USD', 'false', String(expires)],
      ['laptop', 'ok', '58.75', 'USD', 'false', String(expires)],
      ['open', 'ok', '', 'USD', 'true', ''],
    ]);
    expect(await windowsOf('laptop')).toEqual([
      ['5h', 'USD', '3.5', '10', '6.5', String(windowEnd)],
      ['day', 'USD', '6.2', '20', '13.8', ''],
      ['week', 'USD', '12', '50', '38', ''],
      ['total', 'USD', '41.25', '100', '58.75', ''],
    ]);
    expect((await windowsOf('five hours full'))[0]).toEqual(['5h', 'USD', '10', '10', '0', String(windowEnd)]);
    expect(await windowsOf('open')).toEqual([]);
  });

  it('a capped key says when it works again, and the badge is amber with the time to it', async () => {
    expect(await row('five hours full').getAttribute('data-resets-at')).toBe(String(windowEnd));
    expect(await row('laptop').getAttribute('data-resets-at')).toBe('');
    await expect.poll(() => badge(ext).then((b) => b.text), { timeout: 15_000 }).toBe('3h');
    expect((await badge(ext)).color).toEqual([180, 83, 9, 255]);
  });

  it('only the stats route was asked, with the key in a POST body (never the gateway routes, §3.1)', () => {
    expect(new Set(gateway.requests.map((r) => `${r.method} ${r.path}`))).toEqual(new Set(['POST /apiStats/api/user-stats']));
    expect(claude.received?.some((r) => r.body === JSON.stringify({ apiKey: cr('2') }))).toBe(true);
  });

  it('an expired key (401 "已过期") is expired, and the badge turns red', async () => {
    const page = await ext.context.newPage();
    const keys = [{ id: 'k9', label: 'old', baseUrl: gateway.url, kind: 'claude-relay', secret: cr('8'), updatedAt: now }];
    await importBackup(page, ext, { format: 'quota-glance', version: 3, exportedAt: new Date(now).toISOString(), keys });
    await page.close();
    const after = await openPopupSettled(ext, 4);
    expect((await popupRows(after)).map((r) => [r.label, r.state])[0]).toEqual(['old', 'expired']);
    await expect.poll(() => badge(ext).then((b) => b.text), { timeout: 15_000 }).toBe('!');
    expect((await badge(ext)).color).toEqual([198, 40, 40, 255]);
  });
});
