/**
 * Alert channels (shared/spec/automation.md §3.4, §5.1): their stored shape, how a
 * backup file's `channels` are read, merged into the stored ones and exported. Sending
 * comes with issue #17; this module only keeps them, whole, from file to storage and back.
 */
import { z } from 'zod';
import { isMasked, MASK_MARK, maskSecret, UNSAFE_CHARACTERS, UNSAFE_MESSAGE } from './mask';

export const CHANNEL_TYPES = ['webhook', 'ntfy', 'telegram', 'bark', 'dingtalk', 'feishu', 'wecom', 'serverchan'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Most channels one file may bring or the list may hold. */
export const MAX_CHANNELS = 100;

/** The public services a `server` field defaults to (automation.md §3.4). */
export const DEFAULT_SERVERS = {
  ntfy: 'https://ntfy.sh',
  telegram: 'https://api.telegram.org',
  bark: 'https://api.day.app',
} as const;

/** Fields whose values are credentials: masked on export unless secrets are included, never shown whole. */
export const CHANNEL_SECRET_FIELDS = ['token', 'botToken', 'deviceKey', 'signSecret', 'sendKey'] as const;

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !!url.hostname;
  } catch {
    return false;
  }
};

const text = (max: number) =>
  z
    .string({ message: 'must be text' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `is longer than ${max} characters`)
    .refine((v) => !UNSAFE_CHARACTERS.test(v), UNSAFE_MESSAGE);
const url = text(2048).refine(isHttpUrl, 'is not an http(s) URL');
const server = (fallback: string) => url.transform((v) => v.replace(/\/+$/, '')).default(fallback);
const secret = text(4096);
const label = text(200);

/** One schema per type: `type` and `label` first, the type's own fields after; unknown fields are dropped. */
export const CHANNEL_SCHEMAS = {
  webhook: z.object({ type: z.literal('webhook'), label, url }),
  ntfy: z.object({ type: z.literal('ntfy'), label, server: server(DEFAULT_SERVERS.ntfy), topic: text(256), token: secret.optional() }),
  telegram: z.object({
    type: z.literal('telegram'),
    label,
    server: server(DEFAULT_SERVERS.telegram),
    botToken: secret,
    // Telegram chat ids are numbers; a file may write them either way.
    chatId: z.union([text(64), z.number().int().transform(String)], { message: 'must be text or a whole number' }),
  }),
  bark: z.object({ type: z.literal('bark'), label, server: server(DEFAULT_SERVERS.bark), deviceKey: secret }),
  dingtalk: z.object({ type: z.literal('dingtalk'), label, url, signSecret: secret.optional() }),
  feishu: z.object({ type: z.literal('feishu'), label, url, signSecret: secret.optional() }),
  wecom: z.object({ type: z.literal('wecom'), label, url }),
  serverchan: z.object({ type: z.literal('serverchan'), label, sendKey: secret }),
} satisfies Record<ChannelType, z.ZodType>;

/** A channel as stored in `local:channels` and written in a backup file. */
export type Channel = { [T in ChannelType]: z.output<(typeof CHANNEL_SCHEMAS)[T]> }[ChannelType];

const isChannelType = (value: unknown): value is ChannelType => (CHANNEL_TYPES as readonly unknown[]).includes(value);

/** A channel the file names with a type this version does not know: skipped and listed, never refusing the file. */
export interface UnknownChannel {
  /** 1-based position in the file's `channels`. */
  position: number;
  type: string;
  label: string;
}

export type ParsedChannels = { ok: true; channels: Channel[]; unknown: UnknownChannel[] } | { ok: false; problems: string[] };

const nameOf = (raw: unknown, field: string) => {
  const value = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value.slice(0, 60).replace(new RegExp(UNSAFE_CHARACTERS, 'g'), '\uFFFD') : '';
};

/**
 * Reads a backup file's `channels` (automation.md §3.4). A channel of a known type that is
 * wrong refuses the file, naming the channel and field; one of an unknown type (a newer
 * version wrote it) is skipped and listed.
 */
export function parseChannels(raw: unknown): ParsedChannels {
  if (raw === undefined) return { ok: true, channels: [], unknown: [] };
  if (!Array.isArray(raw)) return { ok: false, problems: ['The file: field "channels" must be a list'] };
  if (raw.length > MAX_CHANNELS)
    return { ok: false, problems: [`The file holds ${raw.length} channels; at most ${MAX_CHANNELS} can be imported.`] };
  const channels: Channel[] = [];
  const unknown: UnknownChannel[] = [];
  const problems: string[] = [];
  raw.forEach((item, index) => {
    const name = nameOf(item, 'label');
    const where = `Channel ${index + 1}${name ? ` ("${name}")` : ''}:`;
    const type = item && typeof item === 'object' ? (item as { type?: unknown }).type : undefined;
    if (typeof type !== 'string' || !type.trim()) {
      problems.push(`${where} field "type" is required`);
      return;
    }
    if (!isChannelType(type)) {
      unknown.push({ position: index + 1, type: nameOf(item, 'type'), label: name });
      return;
    }
    const parsed = CHANNEL_SCHEMAS[type].safeParse(item);
    if (parsed.success) channels.push(parsed.data as Channel);
    else
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.');
        const missing = (item as Record<string, unknown>)[String(issue.path[0])] === undefined;
        problems.push(`${where} field "${field}" ${missing ? `is required for type ${type}` : issue.message}`);
      }
  });
  return problems.length ? { ok: false, problems } : { ok: true, channels, unknown };
}

/** Query parameter values and path segments of a channel's URL, masked: the spec counts both as secrets (§3.4). */
export function maskUrl(value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return maskSecret(value);
  }
  const path = parsed.pathname
    .split('/')
    .map((segment) => (segment ? maskSecret(segment) : segment))
    .join('/');
  const query = parsed.search
    ? `?${parsed.search
        .slice(1)
        .split('&')
        .map((pair) => {
          const at = pair.indexOf('=');
          return at < 0 ? maskSecret(pair) : `${pair.slice(0, at)}=${maskSecret(pair.slice(at + 1))}`;
        })
        .join('&')}`
    : '';
  return `${parsed.origin}${path === '/' ? '' : path}${query}`;
}

const urlIsMasked = (value: string) => value.includes(MASK_MARK) || value.includes('••••');

/** The secret fields of a channel, `url` included, with whether each value is masked. */
function secretsOf(channel: Channel): { field: string; value: string; masked: boolean }[] {
  const record = channel as Record<string, unknown>;
  const found: { field: string; value: string; masked: boolean }[] = [];
  for (const field of CHANNEL_SECRET_FIELDS) {
    const value = record[field];
    if (typeof value === 'string') found.push({ field, value, masked: isMasked(value) });
  }
  if (typeof record.url === 'string') found.push({ field: 'url', value: record.url, masked: urlIsMasked(record.url) });
  return found;
}

/** A channel as an export writes it: its secrets masked unless they are included. */
export function channelForFile(channel: Channel, includeSecrets: boolean): Channel {
  if (includeSecrets) return channel;
  const out: Record<string, unknown> = { ...channel };
  for (const { field, value } of secretsOf(channel)) out[field] = field === 'url' ? maskUrl(value) : maskSecret(value);
  return out as Channel;
}

/** A channel of the file left out of the merge: its secret was masked and no stored channel of that name holds it. */
export interface MaskedChannel {
  position: number;
  type: ChannelType;
  label: string;
}

export interface ChannelMerge {
  channels: Channel[];
  added: number;
  updated: number;
  masked: MaskedChannel[];
}

const channelIdentity = (channel: { type: string; label: string }) => `${channel.type}\n${channel.label}`;

/**
 * Merges a file's channels into the stored ones (automation.md §3.4): the same `type` and
 * `label` updates the stored channel, where a masked secret keeps the stored one and a
 * field the file leaves out stays as stored; anything else is added; nothing stored is
 * removed. A masked secret with nothing stored to keep cannot be used: that channel is
 * left out and listed. A channel listed twice in one file counts once (the later wins).
 */
export function mergeChannels(stored: readonly Channel[], imported: readonly Channel[]): ChannelMerge {
  const channels = stored.map((c) => ({ ...c }));
  const index = new Map(channels.map((c, i) => [channelIdentity(c), i]));
  const touched = new Set<number>();
  const fresh = new Set<number>();
  const masked: MaskedChannel[] = [];
  imported.forEach((channel, position) => {
    const at = index.get(channelIdentity(channel));
    const existing = at === undefined ? undefined : (channels[at] as Record<string, unknown>);
    const next: Record<string, unknown> = { ...(existing ?? {}), ...channel };
    for (const { field, masked: isHidden } of secretsOf(channel)) {
      if (!isHidden) continue;
      if (typeof existing?.[field] === 'string') next[field] = existing[field];
      else {
        masked.push({ position: position + 1, type: channel.type, label: channel.label });
        return;
      }
    }
    if (at === undefined) {
      channels.push(next as Channel);
      index.set(channelIdentity(channel), channels.length - 1);
      fresh.add(channels.length - 1);
    } else {
      channels[at] = next as Channel;
      touched.add(at);
    }
  });
  const updated = [...touched].filter((i) => !fresh.has(i)).length;
  return { channels, added: fresh.size, updated, masked };
}

/**
 * The stored list split into the channels that can be used and the entries that cannot
 * (hand-edited storage, a newer version's type): a writer puts the latter back unchanged.
 */
export function splitChannels(stored: unknown): { channels: Channel[]; unusable: unknown[] } {
  const channels: Channel[] = [];
  const unusable: unknown[] = [];
  for (const entry of Array.isArray(stored) ? stored : []) {
    const type = entry && typeof entry === 'object' ? (entry as { type?: unknown }).type : undefined;
    const parsed = isChannelType(type) ? CHANNEL_SCHEMAS[type].safeParse(entry) : null;
    if (parsed?.success) channels.push(parsed.data as Channel);
    else unusable.push(entry);
  }
  return { channels, unusable };
}
