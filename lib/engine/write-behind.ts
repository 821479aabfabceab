import type { Point } from '../history';
import type { KeyConfig, KeyStatus } from '../model';
import type { ReadPolicy } from '../providers/policy';
import { CommitRefused } from '../storage/layout';
import { childIdsOf } from '../token-views';
import { readIdentity, recordResult } from './record';
import type { Announcement, Commit, EngineDeps } from './types';

/** A long cycle commits what it has at this pace, so a killed worker loses little. */
export const COMMIT_EVERY_MS = 5_000;

/** Whether an announcement is about this key or one of its watched tokens and plans (`<id>:…`). */
const isAbout = (a: Announcement, id: string) => a.key.id === id || a.key.id.startsWith(`${id}:`);

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
  /** Pending results already refused once: put back for one more commit, never more. */
  const carried = new Set<string>();
  /**
   * Results storage refused twice: dropped from the queue, known here only, so the
   * schedule does not read the key again at once; a later stored result replaces them.
   */
  const unsaved: Record<string, KeyStatus> = {};
  /** Alerts judged in this round of reads, announced together when it ends. */
  const held: Announcement[] = [];
  let writing: Promise<void> = Promise.resolve();

  /** The statuses to write for `results`, the series that changed and those to remove, and what to announce. */
  async function record(results: Record<string, KeyStatus>, identities: Map<string, string>) {
    const [keys, settings, stored] = await Promise.all([deps.keys.getValue(), deps.settings.getValue(), deps.statuses.getValue()]);
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
        let failure: { error: unknown } | null = null;
        try {
          if (Object.keys(patch).length) await deps.commit(patch);
        } catch (error) {
          failure = { error };
        }
        // Refused in part, the commit was stored key by key (lib/storage/layout.ts): only the keys
        // it names were left out; any other failure stored none of them.
        const refused = failure?.error instanceof CommitRefused ? failure.error : null;
        const lost = new Set(failure ? (refused?.lost ?? Object.keys(results)) : []);
        const notStored = new Set(failure ? (refused?.notStored ?? Object.keys(results)) : []);
        for (const [id, status] of Object.entries(results)) {
          if (inWrite[id] === status) delete inWrite[id];
          if (!lost.has(id)) {
            delete unsaved[id];
            carried.delete(id);
            continue;
          }
          // Not stored at all: put back once for the next commit (a newer result for the key wins),
          // then dropped, so one key that cannot be stored is never carried by every later commit.
          if (id in pending) continue;
          if (carried.has(id)) {
            carried.delete(id);
            unsaved[id] = status;
            continue;
          }
          carried.add(id);
          pending[id] = status;
          const readWith = identities.get(id);
          if (readWith !== undefined) pendingIdentity.set(id, readWith);
        }
        // Announced only what stored its memory: a key not stored is judged again, and a key
        // stored without its tokens (a storage error in their place) has its own alerts only.
        held.push(...announce.filter((a) => ![...notStored].some((id) => isAbout(a, id) && (lost.has(id) || a.key.id !== id))));
        // Alerts wait for the end of the round, so one round is announced as a whole (automation.md §5).
        const wroteStatuses = failure ? Object.keys(patch.statuses ?? {}).some((id) => refused && !lost.has(id)) : !!patch.statuses;
        if (wroteStatuses || (endOfRound && held.length)) {
          const round = endOfRound ? held.splice(0) : [];
          await deps.onCommitted?.(round);
        }
        // Whoever waits hears of the failure.
        if (failure) throw failure.error;
      });
    return writing;
  }

  return {
    /** Queues a key's new status, with the config it was read with. */
    queue(key: KeyConfig, status: KeyStatus): void {
      pending[key.id] = status;
      carried.delete(key.id);
      pendingIdentity.set(key.id, readIdentity(key));
    },

    /** What is known now: stored statuses with results not yet written on top. */
    current: async (): Promise<Record<string, KeyStatus>> => ({ ...(await deps.statuses.getValue()), ...unsaved, ...inWrite, ...pending }),

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
