/**
 * Alert channels in the background (automation.md §5.1): after each round of reads its
 * announcements go out as one message per channel through the outbox; each round also
 * retries what was not delivered; a daily digest at the chosen hour; the options page's
 * Test, Resend and Dismiss. The work is in lib/alert-channels/; this wires it to storage,
 * the clock, the alarm and the person's language.
 */
import { browser } from 'wxt/browser';
import {
  accountOf,
  channelAnnouncements,
  digestMessage,
  lineOf,
  roundMessage,
  testMessage,
  type Words,
} from '@/lib/alert-channels/compose';
import { createChannelRunner } from '@/lib/alert-channels/deliver';
import { digestDue, localDay, nextDigestAt } from '@/lib/alert-channels/digest-time';
import { channelOrigins } from '@/lib/alert-channels/origins';
import { outboxOf } from '@/lib/alert-channels/outbox';
import { outboxItem } from '@/lib/alert-channels/outbox-item';
import { channelStatusItem } from '@/lib/alert-channels/status-item';
import type { Alert } from '@/lib/alerts';
import { appearanceOf, localeTag, type MessagesJson, messageGetter } from '@/lib/appearance';
import { appearanceItem } from '@/lib/appearance-item';
import { type Channel, splitChannels } from '@/lib/channels';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import { alertSettingsWithDefaults } from '@/lib/settings-v3';
import { keyState } from '@/lib/state';
import { alertSettingsItem, channelsItem, keysItem, settingsItem, statusesItem } from '@/lib/storage/items';
import { planChildren, tokenChildren } from '@/lib/token-views';

export const DIGEST_ALARM = 'digest';

const storedChannels = async (): Promise<Channel[]> => splitChannels(await channelsItem.getValue()).channels;

/** The locale files the extension ships, by the language a person can choose. */
const SHIPPED = ['en', 'zh_CN', 'ja'] as const;

/** The words of the language the person chose for the extension ('browser': the browser's, when shipped). */
async function words(): Promise<Words> {
  const { language } = appearanceOf(await appearanceItem.getValue().catch(() => null));
  const browserLocale = browser.i18n.getUILanguage();
  const fromBrowser = /^zh/i.test(browserLocale) ? 'zh_CN' : /^ja/i.test(browserLocale) ? 'ja' : 'en';
  const chosen = language === 'browser' ? fromBrowser : language;
  const file = SHIPPED.includes(chosen) ? chosen : 'en';
  try {
    const response = await fetch(browser.runtime.getURL(`/_locales/${file}/messages.json` as '/popup.html'));
    return { t: messageGetter((await response.json()) as MessagesJson), locale: localeTag(language, browserLocale) };
  } catch {
    return { t: (key, subs) => browser.i18n.getMessage(key as never, subs), locale: browserLocale };
  }
}

const runner = createChannelRunner({
  fetch: (...args) => fetch(...args),
  now: Date.now,
  channels: storedChannels,
  outbox: outboxItem,
  statuses: channelStatusItem,
  keySecrets: async () => (await keysItem.getValue()).map((k) => k.secret),
});

/**
 * A round's announcements, less restored keys when that is off and muted keys (snoozed
 * keys were never announced), as one message per channel, sent at once.
 */
export async function announceOnChannels(all: { key: KeyConfig; alert: Alert }[]): Promise<void> {
  if (!all.length || !(await storedChannels()).length) return;
  const [{ notifyRestored }, keys, statuses] = await Promise.all([
    alertSettingsItem.getValue().then(alertSettingsWithDefaults, () => alertSettingsWithDefaults({})),
    keysItem.getValue(),
    statusesItem.getValue(),
  ]);
  const announced = channelAnnouncements(all, keys, notifyRestored);
  const byId = new Map(keys.map((k) => [k.id, k]));
  const lines = announced.map(({ key, alert }) => {
    const own = statuses[key.id]?.reading;
    const account = accountOf(key.id);
    return lineOf(key, alert, own ?? childReading(byId.get(account), statuses[account], key.id));
  });
  const message = roundMessage(lines, await words());
  if (message) await runner.round(message);
}

/**
 * A round of reads that began at `since` ended (a Refresh, an import, a poll that read
 * keys): each message not delivered yet gets one more try. (The digest waits for its
 * alarm, which the browser fires late when it was closed at the hour: a round never
 * adds a digest to what a channel receives.)
 */
export async function afterRound(since: number): Promise<void> {
  if (outboxOf(await outboxItem.getValue()).entries.length) await runner.retry(since);
}

/** A watched token or plan has no status of its own: its figures are read from its account's (lib/token-views.ts). */
function childReading(account: KeyConfig | undefined, status: KeyStatus | undefined, id: string) {
  if (!account) return null;
  return [...tokenChildren(account, status), ...planChildren(account, status)].find((c) => c.key.id === id)?.status.reading ?? null;
}

/** The digest alarm at the next digest hour, or none when no hour is set. */
export async function scheduleDigest(): Promise<void> {
  const { digestHour } = alertSettingsWithDefaults(await alertSettingsItem.getValue().catch(() => ({})));
  if (digestHour === null) {
    await browser.alarms.clear(DIGEST_ALARM);
    return;
  }
  await browser.alarms.create(DIGEST_ALARM, { when: nextDigestAt(Date.now(), digestHour) });
}

/** The alarm rang (or a round noticed the hour passed while the browser slept): today's digest, once. */
export async function sendDigestIfDue(): Promise<void> {
  const { digestHour } = alertSettingsWithDefaults(await alertSettingsItem.getValue().catch(() => ({})));
  const channels = await storedChannels();
  const now = Date.now();
  if (digestHour === null || !channels.length) return;
  const box = outboxOf(await outboxItem.getValue());
  if (!digestDue(now, digestHour, box.digestDay)) return;
  const [keys, statuses, settings] = await Promise.all([keysItem.getValue(), statusesItem.getValue(), settingsItem.getValue()]);
  const message = digestMessage(
    keys.map((key) => ({ key, status: statuses[key.id], state: keyState(key, statuses[key.id], settings, now) })),
    now,
    await words(),
  );
  await runner.digest(message, localDay(now));
}

/** The options page's Test: a test message sent now; the service's answer, redacted. */
export async function testChannel(channel: Channel): Promise<{ delivered: boolean; answer: string }> {
  return runner.test(channel, testMessage(await words()));
}

export const resendMessage = (id: string) => runner.resend(id);
/** After the channel list changed: statuses and messages of channels no longer in it go. */
export const forgetRemovedChannels = () => runner.prune();
export const dismissMessage = (id: string) => runner.dismiss(id);

/** Origins the stored channels send to: their host access is kept (wiring.ts `releaseUnusedAccess`). */
export const neededChannelOrigins = async () => channelOrigins(await storedChannels());
