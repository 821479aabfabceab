import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { announce, MAX_NOTIFICATIONS_PER_ROUND } from '@/entrypoints/background/notify';
import { commitVisibly, releaseUnusedAccess, showBadge } from '@/entrypoints/background/wiring';
import type { Alert } from '@/lib/alerts';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import { STATUS_BUDGET_BYTES } from '@/lib/reading-budget';
import { keysItem, scrubStoredStatuses, statusesItem, storageProblemItem } from '@/lib/storage/items';
import { makeKey, usdStatus } from './helpers';

const keyN = (i: number): KeyConfig => makeKey({ id: `k${i}`, label: `key ${i}`, baseUrl: `https://relay${i}.test`, secret: `s${i}` });
const readingOf = (remaining: number): KeyStatus => usdStatus(remaining);

function captureNotifications() {
  const created: { id: string; title: string; message: string }[] = [];
  Object.assign(fakeBrowser.notifications, {
    create: vi.fn(async (id: string, options: { title: string; message: string }) => {
      created.push({ id, title: options.title, message: options.message });
      return id;
    }),
  });
  return created;
}

describe('notifications per round (issue #7, item 3)', () => {
  it('announces up to 3 alerts one by one, most severe first', async () => {
    const created = captureNotifications();
    const alerts: { key: KeyConfig; alert: Alert }[] = [
      { key: keyN(1), alert: { kind: 'state', state: 'low' } },
      { key: keyN(2), alert: { kind: 'state', state: 'expired' } },
    ];
    // Statuses are read for the stored keys (one item per key).
    await keysItem.setValue([keyN(1), keyN(2)]);
    await statusesItem.setValue({ k1: readingOf(0.4), k2: readingOf(2) });
    await announce(alerts);
    expect(created.map((n) => n.title)).toEqual(['key 2: Expired', 'key 1: Low']);
    // An expired key says what that means, not "$2.00 left".
    expect(created[0]?.message).toMatch(/^Expired: the gateway no longer accepts this key/);
    expect(created[0]?.message).not.toContain('left');
    expect(created[1]?.message).toContain('$0.40 left');
  });

  it('groups more than 3 into one notification that lists them, counting the keys that need attention as the badge does', async () => {
    const created = captureNotifications();
    const alerts = Array.from({ length: 26 }, (_, i) => ({ key: keyN(i), alert: { kind: 'state', state: 'low' } as Alert }));
    alerts.push({ key: keyN(99), alert: { kind: 'state', state: 'exhausted' } });
    // Stored: the 27 announced, 2 low keys announced in an earlier round, 1 muted empty key and 1 fine key.
    const earlier = [keyN(200), keyN(201)];
    const muted = { ...keyN(300), muted: true };
    await keysItem.setValue([...alerts.map((a) => a.key), ...earlier, muted, keyN(400)]);
    await statusesItem.setValue({
      ...Object.fromEntries([...alerts.map((a) => a.key), ...earlier].map((k) => [k.id, readingOf(0.4)])),
      k99: readingOf(0),
      k300: readingOf(0),
      k400: readingOf(8),
    });
    await announce(alerts);
    expect(created.length).toBeLessThanOrEqual(MAX_NOTIFICATIONS_PER_ROUND);
    expect(created).toHaveLength(1);
    // The same keys as the popup's headline and the badge (lib/attention.ts): not this round's 27, nor the muted key.
    expect(created[0]?.title).toBe('29 keys need attention');
    expect(created[0]?.message.split('\n')[0]).toBe('key 99: Exhausted');
    expect(created[0]?.message).toContain('… and 21 more');
    // The lines add up to the title: 27 this round, and the 2 others (announced before).
    expect(created[0]?.message.split('\n').at(-1)).toBe('and 2 more keys need attention');
  });

  it('says the same number of days as the popup for a key 2 days 23 hours from expiry', async () => {
    const created = captureNotifications();
    const expiresAt = Math.floor(Date.now() / 1000) + 2 * 86_400 + 23 * 3_600;
    await announce([{ key: keyN(1), alert: { kind: 'expiring', state: 'ok', days: 3, expiresAt } }]);
    expect(created[0]?.title).toBe('key 1 expires in 3 days');
  });
});

describe('a storage write that fails is visible (issue #7, item 9)', () => {
  it('is remembered, turns the badge grey ! with a tooltip that says so, and clears with the next good write', async () => {
    // Refused every time: the commit's key-by-key retry (lib/storage/layout.ts) is refused too.
    const set = vi.spyOn(fakeBrowser.storage.local, 'set').mockRejectedValue(new Error('QUOTA_BYTES quota exceeded'));
    await expect(commitVisibly({ statuses: { k1: readingOf(1) } })).rejects.toThrow('QUOTA_BYTES');
    expect(await storageProblemItem.getValue()).toMatchObject({ message: 'QUOTA_BYTES quota exceeded' });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
    expect(await fakeBrowser.action.getTitle({})).toContain('cannot save readings');
    set.mockRestore();
    await commitVisibly({ statuses: {} });
    expect(await storageProblemItem.getValue()).toBeNull();
    await showBadge();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
  });
});

describe('host access is given back (issue #7, item 7)', () => {
  it('removes the origins no saved key needs, keeping install-time grants', async () => {
    await keysItem.setValue([makeKey({ id: 'a', baseUrl: 'https://kept.test', secret: 'x' })]);
    const remove = vi.fn(async () => true);
    Object.assign(fakeBrowser.permissions, {
      getAll: async () => ({ origins: ['https://kept.test/*', 'https://deleted.test/*', 'http://127.0.0.1/*'], permissions: [] }),
      remove,
    });
    vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({
      manifest_version: 3,
      name: 'x',
      version: '1',
      host_permissions: ['http://127.0.0.1/*'],
    });
    expect(await releaseUnusedAccess()).toEqual(['https://deleted.test/*']);
    expect(remove).toHaveBeenCalledWith({ origins: ['https://deleted.test/*'] });
  });
});

describe('statuses stored by an older version (issue #7, item 5)', () => {
  it('are scrubbed of the echoed secret on update', async () => {
    const secret = `sk-${'e'.repeat(20)}${'9'.repeat(28)}`;
    await keysItem.setValue([makeKey({ id: 'a', baseUrl: 'https://echo.test', secret })]);
    await statusesItem.setValue({
      a: {
        reading: null,
        error: { kind: 'auth', message: `HTTP 401: Invalid token Bearer ${secret}`, at: 1 },
        attemptedAt: 1,
        failures: 1,
      },
    });
    expect(await scrubStoredStatuses()).toBe(true);
    expect(JSON.stringify(await statusesItem.getValue())).not.toContain(secret.slice(3));
    expect(await scrubStoredStatuses()).toBe(false);
  });

  it('are brought within the byte budget on update, and only they are rewritten', async () => {
    await keysItem.setValue([makeKey({ id: 'big', baseUrl: 'https://api.deepseek.com', secret: 'sk-ds' })]);
    const otherBalances = Array.from({ length: 20_000 }, (_, i) => ({ unit: { code: `X${i}` }, amount: i }));
    const huge = usdStatus(5, { kind: 'deepseek', scope: 'account', granted: null, otherBalances });
    await statusesItem.setValue({ big: huge, small: usdStatus(3) });
    const written: string[] = [];
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    vi.spyOn(fakeBrowser.storage.local, 'set').mockImplementation(async (items) => {
      written.push(...Object.keys(items));
      return set(items);
    });
    expect(await scrubStoredStatuses()).toBe(true);
    expect(written).toEqual(['status:big']);
    const stored = (await statusesItem.getValue()).big;
    expect(JSON.stringify(stored).length).toBeLessThan(STATUS_BUDGET_BYTES);
    expect(stored?.reading?.remaining).toBe(5);
    expect(stored?.reading?.cut).toContain('otherBalances');
  });
});
