/**
 * The options page's alert channels (automation.md §5.1): each channel with its status,
 * last failure and last delivery as `data-channel*` attributes, its messages not
 * delivered (Resend, Dismiss), a form to add or change one with a hint per field, a
 * trial message, and the restored and digest settings. Props in, events out: the page
 * reads storage and talks to the background (entrypoints/options/channels-section.tsx).
 */
import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { ChannelStatuses } from '@/lib/alert-channels/deliver';
import { MAX_TRIES, type OutboxEntry } from '@/lib/alert-channels/outbox';
import { CHANNEL_TYPES, type Channel, type ChannelType, maskUrl } from '@/lib/channels';
import { errorText } from '@/lib/error-text';
import { maskSecret } from '@/lib/mask';
import type { AlertSettings } from '@/lib/settings-v3';
import { ConfirmButton } from './ConfirmButton';
import { TextField } from './TextField';

type Field = { name: string; label: string; hint: string; secret?: boolean; optional?: boolean; placeholder?: string };

const F = {
  url: (hint: string): Field => ({ name: 'url', label: 'channelFieldUrl', hint, secret: true }),
  server: (hint: string, placeholder: string): Field => ({
    name: 'server',
    label: 'channelFieldServer',
    hint,
    optional: true,
    placeholder,
  }),
  sign: (hint: string): Field => ({ name: 'signSecret', label: 'channelFieldSignSecret', hint, secret: true, optional: true }),
};

/** Each type's fields, in the order the form shows them (lib/channels.ts holds their rules). */
export const CHANNEL_FIELDS: Record<ChannelType, Field[]> = {
  webhook: [F.url('channelHintWebhook')],
  ntfy: [
    F.server('channelHintNtfyServer', 'https://ntfy.sh'),
    { name: 'topic', label: 'channelFieldTopic', hint: 'channelHintNtfyTopic' },
    { name: 'token', label: 'channelFieldToken', hint: 'channelHintNtfyToken', secret: true, optional: true },
  ],
  telegram: [
    { name: 'botToken', label: 'channelFieldBotToken', hint: 'channelHintTelegramBotToken', secret: true },
    { name: 'chatId', label: 'channelFieldChatId', hint: 'channelHintTelegramChatId' },
    F.server('channelHintTelegramServer', 'https://api.telegram.org'),
  ],
  bark: [
    { name: 'deviceKey', label: 'channelFieldDeviceKey', hint: 'channelHintBarkDeviceKey', secret: true },
    F.server('channelHintBarkServer', 'https://api.day.app'),
  ],
  dingtalk: [F.url('channelHintDingtalkUrl'), F.sign('channelHintDingtalkSign')],
  feishu: [F.url('channelHintFeishuUrl'), F.sign('channelHintFeishuSign')],
  wecom: [F.url('channelHintWecomUrl')],
  serverchan: [{ name: 'sendKey', label: 'channelFieldSendKey', hint: 'channelHintServerchanKey', secret: true }],
};

const t = (key: string, subs?: string | string[]) =>
  (i18n.t as (key: string, subs?: string[]) => string)(key, subs === undefined ? undefined : Array.isArray(subs) ? subs : [subs]);
const typeName = (type: ChannelType) => t(`channelKind${type[0]?.toUpperCase()}${type.slice(1)}`);
export const channelKey = (c: { type: string; label: string }) => `${c.type}\n${c.label}`;

/** Where a channel sends, as shown: secrets masked. */
function destination(channel: Channel): string {
  const c = channel as Record<string, string>;
  if (c.url) return maskUrl(c.url);
  if (channel.type === 'ntfy') return `${channel.server}/${channel.topic}`;
  if (channel.type === 'serverchan') return maskSecret(channel.sendKey);
  return c.server ?? '';
}

/** How a trial message went: `answer` is the service's raw answer (redacted), `reason` why it was not delivered. */
export interface TrialAnswer {
  delivered: boolean;
  answer: string;
  reason?: string;
}

/**
 * A trial's result in words (issue #19, new user's findings): sent, refused by the service (its
 * reason), or not sent at all (no answer, network); the raw answer only behind a toggle.
 */
function TrialResult({ result }: { result: TrialAnswer }) {
  // The service answered (an HTTP status) but refused, or no answer came at all.
  const answered = /^HTTP \d/.test(result.answer);
  const reason = result.reason ?? result.answer;
  return (
    <div class={result.delivered ? 'notice' : 'problem'} role="status" data-trial={result.delivered ? 'sent' : 'refused'}>
      <p>{result.delivered ? t('channelTrialSent') : answered ? t('channelTrialRefused', [reason]) : t('channelTrialFailed', [reason])}</p>
      {answered ? (
        <details>
          <summary>{t('channelTrialAnswer')}</summary>
          <code>{result.answer}</code>
        </details>
      ) : null}
    </div>
  );
}

/** A draft being edited: field name → text; secrets left empty keep the stored ones. */
type Draft = Record<string, string>;

export interface ChannelListProps {
  channels: Channel[];
  statuses: ChannelStatuses;
  outbox: OutboxEntry[];
  dropped: Record<string, number>;
  /** Channels whose site the extension may not contact (by `channelKey`). */
  noAccess: ReadonlySet<string>;
  alerts: AlertSettings;
  locale: string;
  /** Save a draft (`previous`: the channel it changes); resolves with a problem to show, or null. */
  onSave: (draft: Draft, previous: Channel | null) => Promise<string | null>;
  onRemove: (channel: Channel) => void;
  /** Sends a trial message: delivered or not, the service's answer (redacted) and, when not delivered, why. */
  onTest: (channel: Channel) => Promise<TrialAnswer>;
  onResend: (id: string) => void;
  onDismiss: (id: string) => void;
  onGrant: () => void;
  onAlerts: (next: AlertSettings) => void;
}

function ChannelForm({
  previous,
  onSave,
  onCancel,
}: {
  previous: Channel | null;
  onSave: (draft: Draft) => Promise<string | null>;
  onCancel: () => void;
}) {
  const [type, setType] = useState<ChannelType>(previous?.type ?? 'webhook');
  const [draft, setDraft] = useState<Draft>(() => {
    if (!previous) return { label: '' };
    const out: Draft = {};
    for (const [name, value] of Object.entries(previous)) if (typeof value === 'string') out[name] = value;
    for (const field of CHANNEL_FIELDS[previous.type]) if (field.secret) out[field.name] = '';
    return out;
  });
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = (name: string) => `channel-${previous ? 'edit' : 'add'}-${name}`;
  const stored = previous as Record<string, string> | null;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const result = await onSave({ ...draft, type });
    setBusy(false);
    setProblem(result);
  };
  return (
    <form class="channel-form" onSubmit={(e) => void submit(e)}>
      {previous ? null : (
        <label>
          <span>{t('channelType')}</span>
          <select value={type} onChange={(e) => setType(e.currentTarget.value as ChannelType)}>
            {CHANNEL_TYPES.map((c) => (
              <option key={c} value={c}>
                {typeName(c)}
              </option>
            ))}
          </select>
        </label>
      )}
      <TextField
        id={id('label')}
        label={t('channelLabel')}
        value={draft.label ?? ''}
        onValue={(v) => setDraft({ ...draft, label: v })}
        required
      />
      {CHANNEL_FIELDS[type].map((field) => {
        const kept = field.secret && stored?.[field.name];
        return (
          <TextField
            key={`${type}-${field.name}`}
            id={id(field.name)}
            label={t(field.label)}
            value={draft[field.name] ?? ''}
            onValue={(v) => setDraft({ ...draft, [field.name]: v })}
            hint={kept ? `${t(field.hint)} ${t('channelKeepSecret')}` : t(field.hint)}
            placeholder={kept ? (field.name === 'url' ? maskUrl(kept) : maskSecret(kept)) : field.placeholder}
            type={field.secret && field.name !== 'url' ? 'password' : 'text'}
            autocomplete="off"
            spellcheck={false}
            required={!field.optional && !kept}
          />
        );
      })}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('channelSave')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('channelCancel')}
        </button>
      </div>
      {problem ? (
        <p class="problem" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}

const hourText = (hour: number, locale: string) =>
  new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(
    Date.UTC(2026, 0, 1, hour),
  );

export function ChannelList(props: ChannelListProps) {
  const { channels, statuses, outbox, dropped, noAccess, alerts, locale } = props;
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const [answers, setAnswers] = useState<Record<string, TrialAnswer | 'busy'>>({});
  const when = (ms: number) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);

  const test = async (channel: Channel) => {
    const key = channelKey(channel);
    setAnswers((a) => ({ ...a, [key]: 'busy' }));
    const result = await props.onTest(channel).catch((cause: unknown) => ({ delivered: false, answer: errorText(cause) }));
    setAnswers((a) => ({ ...a, [key]: result }));
  };

  return (
    <div class="channels">
      <p class="hint">{t('channelsIntro')}</p>
      {channels.length === 0 ? <p>{t('channelsEmpty')}</p> : null}
      {noAccess.size ? (
        <p class="problem-box" role="alert">
          {t('channelAccessDenied', [
            channels
              .filter((c) => noAccess.has(channelKey(c)))
              .map((c) => c.label)
              .join(', '),
          ])}{' '}
          <button type="button" onClick={props.onGrant}>
            {t('channelGrant')}
          </button>
        </p>
      ) : null}
      <ul class="key-list channel-list">
        {channels.map((channel) => {
          const key = channelKey(channel);
          const status = statuses[key];
          const answer = answers[key];
          const waiting = outbox.filter((e) => e.channel === key);
          return (
            <li
              key={key}
              class={editing === key ? 'editing' : undefined}
              data-channel={channel.label}
              data-channel-type={channel.type}
              data-channel-status={status?.status ?? 'never'}
              data-channel-error={status?.status === 'error' ? (status.error ?? '') : ''}
              data-channel-sent-at={status?.sentAt ?? ''}
            >
              <div class="key-main">
                <strong>{channel.label}</strong> <small>{typeName(channel.type)}</small>
                <div class="hint">{destination(channel)}</div>
                <div class={status?.status === 'error' ? 'problem' : 'hint'}>
                  {status?.status === 'error'
                    ? t('channelStatusError', [status.error ?? ''])
                    : status?.sentAt
                      ? t('channelStatusOk', [when(status.sentAt)])
                      : t('channelStatusNever')}
                </div>
                {answer && answer !== 'busy' ? <TrialResult result={answer} /> : null}
                {dropped[key] ? <p class="problem">{t('channelDropped', [String(dropped[key])])}</p> : null}
                {waiting.length ? (
                  <ul class="outbox">
                    {waiting.map((entry) => (
                      <li key={entry.id} data-outbox={entry.tries >= MAX_TRIES ? 'failed' : 'pending'}>
                        <span class="key-main">
                          <strong>{entry.message.title}</strong>
                          <br />
                          <small>
                            {entry.tries >= MAX_TRIES ? t('channelUndelivered') : t('channelPending', [String(entry.tries + 1)])}
                            {entry.lastError ? ` · ${entry.lastError}` : ''}
                          </small>
                        </span>
                        {entry.tries >= MAX_TRIES ? (
                          <span class="actions">
                            <button type="button" onClick={() => props.onResend(entry.id)}>
                              {t('channelResend')}
                            </button>
                            <button type="button" onClick={() => props.onDismiss(entry.id)}>
                              {t('channelDismiss')}
                            </button>
                          </span>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                ) : null}
                {editing === key ? (
                  <ChannelForm
                    previous={channel}
                    onCancel={() => setEditing(null)}
                    onSave={async (draft) => {
                      const problem = await props.onSave(draft, channel);
                      if (problem === null) setEditing(null);
                      return problem;
                    }}
                  />
                ) : null}
              </div>
              <div class="actions">
                <button type="button" disabled={answer === 'busy'} onClick={() => void test(channel)}>
                  {t('channelTest')}
                </button>
                <button type="button" onClick={() => setEditing(editing === key ? null : key)}>
                  {t('channelEdit')}
                </button>
                {removing === key ? (
                  <ConfirmButton label={t('channelDelete')} onConfirm={() => props.onRemove(channel)} onCancel={() => setRemoving(null)} />
                ) : (
                  <button type="button" aria-label={t('channelDelete')} onClick={() => setRemoving(key)}>
                    {t('channelDelete')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {adding ? (
        <ChannelForm
          previous={null}
          onCancel={() => setAdding(false)}
          onSave={async (draft) => {
            const problem = await props.onSave(draft, null);
            if (problem === null) setAdding(false);
            return problem;
          }}
        />
      ) : (
        <p>
          <button type="button" onClick={() => setAdding(true)}>
            {t('channelAdd')}
          </button>
        </p>
      )}
      <label class="check">
        <input
          type="checkbox"
          checked={alerts.notifyRestored}
          onChange={(e) => props.onAlerts({ ...alerts, notifyRestored: e.currentTarget.checked })}
        />
        {t('channelNotifyRestored')}
      </label>
      <label>
        <span>{t('channelDigestHour')}</span>
        <select
          value={alerts.digestHour === null ? '' : String(alerts.digestHour)}
          onChange={(e) => props.onAlerts({ ...alerts, digestHour: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}
        >
          <option value="">{t('channelDigestOff')}</option>
          {Array.from({ length: 24 }, (_, h) => (
            <option key={h} value={String(h)}>
              {t('channelDigestAt', [hourText(h, locale)])}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
