/**
 * The outbox (automation.md §5.1): every message a channel has not confirmed is kept in
 * storage and tried again with each following round of reads, 3 tries in all; after the
 * third it stays, listed as not delivered, until the person resends or dismisses it.
 *
 * A try is recorded before the request leaves (`begin`), and its answer after (`finish`).
 * When the worker dies in between, the next pass finds the try begun and not finished
 * (`recover`): it counts as a failed try and the message is sent again. So a message
 * may arrive twice (the service got it, the answer was lost), but it is never lost:
 * a duplicate is chosen over silence. Pure functions over the stored state.
 */
import type { ChannelMessage } from './message';

/** Tries per message before it waits for the person. */
export const MAX_TRIES = 3;
/** Most messages the outbox keeps; past it the oldest are dropped and counted (shown on the options page). */
export const MAX_ENTRIES = 60;
/** Most keys a stored message lists (its text says "… and N more" past 20 already). */
export const MAX_STORED_KEYS = 200;

export interface OutboxEntry {
  id: string;
  /** The channel's identity: `type` + line break + `label` (what an import matches on, lib/channels.ts). */
  channel: string;
  message: ChannelMessage;
  createdAt: number;
  /** Tries begun so far. */
  tries: number;
  /** When the current try began; absent when no try is under way. */
  sending?: number;
  /** Why the last try failed (redacted). */
  lastError?: string;
  lastTriedAt?: number;
}

export interface Outbox {
  entries: OutboxEntry[];
  /** Messages dropped because the outbox was full, per channel identity. */
  dropped?: Record<string, number>;
  /** The local day (YYYY-MM-DD) of the last digest, so it is sent once a day. */
  digestDay?: string;
}

export const EMPTY_OUTBOX: Outbox = { entries: [] };

export const channelId = (channel: { type: string; label: string }) => `${channel.type}\n${channel.label}`;

/** A stored value as an outbox; anything unusable reads as empty entries (hand-edited storage never breaks a round). */
export function outboxOf(stored: unknown): Outbox {
  const raw = stored && typeof stored === 'object' ? (stored as Partial<Outbox>) : {};
  const entries = Array.isArray(raw.entries)
    ? raw.entries.filter(
        (e): e is OutboxEntry =>
          !!e && typeof e.id === 'string' && typeof e.channel === 'string' && typeof e.tries === 'number' && !!e.message,
      )
    : [];
  return {
    entries,
    ...(raw.dropped && typeof raw.dropped === 'object' ? { dropped: raw.dropped } : {}),
    ...(typeof raw.digestDay === 'string' ? { digestDay: raw.digestDay } : {}),
  };
}

/** Adds the message once for each channel; the oldest entries go when the outbox is full, and are counted. */
export function enqueue(box: Outbox, channels: readonly string[], message: ChannelMessage, now: number, newId: () => string): Outbox {
  const stored = { ...message, keys: message.keys.slice(0, MAX_STORED_KEYS) };
  const entries = [...box.entries, ...channels.map((channel) => ({ id: newId(), channel, message: stored, createdAt: now, tries: 0 }))];
  const dropped = { ...box.dropped };
  while (entries.length > MAX_ENTRIES) {
    const gone = entries.shift() as OutboxEntry;
    dropped[gone.channel] = (dropped[gone.channel] ?? 0) + 1;
  }
  return { ...box, entries, ...(Object.keys(dropped).length ? { dropped } : {}) };
}

export const INTERRUPTED = 'No answer was recorded: the extension stopped while sending.';

/** Tries begun and never finished (the worker died): each counts as a failed try. */
export function recover(box: Outbox): Outbox {
  if (!box.entries.some((e) => e.sending !== undefined)) return box;
  return {
    ...box,
    entries: box.entries.map(({ sending, ...e }) => (sending === undefined ? e : { ...e, lastError: INTERRUPTED, lastTriedAt: sending })),
  };
}

/** Entries to try now: fewer than 3 tries, none under way, oldest first. */
export const dueEntries = (box: Outbox): OutboxEntry[] => box.entries.filter((e) => e.tries < MAX_TRIES && e.sending === undefined);

/** Entries that used their 3 tries: listed as not delivered. */
export const failedEntries = (box: Outbox): OutboxEntry[] => box.entries.filter((e) => e.tries >= MAX_TRIES && e.sending === undefined);

const patch = (box: Outbox, id: string, change: (e: OutboxEntry) => OutboxEntry | null): Outbox => ({
  ...box,
  entries: box.entries.flatMap((e) => {
    if (e.id !== id) return [e];
    const next = change(e);
    return next ? [next] : [];
  }),
});

/** A try begins: counted and marked before the request leaves. */
export const begin = (box: Outbox, id: string, now: number): Outbox => patch(box, id, (e) => ({ ...e, tries: e.tries + 1, sending: now }));

/** A try ended: delivered, the entry goes; else it keeps the reason. */
export const finish = (box: Outbox, id: string, error: string | null, now: number): Outbox =>
  patch(box, id, ({ sending: _, ...e }) => (error === null ? null : { ...e, lastError: error, lastTriedAt: now }));

/** The person asks for another go: 3 more tries, the first one now. */
export const resend = (box: Outbox, id: string): Outbox => patch(box, id, (e) => ({ ...e, tries: 0 }));

/** The person lets a message go. */
export const dismiss = (box: Outbox, id: string): Outbox => patch(box, id, () => null);

/** Messages of channels that no longer exist go with their channel; so do their drop counts. */
export function keepChannels(box: Outbox, channels: readonly string[]): Outbox {
  const known = new Set(channels);
  if (box.entries.every((e) => known.has(e.channel)) && Object.keys(box.dropped ?? {}).every((c) => known.has(c))) return box;
  const dropped = Object.fromEntries(Object.entries(box.dropped ?? {}).filter(([c]) => known.has(c)));
  return { ...box, entries: box.entries.filter((e) => known.has(e.channel)), dropped };
}
