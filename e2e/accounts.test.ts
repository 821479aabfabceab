import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeAccountToken } from '../tests/fake-gateway/accounts';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { type Extension, importBackup, launchExtension, openPopupSettled } from './fixtures';

const nowS = () => Math.floor(Date.now() / 1000);
const key = (seed: string) => seed.repeat(48).slice(0, 48);
const ACCESS = 'access-token-0123456789abcdef';

let ext: Extension;
let relay: FakeGateway;
let oneApi: FakeGateway;
const planEnds = nowS() + 20 * 86400;

beforeAll(async () => {
  relay = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    users: [{ id: 42, accessToken: ACCESS, quota: 0, usedQuota: 2_000_000 }],
    accounts: {
      tokens: [
        { id: 1, userId: 42, key: key('a'), name: 'laptop', remain: 4_500_000, used: 500_000 },
        { id: 2, userId: 42, key: key('b'), name: 'ci', remain: 200_000, used: 4_800_000 },
        { id: 3, userId: 42, key: key('c'), name: 'old', remain: 1_000_000, used: 0, expiresAt: nowS() - 3600 },
        { id: 4, userId: 42, key: key('d'), name: 'spent', remain: 0, used: 1_000_000 },
        { id: 5, userId: 42, key: key('e'), name: 'paused', remain: 1_000_000, used: 0, status: 2 },
      ],
      subscriptions: [
        {
          id: 311,
          userId: 42,
          planId: 4,
          total: 12_500_000,
          used: 3_000_000,
          startTime: nowS() - 86400,
          endTime: planEnds,
          nextReset: nowS() + 5 * 3600 + 600,
        },
      ],
      plans: [{ id: 4, title: 'Pro Monthly' }],
    },
  });
  const legacyTokens: FakeAccountToken[] = Array.from({ length: 12 }, (_, i) => ({
    id: i + 1,
    userId: 7,
    key: key(`z${i}`),
    name: `legacy ${i + 1}`,
    remain: 1_000_000,
    used: 0,
  }));
  oneApi = await startGateway({
    now: Date.now,
    flavor: 'one-api',
    users: [{ id: 7, accessToken: 'oneapi-access', quota: 500_000, usedQuota: 0 }],
    accounts: { listVersion: 'one-api', tokens: legacyTokens },
  });
  ext = await launchExtension();
});

afterAll(async () => {
  await ext?.close();
  await Promise.all([relay, oneApi].map((g) => g?.close()));
});

const listRequests = (g: FakeGateway) => g.requests.filter((r) => r.path.startsWith('/api/token')).map((r) => r.path);
const forbidden = (g: FakeGateway) => g.requests.filter((r) => r.path.startsWith('/api/usage/token') || /\/keys?$/.test(r.path));

describe('watching a whole account (automation.md §3.3)', () => {
  it('imports a v2 backup with watchTokens and shows every token under its account, with the plan apart from the wallet', async () => {
    const options = await ext.context.newPage();
    await importBackup(options, ext, {
      format: 'quota-glance',
      version: 2,
      exportedAt: new Date().toISOString(),
      keys: [
        { label: 'relay account', baseUrl: relay.url, kind: 'newapi-user', secret: ACCESS, userId: 42, watchTokens: true },
        { label: 'one-api account', baseUrl: oneApi.url, kind: 'newapi-user', secret: 'oneapi-access', userId: 7, watchTokens: true },
      ],
    });
    const popup = await openPopupSettled(ext, 2 + 5 + 12);
    const rows = await popup.locator('[data-key-row]').evaluateAll((els) =>
      els.map((r) => ({
        label: r.getAttribute('data-label'),
        parent: r.getAttribute('data-parent'),
        state: r.getAttribute('data-state'),
        error: r.getAttribute('data-error'),
        remaining: r.getAttribute('data-remaining'),
        unit: r.getAttribute('data-unit'),
      })),
    );
    const relayIndex = rows.findIndex((r) => r.label === 'relay account');
    expect(rows[relayIndex]).toMatchObject({ parent: null, state: 'ok', remaining: '0' }); // a plan covers the empty wallet
    expect(rows.slice(relayIndex + 1, relayIndex + 6)).toEqual([
      { label: 'old', parent: 'relay account', state: 'expired', error: '', remaining: '2', unit: 'USD' },
      { label: 'spent', parent: 'relay account', state: 'exhausted', error: '', remaining: '0', unit: 'USD' },
      { label: 'paused', parent: 'relay account', state: 'invalid', error: 'forbidden', remaining: '2', unit: 'USD' },
      { label: 'ci', parent: 'relay account', state: 'low', error: '', remaining: '0.4', unit: 'USD' },
      { label: 'laptop', parent: 'relay account', state: 'ok', error: '', remaining: '9', unit: 'USD' },
    ]);
    const legacy = rows.filter((r) => r.parent === 'one-api account');
    expect(legacy.map((r) => r.label).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `legacy ${i + 1}`).sort());
    expect(legacy.every((r) => r.state === 'ok' && r.remaining === '2')).toBe(true);

    // The plan is a window of the account (automation.md §4.1), with its reset and its end.
    const plan = popup.locator('[data-key-row][data-label="relay account"] [data-window]');
    expect(await plan.count()).toBe(1);
    expect(await plan.getAttribute('data-window')).toBe('Pro Monthly');
    expect(await plan.getAttribute('data-remaining')).toBe('19');
    expect(await plan.textContent()).toContain('resets in 5 hr');
    expect(await plan.textContent()).toContain('ends in 20 days');
    // The one-api server has no subscriptions (404): no plan window.
    expect(await popup.locator('[data-key-row][data-label="one-api account"] [data-window]').count()).toBe(0);

    // One token-list pass per read, paged per version; never the token route or a reveal route.
    expect(listRequests(relay)).toEqual(['/api/token/?p=0&size=100&page_size=100']);
    expect(listRequests(oneApi)).toEqual([0, 1, 2].map((p) => `/api/token/?p=${p}&size=100&page_size=100`));
    await popup.getByRole('button', { name: 'Refresh', exact: true }).click();
    await popup.waitForFunction(() => !document.querySelector('[data-refreshing]'));
    await popup.waitForFunction(() => document.querySelectorAll('[data-key-row]').length === 19);
    expect(listRequests(relay)).toHaveLength(2);
    expect(listRequests(oneApi)).toHaveLength(6);
    expect(forbidden(relay)).toEqual([]);
    expect(forbidden(oneApi)).toEqual([]);
    await popup.close();
    await options.close();
  });

  it('drops a token deleted on the gateway and shows a new one after the next read', async () => {
    const tokens = relay.options.accounts?.tokens ?? [];
    tokens.splice(
      tokens.findIndex((t) => t.name === 'paused'),
      1,
      { id: 9, userId: 42, key: key('n'), name: 'fresh', remain: 500_000, used: 0 },
    );
    const popup = await ext.context.newPage();
    await popup.goto(ext.url('popup.html'));
    await popup.getByRole('button', { name: 'Refresh', exact: true }).click();
    await popup.locator('[data-key-row][data-label="fresh"][data-parent="relay account"]').waitFor();
    expect(await popup.locator('[data-key-row][data-label="paused"]').count()).toBe(0);
    await popup.close();
  });
});

describe('npm run demo (automation.md §1)', () => {
  it('runs headless, writes popup.png (400×600) and options.png, prints their paths and exits 0', () => {
    const out = resolve('.output/demo');
    rmSync(out, { recursive: true, force: true });
    const env: NodeJS.ProcessEnv = { ...process.env, QG_DEMO_SKIP_BUILD: '1' };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const run = spawnSync(process.execPath, ['scripts/demo.ts'], { env, encoding: 'utf8', timeout: 110_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const printed = run.stdout.trim().split('\n');
    expect(printed).toEqual([resolve(out, 'popup.png'), resolve(out, 'options.png')]);
    for (const file of printed) expect(existsSync(file)).toBe(true);
    const png = readFileSync(resolve(out, 'popup.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([400, 600]);
  });
});
