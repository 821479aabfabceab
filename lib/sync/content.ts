/**
 * What is inside the vault (shared/spec/automation.md §6): a backup file of version 3
 * with secrets, plus `deleted` (tombstones) and the times the settings and the channel
 * list last changed. This module turns it into a sync state and back, and turns stored
 * keys into the same shape, so both sides of a merge are read the same way.
 */
import { BACKUP_FORMAT, BACKUP_VERSION, type BackupKey, buildBackup, parseBackup } from '../backup';
import { type Channel, channelForFile } from '../channels';
import type { KeyConfig } from '../model';
import type { FileSettings } from '../settings-v3';
import { canonical, type SyncState, type Tombstone } from './merge';
import { VaultError } from './vault';

/** A key as the vault holds it: a backup key with its id and time. */
export type VaultKey = BackupKey & { id: string; updatedAt: number };
export type VaultState = SyncState<VaultKey, FileSettings, Channel[]>;

export const emptyState = (): VaultState => ({ keys: [], deleted: [] });

const damaged = (details: string) => new VaultError('damaged', `The vault file is damaged or is not a Quota Glance vault: ${details}`);

/** The plain text that goes inside `ct`. */
export function vaultPlain(state: VaultState, now: number): string {
  return `${JSON.stringify({
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: new Date(now).toISOString(),
    secretsIncluded: true,
    keys: state.keys,
    ...(state.settings ? { settings: state.settings.value, settingsUpdatedAt: state.settings.updatedAt } : {}),
    channels: state.channels?.value ?? [],
    ...(state.channels ? { channelsUpdatedAt: state.channels.updatedAt } : {}),
    deleted: state.deleted,
  })}\n`;
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Reads the plain text of a vault. Throws a VaultError (`damaged`, or `newer` for a later backup version). */
export function readVaultPlain(text: string): VaultState {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch {
    throw damaged('not JSON inside');
  }
  if (typeof json !== 'object' || json === null) throw damaged('not a backup inside');
  if (typeof json.version === 'number' && json.version > BACKUP_VERSION)
    throw new VaultError('newer', 'The vault file was written by a newer version of Quota Glance; update this one first');
  const parsed = parseBackup(text);
  if (!parsed.ok) throw damaged(parsed.problems.slice(0, 3).join('; '));
  const keys: VaultKey[] = [];
  for (const key of parsed.keys) {
    if (key.id === undefined || key.updatedAt === undefined) throw damaged('a key has no id or time');
    keys.push(key as VaultKey);
  }
  const deleted: Tombstone[] = [];
  if (json.deleted !== undefined) {
    if (!Array.isArray(json.deleted)) throw damaged('"deleted" is not a list');
    for (const entry of json.deleted) {
      const { id, deletedAt } = (entry ?? {}) as Record<string, unknown>;
      if (typeof id !== 'string' || !id || !isTime(deletedAt)) throw damaged('an entry of "deleted" has no id or time');
      deleted.push({ id, deletedAt });
    }
  }
  const settingsAt = isTime(json.settingsUpdatedAt) ? json.settingsUpdatedAt : 0;
  const channelsAt = isTime(json.channelsUpdatedAt) ? json.channelsUpdatedAt : 0;
  return {
    keys,
    deleted,
    ...(parsed.settings ? { settings: { value: parsed.settings, updatedAt: settingsAt } } : {}),
    ...(json.channelsUpdatedAt !== undefined || parsed.channels.length
      ? { channels: { value: parsed.channels, updatedAt: channelsAt } }
      : {}),
  };
}

/** Stored keys as the vault would hold them (read back through the backup reader, like a file). */
export function vaultKeysOf(keys: readonly KeyConfig[]): VaultKey[] {
  if (!keys.length) return [];
  const parsed = parseBackup(buildBackup(keys, true, 0));
  if (!parsed.ok) throw new Error(`A stored key cannot be synced: ${parsed.problems.slice(0, 2).join('; ')}`);
  return parsed.keys as VaultKey[];
}

/** Channels as the vault holds them. */
export const vaultChannelsOf = (channels: readonly Channel[]): Channel[] => channels.map((c) => channelForFile(c, true));

/** Fields a key has only in this browser: they stay when another browser's version of the key is taken. */
const LOCAL_ONLY = ['createdAt', 'snoozedUntil'] as const;

/**
 * The stored key list after a merge: stored keys the merge kept as they were stay as they
 * are (and in their order), changed ones take the vault's version (keeping what is only
 * local: when it was added here, a snooze), new ones come after.
 */
export function keysAfterMerge(stored: readonly KeyConfig[], merged: readonly VaultKey[], now: number): KeyConfig[] {
  const mine = new Map(stored.map((key) => [key.id, key]));
  const mineAsVault = new Map(vaultKeysOf(stored).map((key) => [key.id, canonical(key)]));
  const result: KeyConfig[] = [];
  const byId = new Map(merged.map((key) => [key.id, key]));
  const toConfig = (key: VaultKey, previous?: KeyConfig): KeyConfig => {
    const { muted, pinned, ...rest } = key;
    const config: KeyConfig = {
      ...(rest as unknown as KeyConfig),
      ...(muted ? { muted } : {}),
      ...(pinned ? { pinned } : {}),
      createdAt: now,
    };
    for (const field of LOCAL_ONLY) {
      if (previous?.[field] !== undefined) (config as Record<string, unknown>)[field] = previous[field];
    }
    return config;
  };
  for (const key of stored) {
    const next = byId.get(key.id);
    if (!next) continue;
    result.push(mineAsVault.get(key.id) === canonical(next) ? key : toConfig(next, key));
  }
  for (const key of merged) if (!mine.has(key.id)) result.push(toConfig(key));
  return result;
}
