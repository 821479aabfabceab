/**
 * Each channel's delivery status (`local:channelStatus`). Written only by the background;
 * the options page lists it, the popup reads it (a few bytes) to say when a channel keeps
 * failing. No secret is stored here: channels are named by type and label. (The outbox
 * is ./outbox-item.ts, which the popup does not load.)
 */
import { storage } from 'wxt/utils/storage';
import type { ChannelStatuses } from './deliver';

export const channelStatusItem = storage.defineItem<ChannelStatuses>('local:channelStatus', { fallback: {}, version: 1 });
