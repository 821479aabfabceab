import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { type Extension, importBackup, launchExtension, resetStorage } from './fixtures';

// Backup version 3 through the options page (automation.md §3.1, §3.4): the Import input
// keeps a key's id, updatedAt, muted and pinned, the settings and the alert channels in
// storage, and the Export button writes them back.

const ci = 'ci'.repeat(24);
const team = 'team'.repeat(12);
let ext: Extension;
let site: FakeGateway;

beforeAll(async () => {
  site = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    tokens: [
      { key: ci, name: 'ci', remain: 4_000_000, used: 1_000_000 },
      { key: team, name: 'team', remain: 2_000_000, used: 0 },
    ],
  });
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await site?.close();
});

const CHANNELS = [
  { type: 'webhook', label: 'team hook', url: 'https://hooks.example.com/qg/hook0123456789abcdef' },
  { type: 'ntfy', label: 'phone', server: 'https://ntfy.sh', topic: 'qg-7f3a', token: 'tk_ntfy0123456789abcdef' },
  {
    type: 'dingtalk',
    label: 'ops',
    url: 'https://oapi.dingtalk.com/robot/send?access_token=dtk0123456789abcdef',
    signSecret: 'SEC0123456789abcdef',
  },
];
const SETTINGS = {
  notifyRestored: false,
  digestHour: 9,
  intervalMinutes: 45,
  defaultThreshold: { type: 'amount', value: 3 },
  defaultLowAmounts: { USD: 2, CNY: 14, tokens: 1_000_000, other: 2 },
  notifications: true,
  expiryWarningDays: [5, 2],
  forecastWarningDays: 4,
};

/** A version 3 file as another browser would export it, with secrets. */
const backup = () => ({
  format: 'quota-glance',
  version: 3,
  exportedAt: '2026-12-07T03:00:00.000Z',
  keys: [
    {
      id: 'key-ci',
      updatedAt: 1_796_000_000_000,
      muted: true,
      pinned: false,
      label: 'CI',
      baseUrl: site.url,
      kind: 'newapi-token',
      secret: `sk-${ci}`,
    },
    {
      id: 'key-team',
      updatedAt: 1_796_000_000_001,
      muted: false,
      pinned: true,
      label: 'Team',
      baseUrl: site.url,
      kind: 'newapi-token',
      secret: `sk-${team}`,
      futureField: 1,
    },
  ],
  settings: SETTINGS,
  channels: [...CHANNELS, { type: 'carrier-pigeon', label: 'loft', coop: 'north' }],
});

/** What the extension keeps, read in its service worker. */
const stored = () =>
  ext.worker.evaluate(async () => {
    // @ts-expect-error chrome is the extension API inside the service worker
    const local = chrome.storage.local as { get(keys: string[]): Promise<Record<string, unknown>> };
    return local.get(['keys', 'settings', 'alertSettings', 'channels']);
  }) as Promise<{ keys?: Record<string, unknown>[]; settings?: Record<string, unknown>; alertSettings?: unknown; channels?: unknown }>;

async function exported(page: Page, includeSecrets: boolean): Promise<string> {
  const box = page.getByLabel('Include secrets');
  if ((await box.isChecked()) !== includeSecrets) await box.setChecked(includeSecrets);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  return readFileSync((await (await download).path()) ?? '', 'utf8');
}

describe('backup version 3 (automation.md §3.4)', () => {
  it('imports keys with their ids, flags and update times, the settings and the channels, and exports them back', async () => {
    await resetStorage(ext);
    const page = await ext.context.newPage();
    await importBackup(page, ext, backup());
    await page.getByText(/^Imported 2 keys \(2 new, 0 updated\)\./).waitFor();
    await page.getByText('Settings imported.').waitFor();
    await page.getByText('Imported 3 alert channels (3 new, 0 updated).').waitFor();
    await page.getByText('Channel 4 (“loft”) skipped: its type “carrier-pigeon” is not known to this version of Quota Glance.').waitFor();

    const local = await stored();
    expect(local.keys?.map(({ id, label, muted, pinned, updatedAt }) => ({ id, label, muted, pinned, updatedAt }))).toEqual([
      { id: 'key-ci', label: 'CI', muted: true, pinned: undefined, updatedAt: 1_796_000_000_000 },
      { id: 'key-team', label: 'Team', muted: undefined, pinned: true, updatedAt: 1_796_000_000_001 },
    ]);
    const { notifyRestored, digestHour, ...settings } = SETTINGS;
    expect(local.settings).toEqual({ ...settings, windowLowPercent: 20 });
    expect(local.alertSettings).toEqual({ notifyRestored, digestHour });
    expect(local.channels).toEqual(CHANNELS);

    const full = JSON.parse(await exported(page, true));
    expect(full).toMatchObject({ format: 'quota-glance', version: 3, settings: SETTINGS, channels: CHANNELS });
    const { channels: _, ...file } = backup();
    expect(full.keys).toEqual(file.keys.map(({ futureField, ...key }) => key));

    // Without secrets: no key or channel secret leaves the browser.
    const masked = await exported(page, false);
    for (const secret of [ci, team, 'tk_ntfy0123456789abcdef', 'dtk0123456789abcdef', 'SEC0123456789abcdef', 'hook0123456789abcdef'])
      expect(masked).not.toContain(secret);

    // That masked file imported back changes nothing: same ids, same times, secrets kept.
    await importBackup(page, ext, masked);
    await page.getByText(/^Imported 2 keys \(0 new, 2 updated\)\./).waitFor();
    expect(await stored()).toEqual(local);
    await page.close();
  });
});
