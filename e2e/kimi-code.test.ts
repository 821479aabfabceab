import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { badge, type Extension, importBackup, launchExtension, openPopupSettled, popupRows, rowAttribute, rowWindows } from './fixtures';

/**
 * Kimi Code plan keys (shared/spec/relays.md §6) from a version 3 backup (automation.md §3.4),
 * read in Chromium from the imitation on 127.0.0.1, and seen through the contract (§4, §4.1, §5).
 * The answers have the §6 examples' shapes (Kimi's six fraction digits too), with resets ahead
 * of the real clock.
 */
const nowS = Math.floor(Date.now() / 1000);
const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d+Z$/, '.757941Z');
const reset5h = nowS + 2 * 3600 + 30 * 60;
const resetWeek = nowS + 4 * 86_400;
const resetMonth = nowS + 25 * 86_400;

const counts = (limit: number, used: number, reset: number) => ({
  limit: String(limit),
  used: String(used),
  remaining: String(limit - used),
  resetTime: iso(reset),
});
/** The first §6 shape: the weekly `usage` and the 300-minute `limits[]` entry. */
const firstShape = (weekUsed: number, fiveHourUsed: number) => ({
  user: { userId: 'u1', region: 'REGION_OVERSEA', membership: { level: 'LEVEL_INTERMEDIATE' } },
  usage: counts(100, weekUsed, resetWeek),
  limits: [{ window: { duration: 300, timeUnit: 'TIME_UNIT_MINUTE' }, detail: counts(100, fiveHourUsed, reset5h) }],
});
/** The second §6 shape: named pools beside the counted 5-hour limit. */
const secondShape = {
  limits: [{ window: { duration: 300, timeUnit: 'TIME_UNIT_MINUTE' }, detail: counts(100, 2, reset5h) }],
  booster_wallet: { status: 'STATUS_DISABLED', allowTopup: true },
  usages: {
    limit_5h: { used_ratio: 0.02, reset_time: iso(reset5h) },
    limit_month_total: { used_ratio: 0.25, reset_time: iso(resetMonth) },
    limit_month_code: { used_ratio: 0.5, reset_time: iso(resetMonth) },
  },
};

let ext: Extension;
let site: FakeGateway;
let popup: Page;

beforeAll(async () => {
  site = await startGateway({
    flavor: 'kimi-code',
    now: Date.now,
    provider: {
      accounts: {
        'sk-kimi-full': firstShape(26, 100),
        'sk-kimi-weekly': firstShape(90, 15),
        'sk-kimi-pools': secondShape,
      },
    },
  });
  ext = await launchExtension();
  const page = await ext.context.newPage();
  await importBackup(page, ext, {
    format: 'quota-glance',
    version: 3,
    exportedAt: '2026-12-07T03:00:00.000Z',
    keys: [
      { label: 'Kimi full', baseUrl: site.url, kind: 'kimi-code', secret: 'sk-kimi-full' },
      { label: 'Kimi weekly', baseUrl: site.url, kind: 'kimi-code', secret: 'sk-kimi-weekly' },
      // relays.md §7.1: `auto` knows an `sk-kimi-` key by its prefix, wherever it is.
      { label: 'Kimi pools', baseUrl: site.url, kind: 'auto', secret: 'sk-kimi-pools' },
    ],
  });
  await page.getByText('Imported 3 keys').waitFor();
  await page.close();
  popup = await openPopupSettled(ext, 3);
});

afterAll(async () => {
  await ext?.close();
  await site?.close();
});

const windowsOf = (label: string) => rowWindows(popup, label);
const rowAttributeOf = (label: string, name: string) => rowAttribute(popup, label, name);

it('reads Kimi Code keys into rows with their windows: capped, low and ok, worst first', async () => {
  expect((await popupRows(popup)).map((r) => [r.label, r.state, r.remaining, r.unit, r.unlimited, r.expiresAt, r.error])).toEqual([
    ['Kimi full', 'capped', '0', 'requests', 'false', '', ''],
    // 10 of 100 left this week: under the 20 % a window is low at.
    ['Kimi weekly', 'low', '10', 'requests', 'false', '', ''],
    ['Kimi pools', 'ok', '50', 'percent', 'false', '', ''],
  ]);
  expect(await rowAttributeOf('Kimi full', 'data-resets-at')).toBe(String(reset5h));
  expect(await rowAttributeOf('Kimi weekly', 'data-resets-at')).toBe('');
  expect(await windowsOf('Kimi full')).toEqual([
    ['week', 'requests', '26', '100', '74', String(resetWeek)],
    ['5h', 'requests', '100', '100', '0', String(reset5h)],
  ]);
  // The 5-hour pool repeats the counted limit and is not shown twice (relays.md §6).
  expect(await windowsOf('Kimi pools')).toEqual([
    ['5h', 'requests', '2', '100', '98', String(reset5h)],
    ['month', 'percent', '25', '100', '75', String(resetMonth)],
    ['month-code', 'percent', '50', '100', '50', String(resetMonth)],
  ]);
  // Each key went, as a Bearer token, to the usage route only.
  expect(new Set(site.requests.map((r) => `${r.method} ${r.path}`))).toEqual(new Set(['GET /coding/v1/usages']));
  expect(site.requests.map((r) => r.headers.authorization)).toContain('Bearer sk-kimi-pools');
});

it('the badge is amber with the time to the capped key’s reset', async () => {
  await expect.poll(() => badge(ext).then((b) => b.text), { timeout: 15_000 }).toBe('3h');
  expect((await badge(ext)).color).toEqual([180, 83, 9, 255]);
});
