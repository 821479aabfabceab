import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { type Extension, importBackup, launchExtension, openPopupSettled, popupRows } from './fixtures';

const key = (seed: string) => seed.repeat(48).slice(0, 48);
const day = 86400;
let ext: Extension;
const gateways: FakeGateway[] = [];

beforeAll(async () => {
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await Promise.all(gateways.map((g) => g.close()));
});

it('shows a realistic mix worst first, with a summary (the README screenshot)', async () => {
  const now = Math.floor(Date.now() / 1000);
  const usd = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    tokens: [
      { key: key('a'), name: 'laptop', remain: 4_250_000, used: 750_000, expiresAt: now + 3 * day + 600 },
      { key: key('b'), remain: 200_000, used: 4_800_000 },
      { key: key('c'), remain: -5, used: 5, unlimited: true },
      { key: key('d'), remain: 0, used: 1_000_000, expiresAt: now + 40 * day },
    ],
  });
  const cny = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    display: { type: 'CNY' },
    tokens: [{ key: key('e'), remain: 30_000_000, used: 10_000_000, expiresAt: now - 2 * day }],
  });
  const r9s = await startGateway({ now: Date.now, flavor: 'r9s', r9s: [{ key: 'sk_mg_0123abcd', balance: 123.45, coupon: 5 }] });
  gateways.push(usd, cny, r9s);
  const page = await ext.context.newPage();
  await importBackup(page, ext, {
    format: 'quota-glance',
    version: 1,
    keys: [
      { label: 'Work laptop', baseUrl: usd.url, kind: 'newapi-token', secret: key('a') },
      { label: 'CI pipeline', baseUrl: usd.url, kind: 'auto', secret: key('b') },
      { label: 'Team (unlimited)', baseUrl: usd.url, kind: 'newapi-token', secret: key('c') },
      { label: 'Side project', baseUrl: usd.url, kind: 'newapi-token', secret: key('d') },
      { label: '中转站 key', baseUrl: cny.url, kind: 'newapi-token', secret: key('e') },
      { label: 'r9s team', baseUrl: r9s.url, kind: 'r9s-manager', secret: 'sk_mg_0123abcd' },
    ],
  });
  const popup = await openPopupSettled(ext, 6);
  expect((await popupRows(popup)).map((r) => r.state)).toEqual(['expired', 'exhausted', 'low', 'ok', 'ok', 'ok']);
  // The README's picture: the popup at its real size, with every key on screen.
  mkdirSync('e2e/artifacts', { recursive: true });
  await popup.setViewportSize({ width: 400, height: 600 });
  // The key expiring soon counts, as on the badge (issue #19, item 1).
  expect(await popup.locator('[data-summary]').innerText()).toBe('4 keys need attention: 1 expired, 1 exhausted, 1 low, 1 expiring soon');
  await popup.screenshot({ path: 'e2e/artifacts/popup.png' });
});
