import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGateway, type FakeToken, startGateway } from '../tests/fake-gateway/gateway';
import {
  badge,
  dismissNotification,
  type Extension,
  importBackup,
  launchExtension,
  notifications,
  openPopupSettled,
  popupRows,
} from './fixtures';

const secret = 'lowsoon'.repeat(8).slice(0, 48);
const token: FakeToken = { key: secret, name: 'ci', remain: 4_000_000, used: 1_000_000 };
let ext: Extension;
let gateway: FakeGateway;

beforeAll(async () => {
  gateway = await startGateway({ now: Date.now, flavor: 'new-api', tokens: [token] });
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await gateway?.close();
});

describe('badge follows the keys', () => {
  it('is empty while the key is fine, and turns amber with the figure when it runs low after Refresh', async () => {
    const options = await ext.context.newPage();
    await importBackup(options, ext, {
      format: 'quota-glance',
      version: 1,
      keys: [{ label: 'CI', baseUrl: gateway.url, kind: 'newapi-token', secret }],
    });
    const popup = await openPopupSettled(ext, 1);
    expect((await popupRows(popup))[0]).toMatchObject({ state: 'ok', remaining: '8' });
    await expect.poll(async () => (await badge(ext)).text).toBe('');

    // The key is spent on the gateway; the user presses Refresh.
    token.remain = 200_000;
    token.used = 4_800_000;
    await popup.getByRole('button', { name: 'Refresh' }).click();
    await popup.waitForSelector('[data-key-row][data-state="low"]');
    await popup.waitForSelector('[data-refreshing]', { state: 'detached' });
    expect((await popupRows(popup))[0]).toMatchObject({ state: 'low', remaining: '0.4', unit: 'USD' });
    const shown = await badge(ext);
    expect(shown.text).toBe('$0.4');
    expect(shown.color).toEqual([0xb4, 0x53, 0x09, 255]);
    expect(shown.title).toContain('CI: Low, $0.40 left');

    mkdirSync('e2e/artifacts', { recursive: true });
    await popup.screenshot({ path: 'e2e/artifacts/popup-low.png' });
  });

  it('shows one notification for the crossing into low, and none on the next poll', async () => {
    await expect.poll(() => notifications(ext)).toHaveLength(1);
    const [id] = await notifications(ext);
    expect(id).toMatch(/\|state$/);
    await dismissNotification(ext, id ?? '');

    // Still low on the next read: nothing new to say.
    const popup = await openPopupSettled(ext, 1);
    await popup.getByRole('button', { name: 'Refresh' }).click();
    await popup.waitForSelector('[data-refreshing]', { state: 'detached' });
    expect((await popupRows(popup))[0]?.state).toBe('low');
    expect(await notifications(ext)).toEqual([]);

    // Spent entirely: that is news.
    token.remain = 0;
    token.used = 5_000_000;
    await popup.getByRole('button', { name: 'Refresh' }).click();
    await popup.waitForSelector('[data-key-row][data-state="exhausted"]');
    await expect.poll(() => notifications(ext)).toHaveLength(1);
    expect((await badge(ext)).text).toBe('!');
  });
});
