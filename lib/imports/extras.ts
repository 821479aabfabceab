import { type Channel, type ChannelMerge, mergeChannels } from '../channels';
import type { Settings } from '../schema';
import { type AlertSettings, applyFileSettings } from '../settings-v3';
import type { BackupExtrasFound } from './detect';

/** Settings and alert channels as stored: what a version 3 file's `settings` and `channels` change. */
export interface StoredExtras {
  settings: Settings;
  alerts: AlertSettings;
  channels: Channel[];
}

export interface ExtrasMerge {
  extras: StoredExtras;
  /** The file named settings, and they were applied. */
  settings: boolean;
  channels: ChannelMerge;
}

/**
 * A version 3 file's settings and channels applied to the stored ones (automation.md §3.4):
 * settings the file names replace the stored ones, the rest stay; channels merge by
 * type and label (lib/channels.ts). Pure; never refuses.
 */
export function mergeExtras(stored: StoredExtras, found: BackupExtrasFound): ExtrasMerge {
  const applied = found.settings ? applyFileSettings(stored.settings, stored.alerts, found.settings) : stored;
  const channels = mergeChannels(stored.channels, found.channels);
  return {
    extras: { settings: applied.settings, alerts: applied.alerts, channels: channels.channels },
    settings: !!found.settings,
    channels,
  };
}
