import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import type { ImportTarget } from '@/components/ImportPanel';
import { MAX_STORED_KEYS } from '@/lib/backup';
import { listVersion } from '@/lib/key-store';
import { sendMessage } from '@/lib/messages';
import type { KeyConfig } from '@/lib/model';
import { attentionCounts } from '@/lib/popup-view';
import { permissionPattern } from '@/lib/site';
import { rankKeys, withDefaults } from '@/lib/state';
import { keysItem, settingsItem, statusesItem } from '@/lib/storage';

// The list this page last read or wrote: an import (or its undo) replaces it only if
// nothing else changed it meanwhile (issue #7, item 11).
let seen: KeyConfig[] = [];

/** The options page's import target: the stored key list, written through the background, which then reads the imported keys. */
export const optionsImportTarget: ImportTarget = {
  readKeys: async () => {
    seen = await keysItem.getValue();
    return seen;
  },
  writeKeys: async (keys) => {
    const result = await sendMessage('changeKeys', { type: 'replace', keys, expected: listVersion(seen) });
    // The merge already counts against the limit; the background refuses too, should keys be added meanwhile.
    if (!result.ok)
      throw new Error(result.reason === 'too-many' ? i18n.t('keyLimitReached', [MAX_STORED_KEYS.toLocaleString()]) : result.message);
    seen = result.keys;
  },
  refresh: async (ids) => {
    await sendMessage('refresh', { ids, reset: true });
    // What the reads found, counted as the popup's summary counts them.
    const [keys, statuses, settings] = await Promise.all([keysItem.getValue(), statusesItem.getValue(), settingsItem.getValue()]);
    const views = rankKeys(
      keys.filter((k) => ids.includes(k.id)),
      statuses,
      withDefaults(settings),
      Date.now(),
    );
    const patterns = [...new Set(views.map((v) => permissionPattern(v.key.baseUrl)))];
    const granted = await Promise.all(patterns.map((origin) => browser.permissions.contains({ origins: [origin] })));
    const missing = new Set(patterns.filter((_, i) => !granted[i]));
    return attentionCounts(views, (v) => missing.has(permissionPattern(v.key.baseUrl)));
  },
};
