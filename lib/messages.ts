import { defineExtensionMessaging } from '@webext-core/messaging';
import type { ProbeResult, RefreshSummary } from './engine';
import type { KeyChange, KeyChangeResult } from './key-store';
import type { KeyConfig } from './model';

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
   * Change the stored key list: the background is its one writer (lib/key-store.ts). It answers
   * `conflict` for an edit of a key changed meanwhile, `too-many` past the key limit.
   */
  changeKeys(change: KeyChange): KeyChangeResult;
  /** Stop the reads a person asked for (Refresh, Test) that are still under way. */
  stop(): void;
  /** Background → open pages: how far the current read has come. */
  progress(update: { done: number; total: number }): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
