import type { Point } from '../history';
import type { KeyConfig, KeyStatus } from '../model';
import type { ReadPolicy } from '../providers/policy';
import { withDefaults } from '../state';
import { childIdsOf } from '../token-views';
import { readIdentity, recordResult } from './record';
import type { Announcement, Commit, EngineDeps } from './types';

/** A long cycle commits what it has at this pace, so a killed worker loses little. */
export const COMMIT_EVERY_MS = 5_000;

/**
 * Results wait in memory until committed, in one storage write with alerts judged,
 * history extended and what the policies keep. Commits are serialised: two never
 * interleave their read-modify-write, and a failed write does not stop later ones.
 */
export function createWriteBehind(deps: EngineDeps, policy: Required<ReadPolicy>) {
  // Those being written stay visible until the write lands.
  let pending: Record<string, KeyStatus> = {};
  /** The config each pending result was read with, checked again when it is committed. */
  const pendingIdentity = new Map<string, string>();
  let inWrite: Record<string, KeyStatus> = {};
  /** Alerts judged in this round of reads, announced together when it ends. */
  const held: Announcement[] = [];
  let writing: Promise<void> = Promise.resolve();

  /** The statuses to write for `results`, the series that changed and those to remove, and what to announce. */
  async function record(results: Record<string, KeyStatus>, identities: Map<string, string>) {
    const [keys, settings, stored] = await Promise.all([
      deps.keys.getValue(),
      deps.settings.getValue().then(withDefaults),
      deps.statuses.getValue(),
    ]);
    const now = deps.now();
    const byId = new Map(keys.map((k) => [k.id, k]));
    // Only the keys just read are written, with their watched tokens' series; a deleted
    // key's data is removed when the list changes.
    const accounts = Object.keys(results).filter((id) => byId.has(id));
    const childIds = accounts.flatMap((id) => [
      ...Object.keys(stored[id]?.children ?? {}),
      ...childIdsOf(byId.get(id) as KeyConfig, results[id]),
    ]);
    const history = await deps.history.getMany([...new Set([...accounts, ...childIds])]);
    const statuses: Record<string, KeyStatus> = {};
    let nextHistory: Record<string, Point[]> = history;
    const announce: Announcement[] = [];
    for (const [id, result] of Object.entries(results)) {
      const key = byId.get(id);
      const readWith = identities.get(id);
      // Deleted, or edited after this result was read: dropped (the edit asks for a new read).
      if (!key || (readWith !== undefined && readWith !== readIdentity(key))) continue;
      const recorded = recordResult({ key, result, stored: stored[id], history: nextHistory, settings, now });
      statuses[id] = recorded.status;
      nextHistory = recorded.history;
      announce.push(...recorded.alerts);
    }
    const patch: Commit = { statuses };
    // Series that changed are written; tokens and plans that are gone take theirs along.
    patch.history = Object.fromEntries(Object.entries(nextHistory).filter(([id, series]) => series !== history[id]));
    const gone = childIds.filter((id) => !(id in nextHistory) && id in history);
    if (gone.length) patch.forget = gone;
    return { patch, announce };
  }

  function commit(extra: Pick<Commit, 'cycles'> = {}, endOfRound = false): Promise<void> {
    writing = writing
      .catch(() => undefined)
      .then(async () => {
        const results = pending;
        const identities = new Map(pendingIdentity);
        pendingIdentity.clear();
        const policyWrites = policy.drain();
        inWrite = { ...inWrite, ...results };
        pending = {};
        let patch: Commit = { ...extra };
        const announce: Announcement[] = [];
        if (Object.keys(results).length) {
          const recorded = await record(results, identities);
          patch = { ...patch, ...recorded.patch };
          announce.push(...recorded.announce);
        }
        patch = { ...patch, ...(await policyWrites()) };
        try {
          if (Object.keys(patch).length) await deps.commit(patch);
        } catch (error) {
          // Nothing read is lost: the results go back in the queue for the next commit
          // (a newer result for the same key wins), and whoever waits hears of the failure.
          for (const [id, status] of Object.entries(results)) {
            if (inWrite[id] === status) delete inWrite[id];
            if (id in pending) continue;
            pending[id] = status;
            const readWith = identities.get(id);
            if (readWith !== undefined) pendingIdentity.set(id, readWith);
          }
          throw error;
        }
        for (const id of Object.keys(results)) if (inWrite[id] === results[id]) delete inWrite[id];
        // Alerts wait for the end of the round, so one round is announced as a whole (automation.md §5).
        held.push(...announce);
        if (patch.statuses || (endOfRound && held.length)) {
          const round = endOfRound ? held.splice(0) : [];
          await deps.onCommitted?.(round);
        }
      });
    return writing;
  }

  return {
    /** Queues a key's new status, with the config it was read with. */
    queue(key: KeyConfig, status: KeyStatus): void {
      pending[key.id] = status;
      pendingIdentity.set(key.id, readIdentity(key));
    },

    /** What is known now: stored statuses with results not yet written on top. */
    current: async (): Promise<Record<string, KeyStatus>> => ({ ...(await deps.statuses.getValue()), ...inWrite, ...pending }),

    /** Commits what is pending (with `extra`); `endOfRound` announces the round's alerts. */
    commit,

    /** For one cycle: commits what it has when `COMMIT_EVERY_MS` passed since the last such commit. */
    pacer(): () => void {
      let last = deps.now();
      return () => {
        if (deps.now() - last < COMMIT_EVERY_MS) return;
        last = deps.now();
        void commit();
      };
    },
  };
}

export type WriteBehind = ReturnType<typeof createWriteBehind>;
