/** The site each channel sends to, for host access (automation.md §5.1): asked for on save and import, given back when unused. */
import type { Channel } from '../channels';
import { serverChanUrl } from './requests';

/** The origin (`https://host:port`) a channel's requests go to; null when its address cannot be read. */
export function channelOrigin(channel: Channel): string | null {
  const address =
    channel.type === 'serverchan'
      ? serverChanUrl(channel.sendKey)
      : channel.type === 'ntfy' || channel.type === 'telegram' || channel.type === 'bark'
        ? channel.server
        : channel.url;
  try {
    return new URL(address).origin;
  } catch {
    return null;
  }
}

/** Every origin the channels send to, each once. */
export const channelOrigins = (channels: readonly Channel[]): string[] => [
  ...new Set(channels.map(channelOrigin).filter((o): o is string => o !== null)),
];
