import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearerOnly } from '../tests/fake-gateway/coding-plans';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { badge, type Extension, importBackup, launchExtension, openPopupSettled, popupRows, rowAttribute, rowWindows } from './fixtures';

/**
 * GLM Coding Plan keys (shared/spec/relays.md §5) from a version 3 backup (automation.md §3.4),
 * read in Chromium from the imitation on 127.0.0.1, and seen through the contract (§4, §4.1, §5).
 * The answers have the §5 example's shape, with resets ahead of the real clock.
 */
const nowS = Math.floor(Date.now() / 1000);
const reset5h = nowS + 2 * 3600 + 30 * 60;
const resetWeek = nowS + 3 * 86_400;
const resetMonth = nowS + 20 * 86_400;

const limits = (fiveHourPercent: number) => ({
  code: 200,
  msg: 'success',
  success: true,
  data: {
    level: 'pro',
    limits: [
      { type: 'TOKENS_LIMIT', unit: 3, number: 5, percentage: fiveHourPercent, nextResetTime: reset5h * 1000 },
      { type: 'TOKENS_LIMIT', unit: 6, number: 1, percentage: 41, nextResetTime: resetWeek * 1000 },
      {
        type: 'TIME_LIMIT',
        unit: 5,
        number: 1,
        usage: 1000,
        currentValue: 120,
        remaining: 880,
        percentage: 12,
        nextResetTime: resetMonth * 1000,
      },
    ],
  },
});

let ext: Extension;
let site: FakeGateway;
let popup: Page;

beforeAll(async () => {
  site = await startGateway({
    flavor: 'glm-coding',
    now: Date.now,
    provider: {
      accounts: {
        'glm-ok.c0ffee': limits(22),
        'glm-full.c0ffee': limits(100),
        // relays.md §8.4 scenario 7: refused raw, taken with `Bearer `.
        'glm-bearer.c0ffee': bearerOnly(limits(30)),
        'glm-noplan.c0ffee': { code: 500, msg: 'no coding plan', success: false },
      },
    },
  });
  ext = await launchExtension();
  const page = await ext.context.newPage();
  const key = (label: string, secret: string) => ({ label, baseUrl: site.url, kind: 'glm-coding', secret });
  await importBackup(page, ext, {
    format: 'quota-glance',
    version: 3,
    exportedAt: '2026-12-07T03:00:00.000Z',
    keys: [
      key('GLM pro', 'glm-ok.c0ffee'),
      key('GLM full', 'glm-full.c0ffee'),
      key('GLM bearer', 'glm-bearer.c0ffee'),
      key('GLM no plan', 'glm-noplan.c0ffee'),
    ],
  });
  await page.getByText('Imported 4 keys').waitFor();
  await page.close();
  popup = await openPopupSettled(ext, 4);
});

afterAll(async () => {
  await ext?.close();
  await site?.close();
});

const windowsOf = (label: string) => rowWindows(popup, label);
const rowAttributeOf = (label: string, name: string) => rowAttribute(popup, label, name);

it('reads GLM keys into rows with their windows: a full 5-hour window caps the key until its reset', async () => {
  expect((await popupRows(popup)).map((r) => [r.label, r.state, r.remaining, r.unit, r.unlimited, r.expiresAt, r.error])).toEqual([
    ['GLM full', 'capped', '0', 'percent', 'false', '', ''],
    ['GLM no plan', 'error', '', '', 'false', '', 'not-supported'],
    // No balance of its own: the tightest window (the week, 59 % left) stands for the key.
    ['GLM bearer', 'ok', '59', 'percent', 'false', '', ''],
    ['GLM pro', 'ok', '59', 'percent', 'false', '', ''],
  ]);
  expect(await rowAttributeOf('GLM full', 'data-resets-at')).toBe(String(reset5h));
  expect(await rowAttributeOf('GLM pro', 'data-resets-at')).toBe('');
  expect(await windowsOf('GLM pro')).toEqual([
    ['5h', 'percent', '22', '100', '78', String(reset5h)],
    ['week', 'percent', '41', '100', '59', String(resetWeek)],
    ['month', 'requests', '120', '1000', '880', String(resetMonth)],
  ]);
  expect((await windowsOf('GLM full'))[0]).toEqual(['5h', 'percent', '100', '100', '0', String(reset5h)]);
  // The platform got each key raw (relays.md §5), and `Bearer ` only after refusing it raw.
  const sent = site.requests.map((r) => r.headers.authorization);
  expect(sent).toContain('glm-ok.c0ffee');
  expect(sent).not.toContain('Bearer glm-ok.c0ffee');
  expect(sent.filter((a) => a?.includes('glm-bearer'))).toEqual(['glm-bearer.c0ffee', 'Bearer glm-bearer.c0ffee']);
});

it('the badge is amber with the time to the capped key’s reset', async () => {
  await expect.poll(() => badge(ext).then((b) => b.text), { timeout: 15_000 }).toBe('3h');
  expect((await badge(ext)).color).toEqual([180, 83, 9, 255]);
});
