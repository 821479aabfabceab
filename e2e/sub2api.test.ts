import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { badge, type Extension, importBackup, launchExtension, openPopupSettled, popupRows, rowWindows } from './fixtures';

// Sub2API keys (shared/spec/relays.md §2) imported from a version 3 backup (automation.md §3.4),
// read from the imitation on 127.0.0.1, and seen through the popup's contract (§4, §4.1) and the badge (§5).
const nowS = Math.floor(Date.now() / 1000);
const HOUR = 3600;
/** RFC 3339 with the server's offset, as Sub2API sends times (§2.2). */
const rfc = (s: number) => `${new Date((s + 8 * HOUR) * 1000).toISOString().slice(0, 19)}+08:00`;
const reset5h = nowS + 2 * HOUR + 13 * 60;
const expiry = nowS + 30 * 86_400;
const weekStart = nowS - 3 * 86_400;

const quotaKey = (fiveHour: string) =>
  `{"days_until_expiry":30,"expires_at":"${rfc(expiry)}","isValid":true,"mode":"quota_limited",` +
  `"quota":{"limit":50,"remaining":37.5,"unit":"USD","used":12.5},"rate_limits":[${fiveHour},` +
  `{"limit":20,"remaining":20,"used":0,"window":"1d","window_start":null}],"remaining":37.5,"status":"active","unit":"USD"}`;

const accounts: Record<string, string> = {
  'sk-s2a-capped': quotaKey(
    `{"limit":5,"remaining":0,"reset_at":"${rfc(reset5h)}","used":5.02,"window":"5h","window_start":"${rfc(reset5h - 5 * HOUR)}"}`,
  ),
  'sk-s2a-plan':
    '{"isValid":true,"mode":"unrestricted","planName":"Claude Pro","remaining":12.5,' +
    `"subscription":{"daily_limit_usd":30,"daily_usage_usd":10,"expires_at":"${rfc(expiry)}","monthly_limit_usd":null,"monthly_usage_usd":0,` +
    `"weekly_limit_usd":100,"weekly_usage_usd":87.5,"weekly_window_start":"${rfc(weekStart)}"},"unit":"USD"}`,
  'sk-s2a-team':
    '{"isValid":true,"mode":"unrestricted","planName":"Team","remaining":-1,"subscription":{"daily_limit_usd":null,"daily_usage_usd":3,' +
    `"expires_at":"${rfc(expiry)}","monthly_limit_usd":null,"monthly_usage_usd":40,"weekly_limit_usd":null,"weekly_usage_usd":12},"unit":"USD"}`,
  'sk-s2a-wallet': '{"balance":3.2,"isValid":true,"mode":"unrestricted","planName":"钱包余额","remaining":3.2,"unit":"USD"}',
};

let ext: Extension;
let gateway: FakeGateway;

beforeAll(async () => {
  gateway = await startGateway({ flavor: 'sub2api', provider: { accounts }, now: Date.now });
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await gateway?.close();
});

it('reads Sub2API keys from a version 3 backup: windows, a capped key’s reset, a plan, an unlimited one, a wallet, the badge', async () => {
  const page = await ext.context.newPage();
  const labels = { 'sk-s2a-capped': 'relay quota', 'sk-s2a-plan': 'pro plan', 'sk-s2a-team': 'team plan', 'sk-s2a-wallet': 'wallet' };
  await importBackup(page, ext, {
    format: 'quota-glance',
    version: 3,
    exportedAt: '2026-12-07T03:00:00.000Z',
    keys: Object.entries(labels).map(([secret, label]) => ({ label, baseUrl: gateway.url, kind: 'sub2api', secret })),
  });
  await page.getByText('Imported 4 keys').waitFor();
  const popup = await openPopupSettled(ext, 4);

  const rows = await popupRows(popup);
  expect(rows.map((r) => [r.label, r.state, r.remaining, r.unit, r.unlimited, r.expiresAt, r.error])).toEqual([
    ['relay quota', 'capped', '37.5', 'USD', 'false', String(expiry), ''],
    ['pro plan', 'low', '12.5', 'USD', 'false', String(expiry), ''],
    ['wallet', 'ok', '3.2', 'USD', 'false', '', ''],
    ['team plan', 'ok', '', 'USD', 'true', String(expiry), ''],
  ]);
  const row = (label: string) => popup.locator(`[data-key-row][data-label="${label}"]`);
  expect(await row('relay quota').getAttribute('data-resets-at')).toBe(String(reset5h));
  expect(await row('pro plan').getAttribute('data-resets-at')).toBe('');

  const windowsOf = (label: string) => rowWindows(popup, label);
  expect(await windowsOf('relay quota')).toEqual([
    ['5h', 'USD', '5', '5', '0', String(reset5h)],
    ['day', 'USD', '0', '20', '20', ''],
    ['total', 'USD', '12.5', '50', '37.5', ''],
  ]);
  expect(await windowsOf('pro plan')).toEqual([
    ['day', 'USD', '10', '30', '20', ''],
    ['week', 'USD', '87.5', '100', '12.5', String(weekStart + 7 * 86_400)],
  ]);
  expect(await windowsOf('team plan')).toEqual([]);
  expect(await windowsOf('wallet')).toEqual([]);

  // The capped key is the most severe: amber, with the time to its reset (2 h 13 min → 3h).
  await expect.poll(() => badge(ext).then((b) => b.text), { timeout: 15_000 }).toBe('3h');
  expect((await badge(ext)).color).toEqual([180, 83, 9, 255]);

  // Each key went to GET /v1/usage with its own Bearer key, never in the query.
  const asked = gateway.requests.filter((r) => r.path.startsWith('/v1/usage'));
  expect(asked.length).toBeGreaterThanOrEqual(4);
  expect(asked.every((r) => r.method === 'GET' && r.path === '/v1/usage' && /^Bearer sk-s2a-/.test(String(r.headers.authorization)))).toBe(
    true,
  );
  await popup.close();
  await page.close();
});
