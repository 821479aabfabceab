import { type Browser, browser } from '@wxt-dev/browser';
import type { Channel } from './channels';
import type { ProbeResult, RefreshSummary } from './engine';
import { errorText } from './error-text';
import type { KeyConfig } from './model';
import type { KeyChange, KeyChangeResult } from './storage/keys';
import type { SyncStatus } from './sync/stored';

/** What the pages may ask the background. The background checks that the sender is this extension. */
interface ProtocolMap {
  /**
   * Read these keys (or all) now; `reset` drops what was known first (the key was edited); `probe`, the
   * `probeId` of the draft's read just made, stands for the read of a key saved unchanged from it.
   */
  refresh(request: { ids: string[] | 'all'; reset?: boolean; probe?: string }): RefreshSummary;
  /** Read the keys whose time has come (the popup asks on opening). */
  pollDue(): RefreshSummary;
  /** Read a key without storing it (the options page's Test button); a custom key's answer comes back redacted. */
  probe(key: KeyConfig): ProbeResult;
  /**
   * Change the stored key list: the background is its one writer (lib/storage/keys.ts). It answers
   * `conflict` for an edit of a key changed meanwhile, `too-many` past the key limit.
   */
  changeKeys(change: KeyChange): KeyChangeResult;
  /** Stop the reads a person asked for (Refresh, Test) that are still under way. */
  stop(): void;
  /** Send a channel's test message (the options page's Test); the service's answer comes back redacted. */
  testChannel(channel: Channel): { delivered: boolean; answer: string; reason?: string };
  /** Three more tries for an outbox message that was not delivered, the first one now. */
  outboxResend(request: { id: string }): void;
  /** Let an outbox message that was not delivered go. */
  outboxDismiss(request: { id: string }): void;
  /** Turn sync on (automation.md §6): the folder, its user and password, and the passphrase (never stored). */
  syncTurnOn(request: { address: string; user: string; password: string; passphrase: string }): SyncStatus;
  /** Sync now. */
  syncNow(): SyncStatus;
  /** Turn sync off: the vault key and the WebDAV password are forgotten. */
  syncTurnOff(): SyncStatus;
  /** Background → open pages: how far the current read has come. */
  progress(update: { done: number; total: number }): void;
}

/** The messages the background answers (every one but `progress`, which it sends). */
export type BackgroundMessage = Exclude<keyof ProtocolMap, 'progress'>;
export type Request<K extends keyof ProtocolMap> = Parameters<ProtocolMap[K]>[0];
export type Answer<K extends keyof ProtocolMap> = ReturnType<ProtocolMap[K]>;

/** What travels: the message's type under a name no other sender uses, and its data. */
interface Envelope {
  quotaGlance: keyof ProtocolMap;
  data: unknown;
}
/** What comes back: the handler's answer, or the message of what it threw. */
type Reply = { answer: unknown } | { error: string };

const isEnvelope = (message: unknown): message is Envelope =>
  typeof message === 'object' && message !== null && typeof (message as Envelope).quotaGlance === 'string';

/**
 * Sends a message to the other pages of the extension and the background; resolves with
 * the answer of the one that handles it, rejects with what it threw, or when nobody listens.
 * (A few lines over `runtime.sendMessage` instead of a messaging library: the popup's
 * bundle is counted in bytes, shared/ README budget.)
 */
export async function sendMessage<K extends keyof ProtocolMap>(
  type: K,
  ...[data]: Request<K> extends undefined ? [data?: undefined] : [data: Request<K>]
): Promise<Answer<K>> {
  const envelope: Envelope = { quotaGlance: type, data };
  const reply = (await browser.runtime.sendMessage(envelope)) as Reply | undefined;
  if (!reply) throw new Error(`no answer to ${type}`);
  if ('error' in reply) throw new Error(reply.error);
  return reply.answer as Answer<K>;
}

/**
 * Handles one type of message; returns a function that stops handling it. The handler
 * gets the data and the sender, to check that it is this extension before privileged work.
 */
export function onMessage<K extends keyof ProtocolMap>(
  type: K,
  handler: (message: { data: Request<K>; sender: Browser.runtime.MessageSender }) => Answer<K> | Promise<Answer<K>>,
): () => void {
  // `sendResponse` and `true` (the channel stays open): the one way every browser, the polyfill and WXT's fake browser all take.
  const listener = (message: unknown, sender: Browser.runtime.MessageSender, sendResponse: (reply: Reply) => void): true | undefined => {
    if (!isEnvelope(message) || message.quotaGlance !== type) return undefined;
    void (async () => handler({ data: message.data as Request<K>, sender }))().then(
      (answer) => sendResponse({ answer }),
      (cause: unknown) => sendResponse({ error: errorText(cause) }),
    );
    return true;
  };
  browser.runtime.onMessage.addListener(listener as Parameters<typeof browser.runtime.onMessage.addListener>[0]);
  return () => browser.runtime.onMessage.removeListener(listener as Parameters<typeof browser.runtime.onMessage.removeListener>[0]);
}
