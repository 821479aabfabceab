import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyConfig, KeyStatus, Reading } from '../lib/model';
import type { QuotaWindow } from '../lib/windows';
import { badge, type Extension, launchExtension, popupRows } from './fixtures';
import { seedStorage } from './ui-helpers';

/**
 * Quota windows through the automation contract (automation.md §4, §4.1, §5) in Chromium.
 * No kind reads windows yet (the relay readers come next), so statuses with windows are
 * seeded in storage as the background stores them (lib/storage/layout.ts), and the popup
 * and the badge are read as a person would see them.
 */

const HOUR = 3600;
const now = Date.now();
const nowS = Math.floor(now / 1000);
const reset5h = nowS + 2 * HOUR + 13 * 60;
const resetWeek = nowS + 4 * 86_400;

const win = (fields: Partial<QuotaWindow>): QuotaWindow => ({
  name: '5h',
  scope: 'key',
  unit: 'USD',
  limit: 5,
  used: 5,
  remaining: 0,
  percentUsed: 100,
  resetsAt: reset5h,
  resets: true,
  rolling: false,
  ...fields,
});
const reading = (fields: Partial<Reading>): Reading => ({
  kind: 'newapi-token',
  scope: 'key',
  unit: { code: 'USD' },
  unlimited: false,
  remaining: 8,
  granted: 10,
  used: 2,
  expiresAt: null,
  fetchedAt: now - 3 * 60_000,
  ...fields,
});
const key = (id: string, label: string): KeyConfig => ({
  id,
  label,
  baseUrl: 'https://relay.example.com',
  kind: 'newapi-token',
  secret: `sk-${id.padStart(48, 'x')}`,
  createdAt: now,
  updatedAt: now,
});
const status = (r: Reading): KeyStatus => ({ reading: r, error: null, attemptedAt: now - 60_000, failures: 0 });

const keys = [key('k1', 'CI key'), key('k2', 'GLM plan'), key('k3', 'Laptop'), key('k4', 'Weekly relay with a rather long name for a row')];
const statuses: Record<string, KeyStatus> = {
  // A balance and two windows: the 5-hour one is full.
  k1: status(
    reading({ windows: [win({}), win({ name: 'week', limit: 50, used: 20, remaining: 30, percentUsed: 40, resetsAt: resetWeek })] }),
  ),
  // Percent windows only, no balance of its own: the tightest window stands for it.
  k2: status(
    reading({
      remaining: null,
      granted: null,
      used: null,
      windows: [
        win({ name: '5h', unit: 'percent', limit: 100, used: 30, remaining: 70, percentUsed: 30, resetsAt: nowS + HOUR }),
        win({ name: 'month', unit: 'percent', limit: 100, used: 85, remaining: 15, percentUsed: 85, resetsAt: null }),
      ],
    }),
  ),
  k3: status(reading({})),
  // Full, but its reset has passed: no longer capped.
  k4: status(reading({ windows: [win({ resetsAt: nowS - 60 })] })),
};

let ext: Extension;
let popup: Page;

beforeAll(async () => {
  ext = await launchExtension();
  await seedStorage(ext, { keys, statuses });
  popup = await ext.context.newPage();
  await popup.setViewportSize({ width: 400, height: 600 });
  await popup.goto(ext.url('popup.html'));
  await popup.waitForFunction((n) => document.querySelectorAll('[data-key-row]').length === n, keys.length);
});

afterAll(async () => {
  await ext?.close();
});

const windowsOf = (label: string) =>
  popup.locator(`[data-key-row][data-label="${label}"] [data-window]`).evaluateAll((elements) =>
    elements.map((w) => ({
      window: w.getAttribute('data-window'),
      unit: w.getAttribute('data-window-unit'),
      used: w.getAttribute('data-used'),
      limit: w.getAttribute('data-limit'),
      remaining: w.getAttribute('data-remaining'),
      resetsAt: w.getAttribute('data-resets-at'),
      shown: (w as HTMLElement).offsetParent !== null,
    })),
  );
const rowAttribute = (label: string, name: string) => popup.locator(`[data-key-row][data-label="${label}"]`).getAttribute(name);

describe('quota windows in the popup and on the badge (automation.md §4.1, §5)', () => {
  it('a capped key: its state, when it works again, its own balance and each window', async () => {
    const rows = await popupRows(popup);
    // Worst first: capped before low before ok.
    expect(rows.map((r) => `${r.label}=${r.state}`)).toEqual([
      'CI key=capped',
      'GLM plan=low',
      'Laptop=ok',
      'Weekly relay with a rather long name for a row=ok',
    ]);
    expect(rows[0]).toMatchObject({ remaining: '8', unit: 'USD', unlimited: 'false' });
    expect(await rowAttribute('CI key', 'data-resets-at')).toBe(String(reset5h));
    expect(await windowsOf('CI key')).toEqual([
      { window: '5h', unit: 'USD', used: '5', limit: '5', remaining: '0', resetsAt: String(reset5h), shown: true },
      { window: 'week', unit: 'USD', used: '20', limit: '50', remaining: '30', resetsAt: String(resetWeek), shown: false },
    ]);
    const glance = popup.locator('[data-key-row][data-label="CI key"] [data-window="5h"]');
    expect(await glance.textContent()).toMatch(/^5-hour: \$0\.00 of \$5\.00 left · resets in 2 hr 1[23] min$/);
    expect(await popup.locator('[data-key-row][data-label="CI key"] .chip').textContent()).toBe('Window full');
  });

  it('a key without a balance of its own gives its tightest window’s remaining and unit; the others give none', async () => {
    expect(await rowAttribute('GLM plan', 'data-remaining')).toBe('15');
    expect(await rowAttribute('GLM plan', 'data-unit')).toBe('percent');
    expect(await rowAttribute('GLM plan', 'data-resets-at')).toBe('');
    expect((await windowsOf('GLM plan')).map((w) => [w.window, w.unit, w.remaining, w.resetsAt])).toEqual([
      ['5h', 'percent', '70', String(nowS + HOUR)],
      ['month', 'percent', '15', ''],
    ]);
    expect(await windowsOf('Laptop')).toEqual([]);
    expect(await rowAttribute('Weekly relay with a rather long name for a row', 'data-resets-at')).toBe('');
  });

  it('every window shows once the row is opened', async () => {
    await popup.locator('[data-key-row][data-label="CI key"] .row-toggle').click();
    expect((await windowsOf('CI key')).map((w) => w.shown)).toEqual([true, true]);
  });

  it('nothing overflows the 400 × 600 popup', async () => {
    const overflow = await popup.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('[data-key-row], [data-window]')].filter((e) => {
        const box = e.getBoundingClientRect();
        return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5);
      });
      return { scroll: document.documentElement.scrollWidth - width, wide: wide.map((e) => e.textContent) };
    });
    expect(overflow).toEqual({ scroll: 0, wide: [] });
  });

  it('the badge is amber with the time to the capped key’s reset, and its tooltip says when it works again', async () => {
    await expect.poll(() => badge(ext).then((b) => b.text), { timeout: 15_000 }).toBe('3h');
    const shown = await badge(ext);
    expect(shown.color).toEqual([180, 83, 9, 255]);
    expect(shown.title).toMatch(/• CI key: Window full, \$8\.00 left, works again \d\d:\d\d/);
  });
});
