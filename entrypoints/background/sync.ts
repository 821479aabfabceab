/**
 * Sync in the background (shared/spec/automation.md §6, issue #18): turn on, sync now,
 * turn off (messages from the options page), a few seconds after any change of keys,
 * settings or channels, and on every scheduled round. One sync at a time. The merge and
 * the WebDAV requests are lib/sync/; this file wires them to storage and events.
 */
import { browser } from 'wxt/browser';
import { channelForFile, splitChannels } from '@/lib/channels';
import { errorText } from '@/lib/error-text';
import { redactText } from '@/lib/redact';
import { alertSettingsWithDefaults, applyFileSettings, type FileSettings, settingsForFile } from '@/lib/settings-v3';
import { alertSettingsItem, channelsItem, keysItem, settingsItem } from '@/lib/storage/items';
import { listVersion } from '@/lib/storage/keys';
import { keysAfterMerge, type VaultState, vaultKeysOf } from '@/lib/sync/content';
import { forgetSecrets, loadSecrets, type SyncSecrets, saveSecrets } from '@/lib/sync/key-db';
import { canonical, liveTombstones } from '@/lib/sync/merge';
import { type LocalSide, readVault, syncRound } from '@/lib/sync/round';
import { STAMPS_KEY, type SyncStamps, type SyncStatus, stampsItem, syncStatusItem, tombstonesItem } from '@/lib/sync/stored';
import { deriveVaultKey, newSalt, parseEnvelope, VaultError } from '@/lib/sync/vault';
import { type DavConfig, DavError, ensureFolder, getVault, normaliseAddress } from '@/lib/sync/webdav';
import { keyWriter } from './key-writer';
import { POLL_ALARM } from './wiring';

/** The alarm that syncs a little after a change, should the worker stop before its timer fires. */
export const SYNC_SOON_ALARM = 'sync-soon';
/** How long after a change sync waits, so a burst of changes goes in one write. */
const SOON_MS = 3000;

const davDeps = { fetch: (...args: Parameters<typeof fetch>) => fetch(...args) };

/** The settings and channels as the vault holds them, with the canonical text stamps compare. */
async function readExtras() {
  const [settings, alerts, stored] = await Promise.all([settingsItem.getValue(), alertSettingsItem.getValue(), channelsItem.getValue()]);
  const fileSettings: FileSettings = settingsForFile(settings, alertSettingsWithDefaults(alerts));
  const { channels, unusable } = splitChannels(stored);
  const fileChannels = channels.map((c) => channelForFile(c, true));
  return {
    settings,
    alerts,
    fileSettings,
    fileChannels,
    unusable,
    settingsHash: canonical(fileSettings),
    channelsHash: canonical(fileChannels),
  };
}

/**
 * When the settings and channels last changed: a stamp whose text still matches is kept,
 * one that does not is now (a change the watcher has not stamped yet), none is 0 (never
 * changed here: a vault's version wins over this browser's defaults).
 */
const stampAt = (stamp: SyncStamps['settings'], hash: string, now: number) => (!stamp ? 0 : stamp.hash === hash ? stamp.at : now);

/**
 * Records a change of settings or channels made here (not by sync, which writes its stamps
 * with them) as made `now`. `observed`: the storage watcher saw the change happen; else
 * (before a round) a value never stamped is taken as never changed here (time 0), so a
 * browser's defaults never win over what another browser chose.
 */
export async function stampLocalChanges(now: number, observed: boolean): Promise<boolean> {
  const [extras, stamps] = await Promise.all([readExtras(), stampsItem.getValue()]);
  const next: SyncStamps = { ...stamps };
  const at = (stamp: SyncStamps['settings']) => (stamp || observed ? now : 0);
  if (stamps.settings?.hash !== extras.settingsHash) next.settings = { at: at(stamps.settings), hash: extras.settingsHash };
  if (stamps.channels?.hash !== extras.channelsHash) next.channels = { at: at(stamps.channels), hash: extras.channelsHash };
  if (next.settings === stamps.settings && next.channels === stamps.channels) return false;
  await stampsItem.setValue(next);
  return true;
}

interface Mark {
  list: string;
  settingsHash: string;
  channelsHash: string;
}

/** This browser's side of a round: its keys, tombstones, settings and channels. */
const localSide: LocalSide<Mark> = {
  async read() {
    const now = Date.now();
    const [keys, tombstones, extras, stamps] = await Promise.all([
      keysItem.getValue(),
      tombstonesItem.getValue(),
      readExtras(),
      stampsItem.getValue(),
    ]);
    const state: VaultState = {
      keys: vaultKeysOf(keys),
      deleted: liveTombstones([tombstones], now),
      settings: { value: extras.fileSettings, updatedAt: stampAt(stamps.settings, extras.settingsHash, now) },
      channels: { value: extras.fileChannels, updatedAt: stampAt(stamps.channels, extras.channelsHash, now) },
    };
    return { state, mark: { list: listVersion(keys), settingsHash: extras.settingsHash, channelsHash: extras.channelsHash } };
  },
  async apply(merged, mark) {
    const now = Date.now();
    const stored = await keysItem.getValue();
    if (listVersion(stored) !== mark.list) return false;
    const keys = keysAfterMerge(stored, merged.keys, now);
    const result = await keyWriter.change({ type: 'sync', keys, deleted: merged.deleted, expected: mark.list });
    if (!result.ok) {
      if (result.reason === 'conflict') return false;
      throw new Error(result.message);
    }
    // Settings and channels: taken with their stamps in one write, so the change is not stamped as this browser's.
    const extras = await readExtras();
    if (extras.settingsHash !== mark.settingsHash || extras.channelsHash !== mark.channelsHash) return false;
    const write: Record<string, unknown> = {};
    const stamps: SyncStamps = { ...(await stampsItem.getValue()) };
    if (merged.settings) {
      if (canonical(merged.settings.value) !== extras.settingsHash) {
        const applied = applyFileSettings(extras.settings, alertSettingsWithDefaults(extras.alerts), merged.settings.value);
        write.settings = applied.settings;
        write.alertSettings = applied.alerts;
      }
      stamps.settings = { at: merged.settings.updatedAt, hash: canonical(merged.settings.value) };
    }
    if (merged.channels) {
      if (canonical(merged.channels.value) !== extras.channelsHash) write.channels = [...merged.channels.value, ...extras.unusable];
      stamps.channels = { at: merged.channels.updatedAt, hash: canonical(merged.channels.value) };
    }
    // The settings just written are read back as stored and stamped as such, so the watcher finds nothing new.
    await browser.storage.local.set({ ...write, [STAMPS_KEY]: stamps });
    if (write.settings) {
      const settled = await readExtras();
      await stampsItem.setValue({ ...stamps, settings: { at: merged.settings?.updatedAt ?? now, hash: settled.settingsHash } });
    }
    return true;
  },
};

/** A failure in words the options page shows, and its kind: no password, no passphrase, no secret. */
function failure(cause: unknown, secrets: readonly string[]): Pick<SyncStatus, 'status' | 'error' | 'code'> {
  const known = cause instanceof DavError ? cause.code : cause instanceof VaultError ? cause.problem : null;
  const text = known ? (cause as Error).message : `Sync failed: ${errorText(cause)}`;
  return {
    status: 'error',
    error: redactText(
      text,
      secrets.filter((s) => s.length >= 4),
      300,
    ),
    code: known,
  };
}

export interface TurnOn {
  address: string;
  user: string;
  password: string;
  passphrase: string;
}

/** Sync in the background: one operation at a time, queued. */
export function createSync(now: () => number = Date.now) {
  let queue: Promise<unknown> = Promise.resolve();
  let secrets: SyncSecrets | null | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: Promise<SyncStatus> | null = null;

  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };
  const current = async () => {
    if (secrets === undefined) secrets = (await loadSecrets().catch(() => undefined)) ?? null;
    return secrets;
  };
  const setStatus = async (patch: Partial<SyncStatus>) => {
    const next = { ...(await syncStatusItem.getValue()), ...patch };
    await syncStatusItem.setValue(next);
    return next;
  };

  async function round(): Promise<SyncStatus> {
    const on = await current();
    if (!on) return syncStatusItem.getValue();
    await setStatus({ status: 'syncing' });
    try {
      await stampLocalChanges(now(), false);
      await syncRound({ dav: on.dav, davDeps, key: on.key, local: localSide, now });
      return await setStatus({ status: 'ok', at: now(), error: null, code: null });
    } catch (cause) {
      return await setStatus(failure(cause, [on.dav.password]));
    }
  }

  /** A sync after the ones queued; requests made while one waits share it. */
  const syncNow = (): Promise<SyncStatus> => {
    if (pending) return pending;
    const run = serial(async () => {
      pending = null;
      return round();
    });
    pending = run;
    return run;
  };

  return {
    syncNow,
    /** A sync a few seconds from now (a change was made); an alarm stands in should the worker stop first. */
    async soon(): Promise<void> {
      if (!(await current())) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        void browser.alarms.clear(SYNC_SOON_ALARM);
        void syncNow();
      }, SOON_MS);
      await browser.alarms.create(SYNC_SOON_ALARM, { delayInMinutes: 0.5 });
    },
    /**
     * Turns sync on: the folder is made if missing; an existing vault is opened with the
     * passphrase (a wrong one changes nothing and keeps sync off); then the first merge.
     */
    turnOn(request: TurnOn): Promise<SyncStatus> {
      return serial(async () => {
        const address = normaliseAddress(request.address);
        if (!address)
          return setStatus({
            status: 'error',
            error: 'The WebDAV address must be an http(s) folder URL, without a user, password or query in it',
          });
        if (!request.passphrase) return setStatus({ status: 'error', error: 'Enter a sync passphrase' });
        const dav: DavConfig = { address, user: request.user, password: request.password };
        await setStatus({ status: 'syncing', error: null, code: null });
        try {
          await ensureFolder(dav, davDeps);
          const file = await getVault(dav, davDeps);
          const envelope = file ? parseEnvelope(file.text) : null;
          const key = await deriveVaultKey(request.passphrase, envelope?.salt ?? newSalt(), envelope?.iter);
          // Opened before anything is kept: a wrong passphrase turns nothing on.
          if (file) await readVault(dav, davDeps, key);
          const next: SyncSecrets = { dav, key };
          await saveSecrets(next);
          secrets = next;
          await setStatus({ address, user: request.user });
          return await round();
        } catch (cause) {
          return setStatus(failure(cause, [request.password, request.passphrase]));
        }
      });
    },
    /** Turns sync off: the vault key and the WebDAV password are forgotten; the server file stays. */
    turnOff(): Promise<SyncStatus> {
      return serial(async () => {
        clearTimeout(timer);
        await browser.alarms.clear(SYNC_SOON_ALARM);
        await forgetSecrets();
        secrets = null;
        const next: SyncStatus = { status: 'off', at: null, error: null };
        await syncStatusItem.setValue(next);
        return next;
      });
    },
    /** The folder's address while sync is on (its site keeps host access). */
    async address(): Promise<string | null> {
      return (await current())?.dav.address ?? null;
    },
  };
}

export type SyncService = ReturnType<typeof createSync>;

/** Wires sync to the background: its alarms and the changes that start it (its messages: create.ts's table). */
export function wireSync(ready: Promise<unknown>): SyncService {
  const sync = createSync();
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === POLL_ALARM || alarm.name === SYNC_SOON_ALARM) void ready.then(() => sync.syncNow()).catch(() => undefined);
  });
  const changed = () => void ready.then(() => sync.soon()).catch(() => undefined);
  keysItem.watch(changed);
  const extrasChanged = () =>
    void ready
      .then(() => stampLocalChanges(Date.now(), true))
      .then((stamped) => (stamped ? sync.soon() : undefined))
      .catch(() => undefined);
  settingsItem.watch(extrasChanged);
  alertSettingsItem.watch(extrasChanged);
  channelsItem.watch(extrasChanged);
  // A sync that a stopped worker left marked as under way is finished now.
  void ready
    .then(async () => {
      if ((await syncStatusItem.getValue()).status === 'syncing') await sync.syncNow();
    })
    .catch(() => undefined);
  return sync;
}
