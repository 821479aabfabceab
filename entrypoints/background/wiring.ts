import { type Browser, browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { badgeFor } from '@/lib/badge';
import type { Commit } from '@/lib/engine';
import { errorText } from '@/lib/error-text';
import { formatTimeLeft } from '@/lib/expiry';
import { formatAmount } from '@/lib/format';
import { concernCounts, concernLabel } from '@/lib/labels';
import type { RedirectWatch } from '@/lib/redirect-watch';
import { permissionPattern, unneededOrigins } from '@/lib/site';
import { unreadableSettings } from '@/lib/storage/check';
import { commitToStorage, keysItem, reportStoredProblems, storageProblemItem, storedProblemsItem } from '@/lib/storage/items';
import { formatResetTime } from '@/lib/window-format';
import { viewsNow } from './attention-views';
import { neededChannelOrigins } from './channels';
import { chosenLocale, languageSettled } from './language';

export const POLL_ALARM = 'poll';

/** One alarm drives all polling; created only when missing so its schedule survives wake-ups. */
export async function ensurePollAlarm(): Promise<void> {
  if (!(await browser.alarms.get(POLL_ALARM))) await browser.alarms.create(POLL_ALARM, { periodInMinutes: 1, delayInMinutes: 0.1 });
}

/**
 * Reports the redirects the extension's own requests get (a 3xx with its `Location`) to
 * `watch`: its fetches see opaque redirects, so this is how a read learns where a site
 * sends it without following (lib/redirect-watch.ts). Only sites the extension has host
 * access to are reported by the browser; requests from tabs are not looked at.
 */
export function watchRedirects(watch: RedirectWatch): void {
  const self = new URL(browser.runtime.getURL('/')).origin;
  browser.webRequest?.onHeadersReceived.addListener(
    (details): undefined => {
      if (details.statusCode < 300 || details.statusCode >= 400 || details.tabId !== -1) return;
      // Chrome says who asked in `initiator`, Firefox in `originUrl`.
      const from = (details as { initiator?: string }).initiator ?? (details as { originUrl?: string }).originUrl ?? '';
      if (!from.startsWith(self)) return;
      const location = details.responseHeaders?.find((h) => h.name.toLowerCase() === 'location')?.value;
      if (location) watch.record(details.url, location);
    },
    { urls: ['<all_urls>'] },
    ['responseHeaders'],
  );
}

export const hasHostAccess = (siteRoot: string) => browser.permissions.contains({ origins: [permissionPattern(siteRoot)] });

/** Privileged messages are answered only for this extension's own pages (never a web page or content script). */
export const isFromThisExtension = (sender: Browser.runtime.MessageSender) =>
  sender.id === browser.runtime.id && !!sender.url?.startsWith(browser.runtime.getURL('/'));

/** Sets the toolbar badge and title from what storage says now. */
export async function showBadge(): Promise<void> {
  // The tooltip speaks the language chosen on the options page (./language.ts).
  await languageSettled();
  const now = Date.now();
  const [{ views, needsAccess }, keys, problem] = await Promise.all([
    viewsNow(now),
    keysItem.getValue(),
    storageProblemItem.getValue().catch(() => null),
  ]);
  const locale = chosenLocale();
  const badge = badgeFor(
    views,
    {
      name: i18n.t('extName'),
      attention: (count) => i18n.t('attentionCount', count, [String(count)]),
      allOk: keys.length ? i18n.t('badgeAllOk') : i18n.t('badgeNoKeys'),
      concern: concernLabel,
      counts: concernCounts,
      figure: (view) => {
        const reading = view.status?.reading;
        if (!reading || reading.unlimited || reading.remaining === null) return null;
        return i18n.t('notifyRemaining', [formatAmount(reading.remaining, reading.unit, locale)]);
      },
      expiring: (view) => i18n.t('badgeExpiring', [formatTimeLeft(view.status?.reading?.expiresAt ?? 0, now, locale)]),
      resumes: (at) => i18n.t('badgeWorksAgain', [formatResetTime(at, now, locale)]),
      ...(problem ? { storageProblem: i18n.t('badgeStorageProblem') } : {}),
      labelled: (name, text) => i18n.t('labelledText', [name, text]),
      separator: i18n.t('listSeparator'),
    },
    now,
    needsAccess,
  );
  await Promise.all([
    browser.action.setBadgeText({ text: badge.text }),
    browser.action.setBadgeBackgroundColor({ color: badge.color }),
    browser.action.setTitle({ title: badge.title }),
  ]);
  // Chrome only; Firefox picks a readable text colour itself.
  await browser.action.setBadgeTextColor?.({ color: '#FFFFFF' });
}

/**
 * Gives back host access no saved key needs any more (a deleted key, an edited site,
 * a draft that was only tested). Patterns the manifest grants at install stay, and so do
 * the sites in `keep` (drafts just read, which the options page may be saving).
 */
export async function releaseUnusedAccess(keep: readonly string[] = []): Promise<string[]> {
  const [keys, granted, channels] = await Promise.all([keysItem.getValue(), browser.permissions.getAll(), neededChannelOrigins()]);
  const required = browser.runtime.getManifest().host_permissions ?? [];
  // Alert channels' sites are kept too, while a channel sends there (automation.md §5.1).
  const unneeded = unneededOrigins(granted.origins ?? [], [...keys.map((k) => k.baseUrl), ...keep, ...channels], required);
  if (unneeded.length) await browser.permissions.remove({ origins: unneeded }).catch(() => false);
  return unneeded;
}

/**
 * Writes a commit; a write the browser refuses (quota full) is remembered in
 * `storage.session` and shown on the badge, the popup and the options page, then
 * rethrown so whoever waits on it hears of it too. The next good write clears it.
 */
export async function commitVisibly(patch: Commit): Promise<void> {
  try {
    await commitToStorage(patch);
  } catch (cause) {
    await storageProblemItem.setValue({ at: Date.now(), message: errorText(cause).slice(0, 200) });
    await showBadge();
    throw cause;
  }
  if (await storageProblemItem.getValue()) await storageProblemItem.setValue(null);
}

/**
 * Settings stored since the check of stored data (lib/storage/check.ts) are checked again: a
 * setting the person saved since is no longer named as unreadable (components/StorageProblem.tsx).
 */
export async function recheckStoredSettings(stored: unknown): Promise<void> {
  const report = await storedProblemsItem.getValue();
  if (!report?.settings.length) return;
  const stillBad = new Set(unreadableSettings(stored));
  const settings = report.settings.filter((name) => stillBad.has(name));
  if (settings.length !== report.settings.length) await reportStoredProblems({ ...report, settings });
}
