import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import type { ImportTarget } from '@/components/ImportPanel';
import { askChannelAccess } from '@/lib/alert-channels/access';
import type { BackupExtras } from '@/lib/backup';
import { splitChannels } from '@/lib/channels';
import type { StoredExtras } from '@/lib/imports/extras';
import { sendMessage } from '@/lib/messages';
import type { KeyConfig } from '@/lib/model';
import { attentionCounts } from '@/lib/popup-view';
import { alertSettingsWithDefaults } from '@/lib/settings-v3';
import { permissionPattern } from '@/lib/site';
import { rankKeys } from '@/lib/state';
import { alertSettingsItem, channelsItem, keysItem, settingsItem, statusesItem } from '@/lib/storage/items';
import { listVersion, MAX_STORED_KEYS } from '@/lib/storage/keys';

/** Settings, alert settings and channels as stored, each at its defaults where unusable (automation.md §3.4). */
async function readStoredExtras(): Promise<StoredExtras> {
  const [settings, alerts, channels] = await Promise.all([settingsItem.getValue(), alertSettingsItem.getValue(), channelsItem.getValue()]);
  return { settings, alerts: alertSettingsWithDefaults(alerts), channels: splitChannels(channels).channels };
}

/** What an export of every key writes besides them: settings and alert channels. */
export const backupExtras = (): Promise<BackupExtras> => readStoredExtras();

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
      settings,
      Date.now(),
    );
    const patterns = [...new Set(views.map((v) => permissionPattern(v.key.baseUrl)))];
    const granted = await Promise.all(patterns.map((origin) => browser.permissions.contains({ origins: [origin] })));
    const missing = new Set(patterns.filter((_, i) => !granted[i]));
    return attentionCounts(views, (v) => missing.has(permissionPattern(v.key.baseUrl)));
  },
  readExtras: readStoredExtras,
  writeExtras: async ({ settings, alerts, channels }) => {
    // Stored channels this version cannot read stay as they are, after the ones written.
    const { unusable } = splitChannels(await channelsItem.getValue());
    // Each channel's site is asked for, like a key's (automation.md §5.1); the Channels section offers it again if refused.
    void askChannelAccess(channels);
    await Promise.all([
      settingsItem.setValue(settings),
      alertSettingsItem.setValue(alerts),
      channelsItem.setValue([...channels, ...unusable]),
    ]);
  },
};
