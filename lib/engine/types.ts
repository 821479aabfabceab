import type { Alert } from '../alerts';
import type { Point } from '../history';
import type { KeyConfig, KeyStatus, ReadOutcome } from '../model';
import type { PolicyDeps, PolicyWrites } from '../providers/policy';
import type { WatchedRequest } from '../redirect-watch';
import type { Settings } from '../state';
import type { CycleClaim, Item } from './claims';

// Kept in a file of their own, which the providers' policies import without importing the engine.
export type { CycleClaim, Item } from './claims';

/** Everything a cycle writes, committed in one storage operation. */
export interface Commit extends PolicyWrites {
  /** The statuses of the keys read since the last commit: only these are written. */
  statuses?: Record<string, KeyStatus>;
  cycles?: Record<string, CycleClaim>;
  /** The whole history of each key that got a new point; storage writes only what changed. */
  history?: Record<string, Point[]>;
  /** Series of watched tokens and plans that are gone: removed. */
  forget?: string[];
}

/** An alert to announce, with the key (or watched token) it is about. */
export type Announcement = { key: KeyConfig; alert: Alert };

/** What the engine is given: transport, clock, storage items and callbacks. */
export interface EngineDeps extends PolicyDeps {
  /** Whether the extension may contact this site root (host permission). */
  hasHostAccess: (siteRoot: string) => Promise<boolean>;
  /** False while the browser is offline: polling pauses and no key is marked broken. */
  isOnline?: () => boolean;
  keys: Item<KeyConfig[]>;
  settings: Item<Settings>;
  statuses: Item<Record<string, KeyStatus>>;
  cycles: Item<Record<string, CycleClaim>>;
  /** Each key's history, read for the keys asked only. */
  history: { getMany(ids: readonly string[]): Promise<Record<string, Point[]>> };
  /** Writes several items in one storage operation. */
  commit: (patch: Commit) => Promise<void>;
  /** After statuses were committed, with what to announce. */
  onCommitted?: (alerts: Announcement[]) => void | Promise<void>;
  /** Each key's outcome as it arrives, for a progress display. */
  onProgress?: (done: number, total: number) => void;
  /** Watches a request for where an opaque redirect went, as the browser reports it (lib/redirect-watch.ts). */
  watchRedirect?: (url: string) => Promise<WatchedRequest>;
}

/**
 * A Test read: its outcome, the id under which the engine keeps it a short while (for the
 * saved key's first read) and, for a `custom` key, the endpoint's answer with secrets redacted.
 */
export type ProbeResult = ReadOutcome & { answer?: unknown; probeId?: string };

/** How a refresh went, for the page that asked. */
export interface RefreshSummary {
  total: number;
  ok: number;
  failed: number;
}
