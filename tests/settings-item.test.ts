import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS, type Settings } from '@/lib/state';
import { settingsItem, storedSettingsItem } from '@/lib/storage/items';

/** Settings come with their defaults (issue #19, item 7): no reader completes them itself. */
describe('settingsItem', () => {
  it('reads a stored setting that cannot be used, or is missing, as its default, alone', async () => {
    await fakeBrowser.storage.local.set({
      settings: { intervalMinutes: 'often', notifications: false, defaultLowAmounts: { USD: 'x', CNY: 20 } },
      settings$: { v: 4 },
    });
    const settings = await settingsItem.getValue();
    expect(settings).toEqual({
      ...DEFAULT_SETTINGS,
      notifications: false,
      defaultLowAmounts: { ...DEFAULT_SETTINGS.defaultLowAmounts, CNY: 20 },
    });
    // What is stored is left as it is (lib/storage/check.ts reports it).
    expect(((await storedSettingsItem.getValue()) as unknown as Record<string, unknown>).intervalMinutes).toBe('often');
  });

  it('reads nothing stored as the defaults', async () => {
    expect(await settingsItem.getValue()).toEqual(DEFAULT_SETTINGS);
  });

  it('gives watchers the new value with its defaults', async () => {
    const seen: Settings[] = [];
    const stop = settingsItem.watch((next) => seen.push(next));
    await storedSettingsItem.setValue({ expiryWarningDays: -3, intervalMinutes: 30 } as unknown as Settings);
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toEqual({ ...DEFAULT_SETTINGS, intervalMinutes: 30 });
    stop();
  });
});
