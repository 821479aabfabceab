import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeGateway, type GatewayOptions, startGateway } from '../tests/fake-gateway/gateway';
import { answer } from '../tests/fake-gateway/providers';
import { type Extension, importBackup, launchExtension, openPopupSettled, popupRows, resetStorage } from './fixtures';

// Provider and custom keys through an imported version-2 backup (shared/spec/automation.md §2–4),
// each provider imitated from shared/spec/providers.md §2–6 on 127.0.0.1.
const now = Math.floor(Date.now() / 1000);
const later = now + 30 * 86400;
const laterIso = new Date(later * 1000).toISOString();

const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';
const sites: Record<string, Omit<GatewayOptions, 'now'>> = {
  openrouter: {
    flavor: 'openrouter',
    provider: {
      accounts: {
        'sk-or-v1-capped': {
          data: {
            limit: 20,
            limit_reset: 'monthly',
            limit_remaining: 12.75,
            usage: 31.4,
            usage_daily: 0.2,
            usage_weekly: 1.1,
            usage_monthly: 7.25,
          },
        },
        'sk-or-v1-open': { data: { limit: null, limit_reset: null, limit_remaining: null, usage: 3, expires_at: laterIso } },
        'sk-or-v1-spent': { data: { limit: 5, limit_remaining: 0, usage: 5 } },
      },
    },
  },
  deepseek: {
    flavor: 'deepseek',
    provider: {
      accounts: {
        'sk-ds-usd': {
          is_available: true,
          balance_infos: [{ currency: 'USD', total_balance: '7.08', granted_balance: '0.00', topped_up_balance: '7.08' }],
        },
        'sk-ds-off': {
          is_available: false,
          balance_infos: [{ currency: 'CNY', total_balance: '0.00', granted_balance: '0.00', topped_up_balance: '0.00' }],
        },
        'sk-ds-html': answer(502, HTML_502, { html: true }),
        'sk-ds-busy': answer(429, null, { retryAfter: 120 }),
      },
    },
  },
  moonshot: {
    flavor: 'moonshot',
    provider: {
      accounts: {
        'sk-ms': { code: 0, data: { available_balance: 18.5, voucher_balance: 15, cash_balance: 3.5 }, scode: '0x0', status: true },
        'sk-ms-usd': { code: 0, data: { available_balance: 4, voucher_balance: 0, cash_balance: 4 }, scode: '0x0', status: true },
      },
    },
  },
  siliconflow: {
    flavor: 'siliconflow',
    provider: {
      accounts: {
        'sk-sf': {
          code: 20000,
          message: 'OK',
          status: true,
          data: { id: '', name: 'demo', balance: '1.20', chargeBalance: '30.00', totalBalance: '31.20', status: 'normal' },
        },
      },
    },
  },
  stepfun: {
    flavor: 'stepfun',
    provider: {
      accounts: { 'sf-step': { object: 'account', type: 'prepaid', balance: 9.4, total_cash_balance: 0, total_voucher_balance: 9.4 } },
    },
  },
  custom: {
    flavor: 'custom',
    provider: {
      path: '/api/balance',
      header: 'X-Api-Key',
      accounts: {
        abc123: { data: { balance: '7.5', total: 10, used: 2.5, unlimited: false, expire_at: later } },
        unl456: { data: { balance: null, unlimited: true, expire_at: 0 } },
        wrong789: { data: { balance: '1', total: 10, used: 9, unlimited: false, expire_at: later } },
      },
    },
  },
};

interface Case {
  label: string;
  site: string;
  kind: string;
  secret: string;
  extra?: Record<string, unknown>;
  want: Partial<Record<'state' | 'remaining' | 'unit' | 'unlimited' | 'expiresAt' | 'error', string>>;
}

const mapping = {
  path: '/api/balance',
  headers: { 'X-Api-Key': '{secret}' },
  remaining: '/data/balance',
  granted: '/data/total',
  used: 'data.used',
  unlimited: '/data/unlimited',
  expiresAt: '/data/expire_at',
};

const cases: Case[] = [
  {
    label: 'router capped',
    site: 'openrouter',
    kind: 'openrouter',
    secret: 'sk-or-v1-capped',
    want: { state: 'ok', remaining: '12.75', unit: 'USD', unlimited: 'false', expiresAt: '', error: '' },
  },
  {
    label: 'router open (auto)',
    site: 'openrouter',
    kind: 'auto',
    secret: 'sk-or-v1-open',
    want: { state: 'ok', remaining: '', unit: 'USD', unlimited: 'true', expiresAt: String(later) },
  },
  { label: 'router spent', site: 'openrouter', kind: 'openrouter', secret: 'sk-or-v1-spent', want: { state: 'exhausted', remaining: '0' } },
  { label: 'router refused', site: 'openrouter', kind: 'openrouter', secret: 'sk-or-v1-nobody', want: { state: 'invalid', error: 'auth' } },
  {
    label: 'deepseek usd',
    site: 'deepseek',
    kind: 'deepseek',
    secret: 'sk-ds-usd',
    want: { state: 'ok', remaining: '7.08', unit: 'USD', unlimited: 'false', expiresAt: '' },
  },
  {
    label: 'deepseek off',
    site: 'deepseek',
    kind: 'deepseek',
    secret: 'sk-ds-off',
    want: { state: 'exhausted', remaining: '0', unit: 'CNY' },
  },
  {
    label: 'deepseek behind 502',
    site: 'deepseek',
    kind: 'deepseek',
    secret: 'sk-ds-html',
    want: { state: 'error', error: 'server', remaining: '' },
  },
  { label: 'deepseek busy', site: 'deepseek', kind: 'deepseek', secret: 'sk-ds-busy', want: { state: 'error', error: 'rate-limited' } },
  {
    label: 'kimi',
    site: 'moonshot',
    kind: 'moonshot',
    secret: 'sk-ms',
    want: { state: 'ok', remaining: '18.5', unit: 'CNY', expiresAt: '' },
  },
  {
    label: 'kimi in dollars',
    site: 'moonshot',
    kind: 'moonshot',
    secret: 'sk-ms-usd',
    extra: { currency: 'USD' },
    want: { state: 'ok', remaining: '4', unit: 'USD' },
  },
  { label: 'silicon', site: 'siliconflow', kind: 'siliconflow', secret: 'sk-sf', want: { state: 'ok', remaining: '31.2', unit: 'CNY' } },
  { label: 'silicon refused', site: 'siliconflow', kind: 'siliconflow', secret: 'sk-sf-bad', want: { state: 'invalid', error: 'auth' } },
  {
    label: 'step',
    site: 'stepfun',
    kind: 'stepfun',
    secret: 'sf-step',
    want: { state: 'ok', remaining: '9.4', unit: 'CNY', unlimited: 'false' },
  },
  {
    label: 'my proxy',
    site: 'custom',
    kind: 'custom',
    secret: 'abc123',
    extra: { currency: 'USD', custom: mapping },
    want: { state: 'ok', remaining: '7.5', unit: 'USD', unlimited: 'false', expiresAt: String(later) },
  },
  {
    label: 'my proxy unlimited',
    site: 'custom',
    kind: 'custom',
    secret: 'unl456',
    extra: { currency: 'CNY', custom: mapping },
    want: { state: 'ok', remaining: '', unit: 'CNY', unlimited: 'true', expiresAt: '' },
  },
  {
    label: 'my proxy wrong path',
    site: 'custom',
    kind: 'custom',
    secret: 'wrong789',
    extra: { custom: { ...mapping, remaining: '/data/nothing' } },
    want: { state: 'error', error: 'bad-response', remaining: '' },
  },
  {
    label: 'my proxy refused',
    site: 'custom',
    kind: 'custom',
    secret: 'nobody',
    extra: { custom: mapping },
    want: { state: 'invalid', error: 'auth' },
  },
];

let ext: Extension;
const running: Record<string, FakeGateway> = {};

beforeAll(async () => {
  for (const [name, options] of Object.entries(sites)) running[name] = await startGateway({ ...options, now: Date.now });
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await Promise.all(Object.values(running).map((g) => g.close()));
});

it(`reads ${cases.length} provider and custom keys from a version-2 backup`, async () => {
  const page = await ext.context.newPage();
  await importBackup(page, ext, {
    format: 'quota-glance',
    version: 2,
    keys: cases.map((c) => ({ label: c.label, baseUrl: running[c.site]?.url, kind: c.kind, secret: c.secret, ...c.extra })),
  });
  await page.getByText(`Imported ${cases.length} keys`).waitFor();
  const popup = await openPopupSettled(ext, cases.length);
  const rows = Object.fromEntries((await popupRows(popup)).map((r) => [r.label, r]));
  for (const c of cases) expect({ label: c.label, ...rows[c.label] }).toMatchObject({ label: c.label, ...c.want });
  // The custom key's secret went in its own header, and nowhere else.
  const asked = running.custom?.requests.filter((r) => r.headers['x-api-key'] === 'abc123') ?? [];
  expect(asked.length).toBeGreaterThan(0);
  expect(asked.every((r) => r.headers.authorization === undefined)).toBe(true);
  await popup.close();
  await page.close();
});

it('adds a custom key on the options page: Test shows the answer as a tree, a value fills the path', async () => {
  await resetStorage(ext);
  const page = await ext.context.newPage();
  await page.goto(ext.url('options.html'));
  await page.getByLabel('Kind').selectOption('custom');
  await page.getByLabel('Label').fill('hand-made proxy');
  await page.getByLabel('Site address').fill(running.custom?.url ?? '');
  await page.getByLabel('Key or access token').fill('abc123');
  await page.getByLabel('Endpoint path').fill('/api/balance');
  await page.getByLabel('Request headers').fill('X-Api-Key: {secret}');
  await page.getByLabel('Remaining amount at').fill('/data/nothing');
  await page.getByRole('button', { name: 'Test' }).click();
  await page.getByText('"remaining" (/data/nothing) names nothing in the answer').first().waitFor();

  await page.getByLabel('Remaining amount at').focus();
  await page.getByRole('button', { name: '"7.5"' }).click();
  expect(await page.getByLabel('Remaining amount at').inputValue()).toBe('/data/balance');
  await page.getByLabel('Expiry at').focus();
  await page.getByRole('button', { name: String(later) }).click();
  expect(await page.getByLabel('Expiry at').inputValue()).toBe('/data/expire_at');
  expect(await page.locator('[data-figure="remaining"]').textContent()).toBe('7.5 USD');
  expect(await page.locator('[data-figure="expiresAt"]').textContent()).toBe(new Date(later * 1000).toISOString());

  await page.getByRole('button', { name: 'Save and read' }).click();
  await page.getByText('Saved. hand-made proxy').waitFor();
  const popup = await openPopupSettled(ext, 1);
  expect((await popupRows(popup))[0]).toMatchObject({
    label: 'hand-made proxy',
    state: 'ok',
    remaining: '7.5',
    unit: 'USD',
    expiresAt: String(later),
  });
});
