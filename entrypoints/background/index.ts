import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createEngine } from '@/lib/engine';
import { onMessage } from '@/lib/messages';
import { budgetItem, keysItem, settingsItem, sitesItem, statusesItem } from '@/lib/storage';
import { ensurePollAlarm, hasHostAccess, isFromThisExtension, POLL_ALARM, showBadge } from './wiring';

export default defineBackground(() => {
  const engine = createEngine({
    fetch: (...args) => fetch(...args),
    now: Date.now,
    hasHostAccess,
    keys: keysItem,
    statuses: statusesItem,
    settings: settingsItem,
    sites: sitesItem,
    budget: budgetItem,
    onStatusesWritten: showBadge,
  });

  // Every listener is registered synchronously, so a wake-up event is never missed.
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === POLL_ALARM) void engine.pollDue();
  });
  browser.runtime.onInstalled.addListener(() => void ensurePollAlarm().then(showBadge));
  browser.runtime.onStartup.addListener(() => void ensurePollAlarm().then(showBadge));
  keysItem.watch(() => void showBadge());
  settingsItem.watch(() => void showBadge());

  onMessage('refresh', ({ data, sender }) => {
    if (!isFromThisExtension(sender)) throw new Error('refused');
    return engine.refresh(data.ids, { reset: data.reset });
  });
  onMessage('pollDue', ({ sender }) => {
    if (!isFromThisExtension(sender)) throw new Error('refused');
    return engine.pollDue();
  });
  onMessage('probe', ({ data, sender }) => {
    if (!isFromThisExtension(sender)) throw new Error('refused');
    return engine.probe(data);
  });

  void ensurePollAlarm();
});
