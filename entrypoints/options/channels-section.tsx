/**
 * The options page's Channels section: reads the channels, their statuses and the outbox
 * from storage, writes the channel list and the alert settings, and asks the background
 * for trial messages, Resend and Dismiss. The list itself is components/ChannelList.tsx.
 */
import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { CHANNEL_FIELDS, ChannelList, channelKey } from '@/components/ChannelList';
import { askChannelAccess, channelsWithoutAccess, patternOf } from '@/lib/alert-channels/access';
import { outboxOf } from '@/lib/alert-channels/outbox';
import { outboxItem } from '@/lib/alert-channels/outbox-item';
import { channelStatusItem } from '@/lib/alert-channels/status-item';
import { CHANNEL_SCHEMAS, CHANNEL_TYPES, type Channel, type ChannelType, splitChannels } from '@/lib/channels';
import { UNSAFE_MESSAGE } from '@/lib/mask';
import { sendMessage } from '@/lib/messages';
import { alertSettingsWithDefaults } from '@/lib/settings-v3';
import { alertSettingsItem, channelsItem } from '@/lib/storage/items';
import { useStored } from '@/lib/storage/use-stored';

const SECRET_FIELDS = new Set(['url', 'token', 'botToken', 'deviceKey', 'signSecret', 'sendKey']);

/** ntfy's own rule for a topic, which its servers hold to (they refuse others): 1–64 letters, digits, `-` and `_`. */
export const NTFY_TOPIC = /^[-_A-Za-z0-9]{1,64}$/;

/** A field's name as the form's label shows it. */
function fieldLabel(type: ChannelType, name: string): string {
  if (name === 'label') return i18n.t('channelLabel');
  const field = CHANNEL_FIELDS[type].find((f) => f.name === name);
  return field ? (i18n.t as (key: string) => string)(field.label) : name;
}

type Issue = { code: string; path: PropertyKey[]; message: string; maximum?: unknown };

/** What is wrong with a field of the form, in the reader's language, naming the field as its label does. */
function issueText(type: ChannelType, issue: Issue, raw: Record<string, unknown>): string {
  const name = String(issue.path[0] ?? '');
  const field = fieldLabel(type, name);
  if (raw[name] === undefined || issue.code === 'too_small') return i18n.t('channelProblemEmpty', [field]);
  if (issue.code === 'too_big') return i18n.t('channelProblemTooLong', [field, String(issue.maximum)]);
  if (issue.message === UNSAFE_MESSAGE) return i18n.t('channelProblemUnsafe', [field]);
  if (name === 'url' || name === 'server') return i18n.t('channelProblemUrl', [field]);
  return i18n.t('channelProblemInvalid', [field]);
}

/** A draft as a channel: empty secrets keep the stored ones, empty optional fields are left out; or what is wrong. */
export function channelFromDraft(
  draft: Record<string, string>,
  previous: Channel | null,
  others: readonly Channel[],
): { ok: true; channel: Channel } | { ok: false; problem: string } {
  const type = draft.type as ChannelType;
  if (!CHANNEL_TYPES.includes(type)) return { ok: false, problem: `Unknown channel type ${String(draft.type)}` };
  const raw: Record<string, unknown> = { type };
  const stored = previous as Record<string, unknown> | null;
  for (const name of Object.keys(CHANNEL_SCHEMAS[type].shape)) {
    if (name === 'type') continue;
    const value = (draft[name] ?? '').trim();
    if (value) raw[name] = value;
    else if (SECRET_FIELDS.has(name) && previous?.type === type && typeof stored?.[name] === 'string') raw[name] = stored[name];
  }
  const parsed = CHANNEL_SCHEMAS[type].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as Issue;
    return { ok: false, problem: issueText(type, issue, raw) };
  }
  const channel = parsed.data as Channel;
  // A topic ntfy would refuse (a space, a dot…) is refused here, before anything is sent.
  if (channel.type === 'ntfy' && !NTFY_TOPIC.test(channel.topic))
    return { ok: false, problem: i18n.t('channelProblemTopic', [fieldLabel('ntfy', 'topic')]) };
  if (others.some((c) => c !== previous && channelKey(c) === channelKey(channel)))
    return {
      ok: false,
      problem: i18n.t('channelProblemExists', [
        (i18n.t as (key: string) => string)(`channelKind${type[0]?.toUpperCase()}${type.slice(1)}`),
        channel.label,
      ]),
    };
  return { ok: true, channel };
}

export function ChannelsSection({ locale }: { locale: string }) {
  const stored = useStored(channelsItem);
  const statuses = useStored(channelStatusItem) ?? {};
  const box = outboxOf(useStored(outboxItem));
  const alerts = alertSettingsWithDefaults(useStored(alertSettingsItem) ?? {});
  const { channels, unusable } = splitChannels(stored ?? []);
  const [noAccess, setNoAccess] = useState<ReadonlySet<string>>(new Set());
  const [checked, setChecked] = useState(0);

  const channelsText = JSON.stringify(channels);
  useEffect(() => {
    let live = true;
    void channelsWithoutAccess(channels).then((missing) => {
      if (!live) return;
      const lacking = new Set(missing);
      setNoAccess(new Set(channels.filter((c) => lacking.has(patternOf(c) ?? '')).map(channelKey)));
    });
    return () => {
      live = false;
    };
  }, [channelsText, checked]);

  const write = (list: Channel[]) => channelsItem.setValue([...list, ...unusable]);

  return (
    <ChannelList
      channels={channels}
      statuses={statuses}
      outbox={box.entries}
      dropped={box.dropped ?? {}}
      noAccess={noAccess}
      alerts={alerts}
      locale={locale}
      onSave={async (draft, previous) => {
        const made = channelFromDraft(draft, previous, channels);
        if (!made.ok) return made.problem;
        // Asked within the click, before anything is awaited (a permission request needs the gesture).
        const access = askChannelAccess([made.channel]);
        await write(previous ? channels.map((c) => (c === previous ? made.channel : c)) : [...channels, made.channel]);
        await access;
        setChecked((n) => n + 1);
        return null;
      }}
      onRemove={(channel) => void write(channels.filter((c) => c !== channel))}
      onTest={async (channel) => {
        const access = askChannelAccess([channel]);
        await access;
        setChecked((n) => n + 1);
        return sendMessage('testChannel', channel);
      }}
      onResend={(id) => void sendMessage('outboxResend', { id }).catch(() => undefined)}
      onDismiss={(id) => void sendMessage('outboxDismiss', { id }).catch(() => undefined)}
      onGrant={() => {
        void askChannelAccess(channels.filter((c) => noAccess.has(channelKey(c)))).then(() => setChecked((n) => n + 1));
      }}
      onAlerts={(next) => void alertSettingsItem.setValue(next)}
    />
  );
}

export const channelsHeading = () => i18n.t('channelsTitle');
