import { type Browser, browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { badgeFor } from '@/lib/badge';
import { stateLabel } from '@/lib/labels';
import { permissionPattern } from '@/lib/site';
import { rankKeys, withDefaults } from '@/lib/state';
import { keysItem, settingsItem, statusesItem } from '@/lib/storage';
import { allViewsBySeverity } from '@/lib/token-views';

export const POLL_ALARM = 'poll';

/** One alarm drives all polling; created only when missing so its schedule survives wake-ups. */
export async function ensurePollAlarm(): Promise<void> {
  if (!(await browser.alarms.get(POLL_ALARM))) await browser.alarms.create(POLL_ALARM, { periodInMinutes: 1, delayInMinutes: 0.1 });
}

export const hasHostAccess = (siteRoot: string) => browser.permissions.contains({ origins: [permissionPattern(siteRoot)] });

/** Privileged messages are answered only for this extension's own pages (never a web page or content script). */
export const isFromThisExtension = (sender: Browser.runtime.MessageSender) =>
  sender.id === browser.runtime.id && !!sender.url?.startsWith(browser.runtime.getURL('/'));

/** Sets the toolbar badge and title from what storage says now. */
export async function showBadge(): Promise<void> {
  const [keys, statuses, settings] = await Promise.all([keysItem.getValue(), statusesItem.getValue(), settingsItem.getValue()]);
  const views = allViewsBySeverity(rankKeys(keys, statuses, withDefaults(settings), Date.now()), withDefaults(settings), Date.now());
  const badge = badgeFor(views, {
    name: i18n.t('extName'),
    attention: i18n.t('badgeAttention'),
    allOk: keys.length ? i18n.t('badgeAllOk') : i18n.t('badgeNoKeys'),
    state: stateLabel,
  });
  await Promise.all([
    browser.action.setBadgeText({ text: badge.text }),
    browser.action.setBadgeBackgroundColor({ color: badge.color }),
    browser.action.setTitle({ title: badge.title }),
  ]);
  // Chrome only; Firefox picks a readable text colour itself.
  await browser.action.setBadgeTextColor?.({ color: '#FFFFFF' });
}
