/**
 * Sending: one request per try with a 15 s deadline (as for reads, lib/http.ts), the
 * answer judged by §5.1, and every word of it that is shown redacted of the channel's
 * secrets and every key's. The runner keeps the outbox and each channel's status in
 * storage; it is given fetch, the clock and the storage items (tests pass their own).
 */
import type { Channel } from '../channels';
import { errorText } from '../error-text';
import { DEFAULT_TIMEOUT_MS } from '../http';
import { redactText } from '../redact';
import type { ChannelMessage } from './message';
import {
  begin,
  channelId,
  dismiss,
  dueEntries,
  enqueue,
  finish,
  keepChannels,
  type Outbox,
  type OutboxEntry,
  outboxOf,
  recover,
  resend,
} from './outbox';
import { buildRequest, judgeAnswer } from './requests';

/** What the options page shows of a channel (automation.md §5.1 `data-channel-*`). */
export interface ChannelStatus {
  status: 'ok' | 'error';
  /** The last failure, redacted. */
  error?: string;
  /** Unix ms of the last delivery. */
  sentAt?: number;
  /** Failed tries in a row since the last delivery. */
  failing?: number;
}
export type ChannelStatuses = Record<string, ChannelStatus>;

/** Longest answer text kept and shown. */
export const MAX_ANSWER = 300;

/** The parts of a channel that are secrets: its secret fields and its URL's path segments and query values. */
export function channelSecrets(channel: Channel): string[] {
  const record = channel as Record<string, unknown>;
  const out: string[] = [];
  for (const field of ['token', 'botToken', 'deviceKey', 'signSecret', 'sendKey'])
    if (typeof record[field] === 'string') out.push(record[field] as string);
  if (typeof record.url === 'string') {
    try {
      const url = new URL(record.url);
      for (const segment of url.pathname.split('/')) if (segment.length >= 6) out.push(decodeURIComponent(segment));
      for (const [, value] of url.searchParams) if (value.length >= 4) out.push(value);
    } catch {
      out.push(record.url);
    }
  }
  return out;
}

/** Text shown to the person: the channel's secrets and every key's gone, controls stripped, capped. */
export const redactAnswer = (text: string, secrets: readonly string[]) => {
  let out = text;
  // Short secrets (a chat's 8-letter device key) are not caught by the piece matcher: replace them whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (s.length >= 4) out = out.split(s).join('•••');
  return redactText(out, secrets, MAX_ANSWER);
};

export interface SendDeps {
  fetch: typeof fetch;
  now: () => number;
  timeoutMs?: number;
  subtle?: SubtleCrypto;
}

/** One try: the request, its answer judged. `answer` is the service's own answer text, redacted. */
export async function sendOnce(
  channel: Channel,
  message: ChannelMessage,
  keySecrets: readonly string[],
  deps: SendDeps,
): Promise<{ delivered: boolean; answer: string; error: string | null }> {
  const secrets = [...channelSecrets(channel), ...keySecrets];
  const controller = new AbortController();
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const request = await buildRequest(channel, message, deps.now(), deps.subtle);
    const response = await deps.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
      // A redirect elsewhere would take the channel's secrets with it: not followed, not delivered.
      redirect: 'error',
      credentials: 'omit',
      cache: 'no-store',
    });
    const text = (await response.text()).slice(0, 4096);
    const verdict = judgeAnswer(channel.type, response.status, text);
    const answer = redactAnswer(`HTTP ${response.status} ${text}`.trim(), secrets);
    return verdict.delivered
      ? { delivered: true, answer, error: null }
      : { delivered: false, answer, error: redactAnswer(verdict.reason, secrets) };
  } catch (cause) {
    const error = controller.signal.aborted
      ? `No answer within ${Math.ceil(timeoutMs / 1000)} s`
      : redactAnswer(`Network error: ${errorText(cause)}`, secrets);
    return { delivered: false, answer: error, error };
  } finally {
    clearTimeout(timer);
  }
}

/** A storage item as the runner uses it. */
export interface Store<T> {
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
}

export interface RunnerDeps extends SendDeps {
  channels: () => Promise<Channel[]>;
  outbox: Store<unknown>;
  statuses: Store<ChannelStatuses>;
  /** Every key's secret, to keep them out of any text shown. */
  keySecrets: () => Promise<string[]>;
  newId?: () => string;
}

const randomId = () => crypto.randomUUID();

/**
 * The background's channel runner. Every change of the outbox goes through one queue, so
 * a round, a Resend and a digest never overwrite each other's writes.
 */
export function createChannelRunner(deps: RunnerDeps) {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const update = async (change: (box: Outbox) => Outbox): Promise<Outbox> => {
    const next = change(outboxOf(await deps.outbox.getValue()));
    await deps.outbox.setValue(next);
    return next;
  };
  const record = async (channel: Channel, error: string | null, at: number) => {
    const all = { ...(await deps.statuses.getValue()) };
    const id = channelId(channel);
    const before = all[id];
    all[id] =
      error === null
        ? { status: 'ok', sentAt: at }
        : { status: 'error', error, ...(before?.sentAt ? { sentAt: before.sentAt } : {}), failing: (before?.failing ?? 0) + 1 };
    await deps.statuses.setValue(all);
  };

  /** Tries the due messages `pick` chooses: channels side by side, each channel's messages oldest first. */
  const deliverDue = async (pick: (entry: OutboxEntry) => boolean) => {
    const channels = await deps.channels();
    const byId = new Map(channels.map((c) => [channelId(c), c]));
    const box = await update((b) => recover(keepChannels(b, [...byId.keys()])));
    const due = dueEntries(box).filter(pick);
    if (!due.length) return;
    const secrets = await deps.keySecrets();
    const perChannel = new Map<string, typeof due>();
    for (const entry of due) perChannel.set(entry.channel, [...(perChannel.get(entry.channel) ?? []), entry]);
    // Status and outbox writes of channels running side by side are queued one after another.
    let writes: Promise<unknown> = Promise.resolve();
    const write = (work: () => Promise<unknown>) => {
      writes = writes.then(work, work);
      return writes;
    };
    await Promise.all(
      [...perChannel].map(async ([id, entries]) => {
        const channel = byId.get(id);
        if (!channel) return;
        for (const entry of entries) {
          await write(() => update((b) => begin(b, entry.id, deps.now())));
          const result = await sendOnce(channel, entry.message, secrets, deps);
          const at = deps.now();
          await write(async () => {
            await update((b) => finish(b, entry.id, result.error, at));
            await record(channel, result.error, at);
          });
        }
      }),
    );
  };

  return {
    /** A round's message: queued for every channel and tried at once. */
    round: (message: ChannelMessage) =>
      serial(async () => {
        const channels = await deps.channels();
        if (!channels.length) return;
        const before = new Set(outboxOf(await deps.outbox.getValue()).entries.map((e) => e.id));
        await update((b) => enqueue(b, channels.map(channelId), message, deps.now(), deps.newId ?? randomId));
        await deliverDue((e) => !before.has(e.id));
      }),
    /**
     * A round of reads ended that began at `since` (Unix ms): every message still due and not
     * tried since then is tried again, so each round is one more try, never two.
     */
    retry: (since = Number.POSITIVE_INFINITY) => serial(() => deliverDue((e) => (e.lastTriedAt ?? 0) < since)),
    /** The daily digest, once per local day. */
    digest: (message: ChannelMessage, day: string) =>
      serial(async () => {
        const box = outboxOf(await deps.outbox.getValue());
        if (box.digestDay === day) return false;
        const channels = await deps.channels();
        const before = new Set(box.entries.map((e) => e.id));
        await update((b) => ({ ...enqueue(b, channels.map(channelId), message, deps.now(), deps.newId ?? randomId), digestDay: day }));
        await deliverDue((e) => !before.has(e.id));
        return true;
      }),
    /** Three more tries for a message that was not delivered, the first one now. */
    resend: (id: string) =>
      serial(async () => {
        await update((b) => resend(b, id));
        await deliverDue((e) => e.id === id);
      }),
    dismiss: (id: string) => serial(() => update((b) => dismiss(b, id)).then(() => undefined)),
    /** A channel left the list (deleted, renamed): its status and its messages go with it. */
    prune: () =>
      serial(async () => {
        const known = (await deps.channels()).map(channelId);
        const all = await deps.statuses.getValue();
        if (Object.keys(all).some((id) => !known.includes(id)))
          await deps.statuses.setValue(Object.fromEntries(Object.entries(all).filter(([id]) => known.includes(id))));
        const box = outboxOf(await deps.outbox.getValue());
        const kept = keepChannels(box, known);
        if (kept !== box) await deps.outbox.setValue(kept);
      }),
    /** The Test button: sent at once, outside the outbox; the answer comes back redacted, and the status is kept. */
    test: async (channel: Channel, message: ChannelMessage) => {
      const result = await sendOnce(channel, message, await deps.keySecrets(), deps);
      await serial(() => record(channel, result.error, deps.now()));
      // Why it was not delivered, in the judge's words (the service's own, or the network's), for the page to say.
      return { delivered: result.delivered, answer: result.answer, ...(result.error ? { reason: result.error } : {}) };
    },
  };
}

export type ChannelRunner = ReturnType<typeof createChannelRunner>;
