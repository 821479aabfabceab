/**
 * Each channel's delivery status (`local:channelStatus`). Written only by the background;
 * the options page lists it, the popup reads it (a few bytes) to say when a channel keeps
 * failing. No secret is stored here: channels are named by type and label. (The outbox
 * is ./outbox-item.ts, which the popup does not load.)
 */
import { storage } from 'wxt/utils/storage';
import type { ChannelStatuses } from './deliver';

export const channelStatusItem = storage.defineItem<ChannelStatuses>('local:channelStatus', { fallback: {}, version: 1 });

/** Failed tries in a row from which the popup says a channel keeps failing (one message's 3 tries). */
export const FAILING_AFTER = 3;

/** Labels of channels that keep failing (the key of the statuses is `type` + line break + `label`). */
export const failingChannels = (statuses: ChannelStatuses | null | undefined): string[] =>
  Object.entries(statuses ?? {})
    .filter(([, s]) => s?.status === 'error' && (s.failing ?? 0) >= FAILING_AFTER)
    .map(([id]) => id.slice(id.indexOf('\n') + 1));
