/**
 * One sync round (shared/spec/automation.md §6): read the vault, merge it with what this
 * browser holds, write the merge if the vault lacks anything, read it back to be sure it
 * is there, then bring this browser up to the merge. The vault is written first and this
 * browser last, so a round stopped anywhere (a worker killed, a server gone) leaves both
 * as they were or with the merge, which the next round repeats harmlessly. When anything
 * fails, nothing local changes. Pure: storage, WebDAV and the clock are passed in.
 */

import { emptyState, readVaultPlain, type VaultState, vaultPlain } from './content';
import { dedupeCredentials, mergeStates, sameState } from './merge';
import { envelopeText, open, parseEnvelope, seal, type VaultKey } from './vault';
import { type DavConfig, type DavDeps, DavError, ensureFolder, getVault, putVault } from './webdav';

export interface LocalSide<S = unknown> {
  /** What this browser holds now, and a mark of it for `apply`. */
  read(): Promise<{ state: VaultState; mark: S }>;
  /** Brings this browser to `merged` unless it changed since `mark` was read (then `false`, and nothing is written). */
  apply(merged: VaultState, mark: S): Promise<boolean>;
}

export interface RoundDeps<S> {
  dav: DavConfig;
  davDeps: DavDeps;
  key: VaultKey;
  local: LocalSide<S>;
  now: () => number;
}

export interface RoundResult {
  /** Whether the vault file was written. */
  wrote: boolean;
  /** Whether this browser took anything from the vault. */
  changedLocal: boolean;
}

/** How many times a round merges again when another browser wrote meanwhile. */
export const MAX_ATTEMPTS = 5;

/** Reads and opens the vault; null when there is none yet. */
export async function readVault(
  dav: DavConfig,
  davDeps: DavDeps,
  key: VaultKey,
): Promise<{ state: VaultState; text: string; etag: string | null } | null> {
  const file = await getVault(dav, davDeps);
  if (!file) return null;
  const plain = await open(key, parseEnvelope(file.text));
  return { state: readVaultPlain(plain), text: file.text, etag: file.etag };
}

export async function syncRound<S>({ dav, davDeps, key, local, now }: RoundDeps<S>): Promise<RoundResult> {
  let wrote = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const mine = await local.read();
    const remote = await readVault(dav, davDeps, key);
    const merged = dedupeCredentials(mergeStates(mine.state, remote?.state ?? emptyState(), now()));
    if (!remote || !sameState(merged, remote.state)) {
      const text = envelopeText(await seal(key, vaultPlain(merged, now())));
      let written: boolean;
      try {
        written = await putVault(dav, davDeps, text, remote?.etag ?? null);
      } catch (cause) {
        // A folder removed since sync was turned on is made again.
        if (!(cause instanceof DavError) || (cause.code !== 'no-parent' && cause.code !== 'not-found')) throw cause;
        await ensureFolder(dav, davDeps);
        written = await putVault(dav, davDeps, text, null);
      }
      if (!written) continue;
      // The write counts only when the file now is what was written: a server that
      // ignores If-Match may have taken another browser's write just after.
      const back = await getVault(dav, davDeps);
      if (back?.text !== text) continue;
      wrote = true;
    }
    if (sameState(merged, mine.state)) return { wrote, changedLocal: false };
    if (await local.apply(merged, mine.mark)) return { wrote, changedLocal: true };
  }
  throw new Error('The vault kept changing while this browser synced; it will try again');
}
