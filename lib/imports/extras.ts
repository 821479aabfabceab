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
  const merge = mergeChannels(stored.channels, found.channels);
  // Positions in the file: every channel there was read or skipped as unknown (any other refuses the file).
  const unknownAt = new Set(found.unknownChannels.map((c) => c.position));
  const inFile: number[] = [];
  for (let position = 1; inFile.length < found.channels.length; position++) if (!unknownAt.has(position)) inFile.push(position);
  const channels = { ...merge, masked: merge.masked.map((c) => ({ ...c, position: inFile[c.position - 1] ?? c.position })) };
  return {
    extras: { settings: applied.settings, alerts: applied.alerts, channels: channels.channels },
    settings: !!found.settings,
    channels,
  };
}
