import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { z } from 'zod';
import { createEngine } from '@/lib/engine';
import { onMessage, sendMessage } from '@/lib/messages';
import { migrateStorage } from '@/lib/migrations';
import { createRedirectWatch } from '@/lib/redirect-watch';
import {
  alertSettingsItem,
  budgetItem,
  channelsItem,
  cyclesItem,
  forgetKeys,
  historyItem,
  keysItem,
  localArea,
  reportStoredProblems,
  scrubStoredStatuses,
  settingsItem,
  sitesItem,
  statusesItem,
} from '@/lib/storage';
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
import { changeKeys } from './key-writer';
import { announce, handleNotificationButton, handleNotificationClick } from './notify';
import { wireSync } from './sync';
import {
  commitVisibly,
  ensurePollAlarm,
  hasHostAccess,
  isFromThisExtension,
  POLL_ALARM,
  releaseUnusedAccess,
  showBadge,
  watchRedirects,
} from './wiring';

// MV3 forbids eval: zod must never try to compile parsers (see wxt.config.ts).
z.config({ jitless: true });

export default defineBackground(() => {
  // Stored data is brought to the current layout before any read or write of it.
  const ready = migrateStorage(localArea, reportStoredProblems).catch((error: unknown) => console.error('storage migration failed', error));
  // Where sites' redirects point, as the browser reports them (an extension's fetch sees opaque redirects).
  const redirects = createRedirectWatch();
  watchRedirects(redirects);
  const engine = createEngine({
    watchRedirect: redirects.watch,
    fetch: (...args) => fetch(...args),
    now: Date.now,
    hasHostAccess,
    isOnline: () => navigator.onLine,
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
    void sync
      .address()
      .then((folder) => releaseUnusedAccess([...engine.probedSites(), ...(folder ? [folder] : [])]))
      .catch(() => undefined);

  // Every listener is registered synchronously, so a wake-up event is never missed.
  browser.alarms.onAlarm.addListener((alarm) => {
    // Each round also gives back a tested draft's access once its answer is no longer kept.
    if (alarm.name === POLL_ALARM) void ready.then(() => engine.pollDue().then(retryChannels(Date.now()))).finally(release);
    if (alarm.name === DIGEST_ALARM) void ready.then(sendDigestIfDue).finally(() => void scheduleDigest().catch(() => undefined));
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
    release();
  });
  settingsItem.watch(() => void showBadge());
  alertSettingsItem.watch(() => void scheduleDigest().catch(() => undefined));
  // A channel that leaves the list gives back its site's access when nothing else needs it.
  channelsItem.watch(() => {
    release();
    void ready.then(forgetRemovedChannels).catch(() => undefined);
  });

  onMessage('refresh', ({ data, sender }) => {
    if (!isFromThisExtension(sender)) throw new Error('refused');
    const since = Date.now();
    return ready.then(() => engine.refresh(data.ids, { reset: data.reset, probe: data.probe })).then(retryChannels(since));
  });
  onMessage('pollDue', ({ sender }) => {
    if (!isFromThisExtension(sender)) throw new Error('refused');
    const since = Date.now();
    return ready.then(() => engine.pollDue()).then(retryChannels(since));
  });
  onMessage('stop', ({ sender }) => {
    if (!isFromThisExtension(sender)) throw new Error('refused');
    engine.stop();
  });
  onMessage('changeKeys', ({ data, sender }) => {
    if (!isFromThisExtension(sender)) throw new Error('refused');
    return changeKeys(data);
  });
  onMessage('probe', ({ data, sender }) => {
    if (!isFromThisExtension(sender)) throw new Error('refused');
    // A draft that was only tested keeps no access once its answer is no longer kept (lib/engine/recent-probes.ts).
    return ready.then(() => engine.probe(data)).finally(release);
  });

  onMessage('testChannel', ({ data, sender }) => {
    if (!isFromThisExtension(sender)) throw new Error('refused');
    return ready.then(() => testChannel(data));
  });
  onMessage('outboxResend', ({ data, sender }) => {
    if (!isFromThisExtension(sender)) throw new Error('refused');
    return ready.then(() => resendMessage(data.id));
  });
  onMessage('outboxDismiss', ({ data, sender }) => {
    if (!isFromThisExtension(sender)) throw new Error('refused');
    return ready.then(() => dismissMessage(data.id));
  });

  void ensurePollAlarm();
});
