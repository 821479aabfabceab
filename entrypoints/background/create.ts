/**
 * The background's composition root (issue #19, item 7): builds the engine, the listeners
 * and the message handlers from what it is given, so tests run the background as it runs
 * in the browser instead of copying its wiring. entrypoints/background/index.ts only
 * calls it with the real browser, fetch and clock.
 *
 * Every listener is registered synchronously, before the first `await`: an MV3 worker
 * woken by an event (an alarm, a message) must have its listener in place when its
 * script's first run ends, or the event is missed.
 *
 * The helpers it wires (notify.ts, channels.ts, wiring.ts, sync.ts, lib/storage/items.ts) talk
 * to the `browser` of wxt/browser, which the unit tests replace with WXT's fake browser.
 */
import type { browser as realBrowser } from 'wxt/browser';
import { appearanceItem } from '@/lib/appearance-item';
import { createEngine, type Engine } from '@/lib/engine';
import { sendMessage } from '@/lib/messages';
import { createRedirectWatch } from '@/lib/redirect-watch';
import {
  alertSettingsItem,
  budgetItem,
  channelsItem,
  cyclesItem,
  forgetKeys,
  historyItem,
  keysItem,
  reportStoredProblems,
  type StorageArea,
  scrubStoredStatuses,
  settingsItem,
  sitesItem,
  statusesItem,
  storedSettingsItem,
} from '@/lib/storage/items';
import { migrateStorage, NewerStorageError } from '@/lib/storage/migrations';
import {
  afterRound,
  announceOnChannels,
  DIGEST_ALARM,
  dismissMessage,
  forgetRemovedChannels,
  resendMessage,
  scheduleDigest,
  sendDigestIfDue,
  testChannel,
} from './channels';
import { dispatch, type MessageHandlers } from './dispatch';
import { changeKeys } from './key-writer';
import { followChosenLanguage } from './language';
import { announce, handleNotificationButton, handleNotificationClick } from './notify';
import { type SyncService, wireSync } from './sync';
import {
  commitVisibly,
  ensurePollAlarm,
  hasHostAccess,
  isFromThisExtension,
  POLL_ALARM,
  recheckStoredSettings,
  releaseUnusedAccess,
  showBadge,
  watchRedirects,
} from './wiring';

/** What the background is built from. */
export interface BackgroundDeps {
  /** The browser's extension APIs whose events the background listens to. */
  browser: typeof realBrowser;
  fetch: typeof fetch;
  now: () => number;
  /** `storage.local`, brought to the current layout before anything reads it (lib/storage/migrations.ts). */
  area: StorageArea;
  isOnline: () => boolean;
  /** Whether the extension may contact a site root; the browser's host permissions unless given. */
  hasHostAccess?: (siteRoot: string) => Promise<boolean>;
  /** A read's time limit (lib/http.ts's 15 s unless given). */
  timeoutMs?: number;
}

/** The background as built: what tests look at. */
export interface Background {
  /** Settles when the migrations of stored data are done (failed ones are logged); rejects on a newer layout. */
  ready: Promise<unknown>;
  engine: Engine;
  sync: SyncService;
  /** The answer to each message a page may send (lib/messages.ts), behind the dispatcher. */
  handlers: MessageHandlers;
  /** Gives back host access no saved key, recent draft or sync folder needs. */
  release: () => Promise<void>;
  /** Removes the message handlers (tests that build several backgrounds in one run). */
  stop: () => void;
}

export function createBackground(deps: BackgroundDeps): Background {
  const { browser, now } = deps;
  // Stored data is brought to the current layout before any read or write of it. Stored data of a
  // newer layout than this version's is left alone: `ready` rejects, so no message is answered and
  // no round of reads writes until the extension is updated (the pages say so: StorageProblem).
  const ready = migrateStorage(deps.area, reportStoredProblems).then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof NewerStorageError) throw error;
      console.error('storage migration failed', error);
    },
  );
  // The badge's tooltip and notifications speak the language chosen on the options page, and follow a new choice.
  void followChosenLanguage().catch(() => undefined);
  appearanceItem.watch(() => void followChosenLanguage().then(showBadge, () => undefined));
  // Where sites' redirects point, as the browser reports them (an extension's fetch sees opaque redirects).
  const redirects = createRedirectWatch();
  watchRedirects(redirects);
  const engine = createEngine({
    watchRedirect: redirects.watch,
    fetch: deps.fetch,
    now,
    hasHostAccess: deps.hasHostAccess ?? hasHostAccess,
    isOnline: deps.isOnline,
    ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
    keys: keysItem,
    settings: settingsItem,
    statuses: statusesItem,
    sites: sitesItem,
    budget: budgetItem,
    cycles: cyclesItem,
    history: historyItem,
    commit: commitVisibly,
    onCommitted: async (alerts) => {
      await showBadge();
      await announce(alerts);
      // Channels send on their own time: the round does not wait for them (the outbox keeps what is not delivered).
      void announceOnChannels(alerts).catch(() => undefined);
    },
    // Open popups show progress; with none open there is no receiver, which is fine.
    onProgress: (done, total) => void sendMessage('progress', { done, total }).catch(() => undefined),
  });

  // A round of reads ended: the outbox's undelivered messages get one more try (automation.md §5.1).
  const retryChannels =
    (since: number) =>
    <T extends { total: number }>(summary: T): T => {
      if (summary.total > 0) void afterRound(since).catch(() => undefined);
      return summary;
    };

  // Encrypted sync through the person's WebDAV folder (issue #18).
  const sync = wireSync(ready);

  // Access no saved key needs is given back, except a draft's just read: the options page may be saving it,
  // and the sync folder's while sync is on.
  const release = () =>
    sync
      .address()
      .then((folder) => releaseUnusedAccess([...engine.probedSites(), ...(folder ? [folder] : [])]))
      .then(
        () => undefined,
        () => undefined,
      );

  // Every listener is registered synchronously, so a wake-up event is never missed.
  browser.alarms.onAlarm.addListener((alarm) => {
    // Each round also gives back a tested draft's access once its answer is no longer kept.
    if (alarm.name === POLL_ALARM)
      void ready
        .then(() => engine.pollDue().then(retryChannels(now())))
        .finally(release)
        .catch(() => undefined);
    if (alarm.name === DIGEST_ALARM)
      void ready
        .then(sendDigestIfDue)
        .finally(() => void scheduleDigest().catch(() => undefined))
        .catch(() => undefined);
  });
  browser.runtime.onInstalled.addListener(() => {
    // After an update, text stored by an older version is scrubbed too.
    void ready.then(scrubStoredStatuses).catch(() => undefined);
    void ensurePollAlarm().then(showBadge);
    void scheduleDigest().catch(() => undefined);
  });
  browser.runtime.onStartup.addListener(() => {
    void ensurePollAlarm().then(showBadge);
    void scheduleDigest().catch(() => undefined);
  });
  browser.notifications.onClicked.addListener((id) => void handleNotificationClick(id));
  browser.notifications.onButtonClicked?.addListener((id, button) => void handleNotificationButton(id, button));
  // A key that leaves the list takes its status and history with it, at once, and its
  // site's access is given back when no other key needs it.
  keysItem.watch((next, previous) => {
    void forgetKeys(previous, next)
      .catch(() => undefined)
      .then(showBadge);
    void release();
  });
  settingsItem.watch(() => void showBadge());
  storedSettingsItem.watch((stored) => void recheckStoredSettings(stored).catch(() => undefined));
  alertSettingsItem.watch(() => void scheduleDigest().catch(() => undefined));
  // A channel that leaves the list gives back its site's access when nothing else needs it.
  channelsItem.watch(() => {
    void release();
    void ready.then(forgetRemovedChannels).catch(() => undefined);
  });

  // What each message does; the dispatcher checks the sender and waits for `ready` first.
  const handlers: MessageHandlers = {
    refresh: (data) => {
      const since = now();
      return engine.refresh(data.ids, { reset: data.reset, probe: data.probe }).then(retryChannels(since));
    },
    pollDue: () => {
      const since = now();
      return engine.pollDue().then(retryChannels(since));
    },
    stop: () => engine.stop(),
    changeKeys,
    // A draft that was only tested keeps no access once its answer is no longer kept (lib/engine/recent-probes.ts).
    probe: (data) => engine.probe(data).finally(release),
    testChannel,
    outboxResend: (data) => resendMessage(data.id),
    outboxDismiss: (data) => dismissMessage(data.id),
    syncTurnOn: (data) => sync.turnOn(data),
    syncNow: () => sync.syncNow(),
    syncTurnOff: () => sync.turnOff(),
  };
  const stop = dispatch(handlers, { trusts: isFromThisExtension, ready });

  void ensurePollAlarm();
  return { ready, engine, sync, handlers, release, stop };
}
