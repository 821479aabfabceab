/**
 * Which alert channels keep failing, from their delivery statuses (`local:channelStatus`,
 * ./status-item.ts). Apart from the storage item, so the popup reads the statuses its
 * own way (lib/page-store.ts) and loads no storage library for them.
 */
import type { ChannelStatuses } from './deliver';

/** Failed tries in a row from which the popup says a channel keeps failing (one message's 3 tries). */
export const FAILING_AFTER = 3;

/** Labels of channels that keep failing (the key of the statuses is `type` + line break + `label`). */
export const failingChannels = (statuses: ChannelStatuses | null | undefined): string[] =>
  Object.entries(statuses ?? {})
    .filter(([, s]) => s?.status === 'error' && (s.failing ?? 0) >= FAILING_AFTER)
    .map(([id]) => id.slice(id.indexOf('\n') + 1));
