import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { badge, type Extension, importBackup, launchExtension, openPopupSettled, popupRows } from './fixtures';

const key = (seed: string) => seed.repeat(48).slice(0, 48);
const nowS = () => Math.floor(Date.now() / 1000);

let ext: Extension;
let newApi: FakeGateway;
let oneApi: FakeGateway;
let r9s: FakeGateway;
const expiry = nowS() + 5 * 86400;

beforeAll(async () => {
  newApi = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    tokens: [
      { key: key('healthy'), name: 'laptop', remain: 4_250_000, used: 750_000, expiresAt: expiry },
      { key: key('lowkey'), remain: 200_000, used: 4_800_000 },
      { key: key('unlim'), remain: -5, used: 5, unlimited: true },
      { key: key('empty'), remain: 0, used: 1_000_000 },
    ],
    users: [{ id: 42, accessToken: 'access-token-0123456789abcdef', quota: 1_000_000, usedQuota: 500_000 }],
  });
  oneApi = await startGateway({ now: Date.now, flavor: 'one-api', tokens: [{ key: key('oneapi'), remain: 1_500_000, used: 500_000 }] });
  r9s = await startGateway({ now: Date.now, flavor: 'r9s', r9s: [{ key: 'sk_mg_0123abcd', balance: 12.34, currency: 'USD' }] });
  ext = await launchExtension();
});

afterAll(async () => {
  await ext?.close();
  await Promise.all([newApi, oneApi, r9s].map((g) => g?.close()));
});

describe('v1: import, poll, popup, badge', () => {
  it('starts with an empty popup that points to the options page, and no badge', async () => {
    const page = await ext.context.newPage();
    await page.goto(ext.url('popup.html'));
    await expect(page.getByText('No keys yet')).toBeDefined();
    await page.getByRole('button', { name: 'Add a key' }).waitFor();
    expect((await badge(ext)).text).toBe('');
    await page.close();
  });

  it('imports a backup and shows every key with the contract attributes, worst first', async () => {
    const options = await ext.context.newPage();
    await importBackup(options, ext, {
      format: 'quota-glance',
      version: 1,
      exportedAt: new Date().toISOString(),
      keys: [
        { label: 'healthy', baseUrl: newApi.url, kind: 'newapi-token', secret: `sk-${key('healthy')}` },
        { label: 'low', baseUrl: newApi.url, kind: 'auto', secret: key('lowkey') },
        { label: 'unlimited', baseUrl: newApi.url, kind: 'newapi-token', secret: `sk-${key('unlim')}` },
        { label: 'empty', baseUrl: newApi.url, kind: 'newapi-token', secret: `sk-${key('empty')}` },
        { label: 'wallet', baseUrl: newApi.url, kind: 'newapi-user', secret: 'access-token-0123456789abcdef', userId: 42 },
        { label: 'one-api', baseUrl: `${oneApi.url}/v1`, kind: 'auto', secret: `sk-${key('oneapi')}` },
        { label: 'team', baseUrl: r9s.url, kind: 'r9s-manager', secret: 'sk_mg_0123abcd' },
        { label: 'dead', baseUrl: newApi.url, kind: 'newapi-token', secret: `sk-${key('nobody')}` },
      ],
    });
    await options.getByText('Imported 8 keys').waitFor();

    const popup = await openPopupSettled(ext, 8);
    const rows = await popupRows(popup);
    const by = Object.fromEntries(rows.map((r) => [r.label, r]));
    expect(by.healthy).toMatchObject({
      state: 'ok',
      remaining: '8.5',
      unit: 'USD',
      unlimited: 'false',
      expiresAt: String(expiry),
      error: '',
    });
    expect(by.low).toMatchObject({ state: 'low', remaining: '0.4', unit: 'USD' });
    expect(by.unlimited).toMatchObject({ state: 'ok', remaining: '', unlimited: 'true', expiresAt: '' });
    expect(by.empty).toMatchObject({ state: 'exhausted', remaining: '0' });
    expect(by.wallet).toMatchObject({ state: 'ok', remaining: '2', unit: 'USD' });
    expect(by['one-api']).toMatchObject({ state: 'ok', remaining: '3', unit: 'USD' });
    expect(by.team).toMatchObject({ state: 'ok', remaining: '12.34', unit: 'USD' });
    expect(by.dead).toMatchObject({ state: 'invalid', error: 'auth', remaining: '', fetchedAt: '' });
    for (const row of rows.filter((r) => r.state !== 'invalid')) expect(Number(row.fetchedAt)).toBeGreaterThan(Date.now() - 60_000);
    // Worst first: exhausted, refused, low, then the fine ones.
    expect(rows.slice(0, 3).map((r) => r.label)).toEqual(['empty', 'dead', 'low']);

    const shown = await badge(ext);
    expect(shown.text).toBe('!');
    expect(shown.title).toContain('empty');
    await popup.close();
    await options.close();
  });
});
