import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeGateway, type GatewayOptions, startGateway } from '../tests/fake-gateway/gateway';
import { type Extension, importBackup, launchExtension, openPopupSettled, popupRows } from './fixtures';

// One row per key: what the popup must show for it (shared/spec/automation.md §4).
interface Case {
  label: string;
  site: string;
  kind: string;
  secret: string;
  userId?: number;
  want: Partial<Record<'state' | 'remaining' | 'unit' | 'unlimited' | 'expiresAt' | 'error', string>>;
}

const key = (seed: string) => seed.repeat(48).slice(0, 48);
const now = Math.floor(Date.now() / 1000);
const soon = now + 10 * 86400;
const past = now - 86400;

const tokens = [
  { key: key('healthy'), name: 'healthy', remain: 4_250_000, used: 750_000, expiresAt: soon },
  { key: key('low'), remain: 100_000, used: 4_900_000 },
  { key: key('unlimited'), remain: -900_000, used: 900_000, unlimited: true },
  { key: key('exhausted'), remain: -2_000, used: 1_002_000 },
  { key: key('expired'), remain: 1_000_000, used: 0, expiresAt: past },
  { key: key('disabled'), remain: 1_000_000, used: 0, status: 2 as const },
  { key: key('banned'), remain: 1_000_000, used: 0, ownerBanned: true },
];

const sites: Record<string, Omit<GatewayOptions, 'now'>> = {
  usd: {
    flavor: 'new-api',
    tokens,
    users: [{ id: 42, accessToken: 'wallet-access-token-0123456789', quota: 2_500_000, usedQuota: 500_000 }],
  },
  cny: { flavor: 'new-api', tokens, display: { type: 'CNY', rate: 7.3 } },
  raw: { flavor: 'new-api', tokens, display: { type: 'TOKENS' } },
  custom: { flavor: 'new-api', tokens, display: { type: 'CUSTOM', customSymbol: '€', customRate: 0.9 } },
  sub: { flavor: 'new-api', tokens, prefix: '/relay' },
  oneapi: { flavor: 'one-api', tokens },
  onehub: { flavor: 'one-hub', tokens },
  r9s: {
    flavor: 'r9s',
    r9s: [
      { key: 'sk_mg_aa11', balance: 25.5, coupon: 2 },
      { key: 'sk_mg_bb22', balance: 0, currency: 'CNY', metaCode: 200, paginated: true },
    ],
  },
  proxy: { flavor: 'proxy-502' },
  spa: { flavor: 'spa' },
};

const cases: Case[] = [
  {
    label: 'usd healthy',
    site: 'usd',
    kind: 'newapi-token',
    secret: `sk-${key('healthy')}`,
    want: { state: 'ok', remaining: '8.5', unit: 'USD', unlimited: 'false', expiresAt: String(soon) },
  },
  { label: 'usd low', site: 'usd', kind: 'auto', secret: key('low'), want: { state: 'low', remaining: '0.2', unit: 'USD' } },
  {
    label: 'usd unlimited',
    site: 'usd',
    kind: 'newapi-token',
    secret: key('unlimited'),
    want: { state: 'ok', remaining: '', unlimited: 'true', expiresAt: '' },
  },
  {
    label: 'usd exhausted',
    site: 'usd',
    kind: 'newapi-token',
    secret: key('exhausted'),
    want: { state: 'exhausted', remaining: '-0.004' },
  },
  {
    label: 'usd expired',
    site: 'usd',
    kind: 'newapi-token',
    secret: key('expired'),
    want: { state: 'expired', remaining: '2', expiresAt: String(past) },
  },
  {
    label: 'usd disabled',
    site: 'usd',
    kind: 'newapi-token',
    secret: key('disabled'),
    want: { state: 'invalid', error: 'auth', remaining: '2' },
  },
  {
    label: 'usd banned owner',
    site: 'usd',
    kind: 'newapi-token',
    secret: key('banned'),
    want: { state: 'invalid', error: 'forbidden', remaining: '' },
  },
  { label: 'usd unknown key', site: 'usd', kind: 'auto', secret: key('nobody'), want: { state: 'invalid', error: 'auth' } },
  {
    label: 'usd wallet',
    site: 'usd',
    kind: 'newapi-user',
    secret: 'wallet-access-token-0123456789',
    userId: 42,
    want: { state: 'ok', remaining: '5', unit: 'USD', expiresAt: '' },
  },
  {
    label: 'cny healthy',
    site: 'cny',
    kind: 'newapi-token',
    secret: key('healthy'),
    want: { state: 'ok', remaining: '62.05', unit: 'CNY' },
  },
  {
    label: 'cny billing',
    site: 'cny',
    kind: 'openai-billing',
    secret: `sk-${key('healthy')}`,
    want: { state: 'ok', remaining: '62.05', unit: 'CNY' },
  },
  {
    label: 'tokens healthy',
    site: 'raw',
    kind: 'auto',
    secret: key('healthy'),
    want: { state: 'ok', remaining: '4250000', unit: 'tokens' },
  },
  {
    label: 'custom healthy',
    site: 'custom',
    kind: 'newapi-token',
    secret: key('healthy'),
    want: { state: 'ok', remaining: '7.65', unit: 'custom' },
  },
  { label: 'sub-path healthy', site: 'sub', kind: 'auto', secret: key('healthy'), want: { state: 'ok', remaining: '8.5', unit: 'USD' } },
  {
    label: 'one-api healthy',
    site: 'oneapi',
    kind: 'auto',
    secret: `sk-${key('healthy')}`,
    want: { state: 'ok', remaining: '8.5', unit: 'USD', expiresAt: String(soon) },
  },
  {
    label: 'one-api unlimited',
    site: 'oneapi',
    kind: 'openai-billing',
    secret: key('unlimited'),
    want: { state: 'ok', unlimited: 'true', remaining: '' },
  },
  { label: 'one-api exhausted', site: 'oneapi', kind: 'auto', secret: key('exhausted'), want: { state: 'invalid', error: 'auth' } },
  {
    label: 'one-hub healthy',
    site: 'onehub',
    kind: 'auto',
    secret: `sk-${key('healthy')}`,
    want: { state: 'ok', remaining: '8.5', unit: 'USD' },
  },
  {
    label: 'r9s team',
    site: 'r9s',
    kind: 'r9s-manager',
    secret: 'sk_mg_aa11',
    want: { state: 'ok', remaining: '25.5', unit: 'USD', expiresAt: '' },
  },
  { label: 'r9s empty', site: 'r9s', kind: 'auto', secret: 'sk_mg_bb22', want: { state: 'exhausted', remaining: '0', unit: 'CNY' } },
  { label: 'r9s unknown', site: 'r9s', kind: 'r9s-manager', secret: 'sk_mg_cc33', want: { state: 'invalid', error: 'auth' } },
  {
    label: 'behind nginx 502',
    site: 'proxy',
    kind: 'auto',
    secret: key('healthy'),
    want: { state: 'error', error: 'server', remaining: '' },
  },
  {
    label: 'an SPA, not a gateway',
    site: 'spa',
    kind: 'openai-billing',
    secret: key('healthy'),
    want: { state: 'error', error: 'bad-response' },
  },
  { label: 'nothing listening', site: 'closed', kind: 'auto', secret: key('healthy'), want: { state: 'error', error: 'network' } },
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

it(`reads ${cases.length} keys across new-api, one-api, one-hub, r9s and broken sites correctly`, async () => {
  const page = await ext.context.newPage();
  await importBackup(page, ext, {
    format: 'quota-glance',
    version: 1,
    keys: cases.map((c) => ({
      label: c.label,
      baseUrl: c.site === 'closed' ? 'http://127.0.0.1:9' : running[c.site]?.url,
      kind: c.kind,
      secret: c.secret,
      ...(c.userId ? { userId: c.userId } : {}),
    })),
  });
  await page.getByText(`Imported ${cases.length} keys`).waitFor();
  const popup = await openPopupSettled(ext, cases.length);
  const rows = Object.fromEntries((await popupRows(popup)).map((r) => [r.label, r]));
  for (const c of cases) expect({ label: c.label, ...rows[c.label] }).toMatchObject({ label: c.label, ...c.want });
  for (const c of cases.filter((c) => c.want.state === 'ok')) expect(rows[c.label]?.error).toBe('');
});
