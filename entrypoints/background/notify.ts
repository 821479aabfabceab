import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import type { Alert } from '@/lib/alerts';
import { formatTimeLeft } from '@/lib/expiry';
import { formatAmount } from '@/lib/format';
import { stateLabel, windowLabel } from '@/lib/labels';
import type { KeyConfig, Reading } from '@/lib/model';
import { alertSettingsWithDefaults } from '@/lib/settings-v3';
import { displaySite } from '@/lib/site';
import { alertSettingsItem, keysItem, statusesItem } from '@/lib/storage/items';
import { formatResetTime } from '@/lib/window-format';
import { attentionCountNow } from './attention-views';
import { keyWriter } from './key-writer';
import { chosenLocale, languageSettled } from './language';

const PREFIX = 'qg';
const SNOOZE_DAYS = [1, 7] as const;
const notificationId = (keyId: string, kind: string) => `${PREFIX}|${keyId}|${kind}`;
// A watched token's or plan's alert (`<account>:token:<id>`, lib/token-views.ts) acts on its account key.
const keyIdOf = (notificationId: string) =>
  notificationId.startsWith(`${PREFIX}|`) ? notificationId.split('|')[1]?.replace(/:(?:token|plan):\d+$/, '') : undefined;

/** Most notifications one round of reads raises (shared/spec/automation.md §5). */
export const MAX_NOTIFICATIONS_PER_ROUND = 3;
const SEVERITY: Record<string, number> = { expired: 0, exhausted: 1, invalid: 2, capped: 3, low: 4 };
const LATER: Record<string, number> = { expiring: 6, restored: 8 };
const rank = ({ alert }: { alert: Alert }) => (alert.kind === 'state' ? (SEVERITY[alert.state] ?? 5) : (LATER[alert.kind] ?? 7));

/** One alert's title and message, in the browser's language. The secret never appears: only label, site and figures. */
function describe(key: KeyConfig, alert: Alert, reading: Reading | null | undefined, locale: string, now: number) {
  const site = displaySite(key.baseUrl);
  const amount = reading && reading.remaining !== null && !reading.unlimited ? formatAmount(reading.remaining, reading.unit, locale) : null;
  if (alert.kind === 'expiring') {
    const left = alert.expiresAt ? formatTimeLeft(alert.expiresAt, now, locale) : '';
    return {
      title: left
        ? i18n.t('notifyExpiringIn', [key.label, left])
        : i18n.t('notifyExpiring', alert.days ?? 1, [key.label, String(alert.days ?? 1)]),
      message: [amount ? i18n.t('notifyRemaining', [amount]) : null, site].filter(Boolean).join(' · '),
    };
  }
  if (alert.kind === 'restored') {
    return {
      title: i18n.t('notifyRestored', [key.label]),
      message: [amount ? i18n.t('notifyRemaining', [amount]) : null, site].filter(Boolean).join(' · '),
    };
  }
  if (alert.kind === 'state' && alert.state === 'low' && alert.days) {
    // Low by its runway (lib/state.ts `runsOutSoon`): "CI key runs out in about 2 days", with what is left.
    return {
      title: i18n.t('notifyForecast', alert.days, [key.label, String(alert.days)]),
      message: [amount ? i18n.t('notifyRemaining', [amount]) : null, site].filter(Boolean).join(' · '),
    };
  }
  if (alert.state === 'capped') {
    // "CI key: 5-hour window full" / "works again at 15:20": it is not used up, it waits (automation.md §5).
    const title = alert.window
      ? i18n.t('notifyCapped', [key.label, windowLabel(alert.window)])
      : i18n.t('notifyState', [key.label, stateLabel('capped')]);
    const again = alert.resumesAt
      ? i18n.t('notifyWorksAgain', [formatResetTime(alert.resumesAt, now, locale)])
      : i18n.t('notifyWorksAgainUnknown');
    return { title, message: `${again} · ${site}` };
  }
  const title = i18n.t('notifyState', [key.label, stateLabel(alert.state)]);
  // What the state means, never "$2.00 left" for a key that cannot be used.
  if (alert.state === 'expired') return { title, message: i18n.t('notifyExpiredBody', [site]) };
  if (alert.state === 'exhausted') return { title, message: i18n.t('notifyExhaustedBody', [site]) };
  if (alert.state === 'invalid') return { title, message: i18n.t('notifyInvalidBody', [site]) };
  return { title, message: [amount ? i18n.t('notifyRemaining', [amount]) : null, site].filter(Boolean).join(' · ') };
}

/**
 * Announces one round's alerts, most severe first: each on its own when there are at
 * most three, otherwise all together in one notification that lists them.
 */
export async function announce(round: { key: KeyConfig; alert: Alert }[]): Promise<void> {
  // With notifications off, alerts are `quiet`: for alert channels only (lib/alerts.ts).
  const all = round.filter(({ alert }) => !alert.quiet);
  if (all.length === 0) return;
  // A key back at work is announced unless the person turned that off (backup version 3 `notifyRestored`).
  const { notifyRestored } = alertSettingsWithDefaults(await alertSettingsItem.getValue().catch(() => ({})));
  const alerts = notifyRestored ? all : all.filter(({ alert }) => alert.kind !== 'restored');
  if (alerts.length === 0) return;
  const statuses = await statusesItem.getValue();
  // In the language chosen on the options page (./language.ts).
  await languageSettled();
  const locale = chosenLocale();
  const now = Date.now();
  const sorted = [...alerts].sort((a, b) => rank(a) - rank(b));
  const iconUrl = browser.runtime.getURL('/icon/128.png');
  if (sorted.length > MAX_NOTIFICATIONS_PER_ROUND) {
    const shown = 6;
    const lines = sorted.slice(0, shown).map(({ key, alert }) => describe(key, alert, statuses[key.id]?.reading, locale, now).title);
    if (sorted.length > shown) lines.push(i18n.t('notifyGroupMore', [String(sorted.length - shown)]));
    const worst = sorted[0]?.alert;
    // The title counts the keys that need attention now, as the badge and the popup's headline
    // do (lib/attention.ts), not this round's lines; keys back at work do not count.
    const troubled = sorted.some((a) => a.alert.kind !== 'restored');
    const count = troubled ? await attentionCountNow(now) : 0;
    // So the title's count and the lines under it add up: the keys it counts that this round does not list
    // (announced before, or never announced, as a key that cannot be read).
    const others = count - new Set(sorted.filter((a) => a.alert.kind !== 'restored').map((a) => a.key.id)).size;
    if (others > 0) lines.push(i18n.t('notifyGroupOthers', others, [String(others)]));
    await browser.notifications.create(`${PREFIX}|group|${now}`, {
      type: 'basic',
      iconUrl,
      title: !troubled
        ? i18n.t('notifyGroupBack', [String(new Set(sorted.map((a) => a.key.id)).size)])
        : count
          ? i18n.t('attentionCount', count, [String(count)])
          : i18n.t('extName'),
      message: lines.join('\n'),
      priority: worst?.kind === 'state' && worst.state !== 'low' && worst.state !== 'capped' ? 2 : 0,
    });
    return;
  }
  for (const { key, alert } of sorted) {
    const { title, message } = describe(key, alert, statuses[key.id]?.reading, locale, now);
    await browser.notifications.create(notificationId(key.id, alert.kind), {
      type: 'basic',
      iconUrl,
      title,
      message,
      priority: alert.state === 'low' || alert.state === 'capped' || alert.kind !== 'state' ? 0 : 2,
      // Buttons are Chrome-only; Firefox shows the notification without them.
      ...(import.meta.env.FIREFOX ? {} : { buttons: SNOOZE_DAYS.map((days) => ({ title: i18n.t('snoozeDays', days, [String(days)]) })) }),
    });
  }
}

/** Clicking a notification opens the key's site, where it can be topped up or renewed. */
export async function handleNotificationClick(id: string): Promise<void> {
  const keyId = keyIdOf(id);
  const key = (await keysItem.getValue()).find((k) => k.id === keyId);
  if (!key) return;
  await browser.notifications.clear(id);
  await browser.tabs.create({ url: key.baseUrl });
}

/** The notification's buttons snooze that key for a day or a week. */
export async function handleNotificationButton(id: string, button: number): Promise<void> {
  const keyId = keyIdOf(id);
  const days = SNOOZE_DAYS[button];
  if (!keyId || !days) return;
  const until = Date.now() + days * 86_400_000;
  await keyWriter.change({ type: 'patch', id: keyId, fields: { snoozedUntil: until } });
  await browser.notifications.clear(id);
}
