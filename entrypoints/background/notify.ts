import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import type { Alert } from '@/lib/alerts';
import { formatAmount } from '@/lib/format';
import { stateLabel } from '@/lib/labels';
import type { KeyConfig } from '@/lib/model';
import { displaySite } from '@/lib/site';
import { keysItem, statusesItem } from '@/lib/storage';
import { keyWriter } from './key-writer';

const PREFIX = 'qg';
const SNOOZE_DAYS = [1, 7] as const;
const notificationId = (keyId: string, kind: string) => `${PREFIX}|${keyId}|${kind}`;
// A watched token's or plan's alert (`<account>:token:<id>`, lib/token-views.ts) acts on its account key.
const keyIdOf = (notificationId: string) =>
  notificationId.startsWith(`${PREFIX}|`) ? notificationId.split('|')[1]?.replace(/:(?:token|plan):\d+$/, '') : undefined;

/** Shows one browser notification per alert. */
export async function announce(alerts: { key: KeyConfig; alert: Alert }[]): Promise<void> {
  if (alerts.length === 0) return;
  const statuses = await statusesItem.getValue();
  const locale = browser.i18n.getUILanguage();
  for (const { key, alert } of alerts) {
    const reading = statuses[key.id]?.reading;
    const amount =
      reading && reading.remaining !== null && !reading.unlimited ? formatAmount(reading.remaining, reading.unit, locale) : null;
    const title =
      alert.kind === 'expiring'
        ? i18n.t('notifyExpiring', [key.label, String(alert.days ?? 1)])
        : alert.kind === 'forecast'
          ? i18n.t('notifyForecast', [key.label, String(alert.days ?? 0)])
          : i18n.t('notifyState', [key.label, stateLabel(alert.state)]);
    const message = [amount ? i18n.t('notifyRemaining', [amount]) : null, displaySite(key.baseUrl)].filter(Boolean).join(' · ');
    await browser.notifications.create(notificationId(key.id, alert.kind), {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title,
      message,
      priority: alert.state === 'low' || alert.kind !== 'state' ? 0 : 2,
      // Buttons are Chrome-only; Firefox shows the notification without them.
      ...(import.meta.env.FIREFOX ? {} : { buttons: SNOOZE_DAYS.map((days) => ({ title: i18n.t('snoozeDays', [String(days)]) })) }),
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
