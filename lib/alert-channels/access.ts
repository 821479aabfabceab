/** Host access for alert channels on the options page: asked for on save and import, checked for the list. */
import { browser } from 'wxt/browser';
import type { Channel } from '../channels';
import { permissionPattern } from '../site';
import { channelOrigin, channelOrigins } from './origins';

/** The host patterns of these channels the extension may not contact yet. */
export async function channelsWithoutAccess(channels: readonly Channel[]): Promise<string[]> {
  const patterns = channelOrigins(channels).map((origin) => permissionPattern(origin));
  const has = await Promise.all(patterns.map((origin) => browser.permissions.contains({ origins: [origin] }).catch(() => false)));
  return patterns.filter((_, i) => !has[i]);
}

/**
 * Asks for the sites of these channels. Must start within the click (or file choice) that
 * saves them: the request is made before anything is awaited. False when refused or when
 * the browser will not ask now (the list then offers to ask again).
 */
export function askChannelAccess(channels: readonly Channel[]): Promise<boolean> {
  const patterns = channelOrigins(channels).map((origin) => permissionPattern(origin));
  if (!patterns.length) return Promise.resolve(true);
  try {
    return browser.permissions.request({ origins: patterns }).catch(() => false);
  } catch {
    // Outside a user's gesture some browsers throw at once instead of refusing.
    return Promise.resolve(false);
  }
}

export const patternOf = (channel: Channel): string | null => {
  const origin = channelOrigin(channel);
  return origin ? permissionPattern(origin) : null;
};
