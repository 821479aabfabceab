import { describe, expect, it } from 'vitest';
import { stampLocalChanges } from '@/entrypoints/background/sync';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { settingsItem } from '@/lib/storage/items';
import { stampsItem } from '@/lib/sync/stored';

const NOW = Date.UTC(2026, 11, 7, 10, 0, 0);

describe('when settings last changed here (sync, automation.md §6)', () => {
  it('settings never changed here count as time 0, so another browser’s choice wins over these defaults', async () => {
    expect(await stampLocalChanges(NOW, false)).toBe(true);
    expect((await stampsItem.getValue()).settings?.at).toBe(0);
    // Nothing changed since: no write.
    expect(await stampLocalChanges(NOW + 1, false)).toBe(false);
  });

  it('a change the person made is stamped with its time, whether or not the watcher saw it', async () => {
    await stampLocalChanges(NOW, false);
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, intervalMinutes: 45 });
    expect(await stampLocalChanges(NOW + 5, false)).toBe(true);
    expect((await stampsItem.getValue()).settings?.at).toBe(NOW + 5);
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, intervalMinutes: 50 });
    expect(await stampLocalChanges(NOW + 9, true)).toBe(true);
    expect((await stampsItem.getValue()).settings?.at).toBe(NOW + 9);
  });

  it('a first change seen by the watcher is a change now, even with no stamp before', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, intervalMinutes: 45 });
    await stampLocalChanges(NOW, true);
    expect((await stampsItem.getValue()).settings?.at).toBe(NOW);
  });
});
