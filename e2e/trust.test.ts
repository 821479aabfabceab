import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGateway, startGateway } from '../tests/fake-gateway/gateway';
import { badge, type Extension, importBackup, launchExtension, notifications, openPopupSettled, popupRows } from './fixtures';

/**
 * Issue #7 end to end, through the automation contract only (shared/spec/automation.md
 * §4, §5): a balance under its default low amount, a key inside its expiry window, a
 * gateway that echoes the key back, a redirect to another origin, and 26 keys crossing
 * into alert states in one round.
 */
const DAY = 86_400;
const key48 = (seed: string) => `${seed}${'q'.repeat(48)}`.slice(0, 48);
const echoSecret = `sk-${key48('echoedsecret')}`;
const soonSecret = key48('expiresoon');
const redirectSecret = key48('redirected');
const r9sSecret = `sk_mg_${'c'.repeat(64)}`;
const crowd = Array.from({ length: 26 }, (_, i) => key48(`crowd${String(i).padStart(2, '0')}`));
const secrets = [echoSecret, soonSecret, redirectSecret, r9sSecret, ...crowd];
const bare = (secret: string) => secret.replace(/^sk-/, '');

let ext: Extension;
let newApi: FakeGateway;
let oneApi: FakeGateway;
let r9s: FakeGateway;
let target: FakeGateway;
let redirecting: FakeGateway;
let echo: Server;
let echoUrl: string;
let expiresAt: number;

beforeAll(async () => {
  expiresAt = Math.floor(Date.now() / 1000) + 2 * DAY + 23 * 3600;
  newApi = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    tokens: [{ key: soonSecret, remain: 4_000_000, used: 1_000_000, expiresAt }],
  });
  // 8% left on each: low, and all 26 cross at once.
  oneApi = await startGateway({
    now: Date.now,
    flavor: 'one-api',
    tokens: crowd.map((key) => ({ key, remain: 400_000, used: 4_600_000 })),
  });
  r9s = await startGateway({ now: Date.now, flavor: 'r9s', r9s: [{ key: r9sSecret, balance: 0.4 }] });
  target = await startGateway({ now: Date.now, flavor: 'new-api', tokens: [{ key: redirectSecret, remain: 4_000_000, used: 0 }] });
  // localhost and 127.0.0.1 are different origins.
  redirecting = await startGateway({
    now: Date.now,
    flavor: 'new-api',
    tokenRouteRedirect: target.origin.replace('127.0.0.1', 'localhost'),
    tokens: [],
  });
  // A gateway that puts the key it was sent into its 401 answer.
  echo = createServer((req, res) => {
    res.writeHead(401, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `Invalid token ${req.headers.authorization ?? ''} (key ${bare(echoSecret)})` } }));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await Promise.all([newApi, oneApi, r9s, target, redirecting].map((g) => g?.close()));
  await new Promise((resolve) => echo?.close(resolve));
});

declare const chrome: {
  storage: { local: { get(keys: null | string): Promise<Record<string, unknown>>; set(items: object): Promise<void> } };
};

describe('trust (issue #7)', () => {
  it('imports 30 keys and shows each one truthfully', async () => {
    const options = await ext.context.newPage();
    await importBackup(options, ext, {
      format: 'quota-glance',
      version: 1,
      keys: [
        { label: 'r9s wallet', baseUrl: r9s.url, kind: 'r9s-manager', secret: r9sSecret },
        { label: 'expiring', baseUrl: newApi.url, kind: 'newapi-token', secret: soonSecret },
        { label: 'echoing', baseUrl: echoUrl, kind: 'openai-billing', secret: echoSecret },
        { label: 'redirected', baseUrl: redirecting.url, kind: 'newapi-token', secret: redirectSecret },
        ...crowd.map((secret, i) => ({ label: `crowd ${i}`, baseUrl: oneApi.url, kind: 'openai-billing', secret })),
      ],
    });
    const popup = await openPopupSettled(ext, 30);
    const rows = await popupRows(popup);
    const row = (label: string) => rows.find((r) => r.label === label);

    // Item 1: a balance without granted under 1 USD is low, and sorts with the worst.
    expect(row('r9s wallet')).toMatchObject({ state: 'low', remaining: '0.4', unit: 'USD' });
    expect(rows.findIndex((r) => r.label === 'r9s wallet')).toBeLessThan(4);

    // Item 2: inside the warning window: still `ok`, visibly "expires soon", 3 days (not 2).
    expect(row('expiring')).toMatchObject({ state: 'ok', expiresAt: String(expiresAt) });
    const expiringRow = popup.locator('[data-key-row][data-label="expiring"]');
    await expect.poll(() => expiringRow.locator('[data-expiring-soon]').count()).toBe(1);
    // Short beside its state (issue #19, item 3), in full in its title.
    const soon = expiringRow.locator('[data-expiring-soon]');
    expect(await soon.textContent()).toBe('exp 3d');
    expect(await soon.getAttribute('title')).toBe('Expires in 3 days');

    // Item 5: refused, and the echoed key is nowhere on the page.
    expect(row('echoing')).toMatchObject({ state: 'invalid', error: 'auth' });
    const text = (await popup.locator('body').textContent()) ?? '';
    for (const secret of secrets) expect(text).not.toContain(bare(secret).slice(0, 24));

    // Item 6: its own error, neither "refused" nor "not supported"; the other origin saw nothing.
    expect(row('redirected')).toMatchObject({ state: 'error', error: 'bad-response' });
    // The reason is in the row's details, which open from its label.
    const redirected = popup.locator('[data-key-row][data-label="redirected"]');
    await redirected.locator('.row-toggle').click();
    await expect.poll(async () => (await redirected.textContent()) ?? '', { timeout: 10_000 }).toContain('redirected to another site');
    expect(target.requests.filter((r) => r.headers.authorization)).toEqual([]);

    // The crowd: all low.
    expect(rows.filter((r) => r.label?.startsWith('crowd')).every((r) => r.state === 'low' && r.unit === 'USD')).toBe(true);
  });

  it('stores no secret outside the keys, even the one the gateway echoed', async () => {
    const stored = await ext.worker.evaluate(() => chrome.storage.local.get(null));
    const { keys, ...rest } = stored;
    const outside = JSON.stringify(rest);
    for (const secret of secrets) {
      expect(JSON.stringify(keys)).toContain(secret);
      expect(outside).not.toContain(bare(secret).slice(0, 24));
    }
    expect(outside).toContain('•••');
  });

  it('badge and tooltip: red for the refused key, each key needing attention with its figure and unit', async () => {
    const shown = await badge(ext);
    expect(shown.text).toBe('!');
    expect(shown.title).toContain('echoing: Refused');
    expect(shown.title).toMatch(/r9s wallet: Low, \$0\.40 left/);
    // How many need attention and of each kind, then the 5 worst, not a line per key (issue #19).
    const lines = shown.title.split('\n');
    const count = Number(/^Quota Glance: (\d+) keys need attention$/.exec(lines[0] ?? '')?.[1]);
    expect(lines.filter((l) => l.startsWith('• '))).toHaveLength(5);
    expect(lines.at(-1)).toBe(`… +${count - 5}`);
    for (const secret of secrets) expect(shown.title).not.toContain(bare(secret).slice(0, 24));
  });

  it('raises at most 3 notifications for the whole import, grouping the rest into one', async () => {
    await expect.poll(() => notifications(ext), { timeout: 15_000 }).not.toEqual([]);
    const ids = await notifications(ext);
    expect(ids.length).toBeLessThanOrEqual(3);
    expect(ids.some((id) => id.includes('|group|'))).toBe(true);
  });

  it('forgets a deleted key’s status and history at once', async () => {
    const stored = await ext.worker.evaluate(() => chrome.storage.local.get(null));
    const keys = stored.keys as { id: string; label: string }[];
    const echoId = keys.find((k) => k.label === 'echoing')?.id ?? '';
    // One status item per key (lib/storage/layout.ts).
    expect(Object.keys(stored)).toContain(`status:${echoId}`);
    await ext.worker.evaluate(
      (id) =>
        chrome.storage.local
          .get('keys')
          .then((s) => chrome.storage.local.set({ keys: (s.keys as { id: string }[]).filter((k) => k.id !== id) })),
      echoId,
    );
    const itemsOf = async (id: string) =>
      Object.keys(await ext.worker.evaluate(() => chrome.storage.local.get(null))).filter((k) => k.endsWith(`:${id}`));
    await expect.poll(() => itemsOf(echoId)).toEqual([]);
    const after = await ext.worker.evaluate(() => chrome.storage.local.get(null));
    expect(JSON.stringify(after)).not.toContain(bare(echoSecret).slice(0, 24));
  });
});
