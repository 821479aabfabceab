import type { KeyConfig, ReadOutcome } from '../model';
import { readIdentity } from './record';

/** How long a draft's read (Test, or Save's check) may stand in for the saved key's first read. */
export const PROBE_REUSE_MS = 120_000;
/** At most this many drafts' answers are kept. */
const PROBE_MEMORY_SIZE = 8;

/** A digest of what a read depends on (`readIdentity`): the secret itself is not kept. */
async function identityDigest(key: KeyConfig): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(readIdentity(key))));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The answers of the last few drafts read, in memory only, for a short time, so
 * that saving a draft just read does not ask the site again (new-api's token route
 * is rate-limited hard, shared/spec/new-api.md §6.1, §9). Each answer is used at most once,
 * and only for a key that would be read exactly as the draft was.
 */
export function createRecentProbes(now: () => number) {
  const entries = new Map<string, { digest: string; site: string; outcome: ReadOutcome; at: number }>();
  /** Site roots of drafts being read now, with how many. */
  const reading = new Map<string, number>();
  const prune = () => {
    for (const [id, entry] of entries) if (now() - entry.at > PROBE_REUSE_MS || entry.at > now()) entries.delete(id);
  };

  return {
    /** A draft's read begins; the returned function says it ended. */
    begin(key: KeyConfig): () => void {
      reading.set(key.baseUrl, (reading.get(key.baseUrl) ?? 0) + 1);
      return () => {
        const left = (reading.get(key.baseUrl) ?? 1) - 1;
        if (left > 0) reading.set(key.baseUrl, left);
        else reading.delete(key.baseUrl);
      };
    },

    /** Site roots of drafts being read, or whose answers are kept: the page may still save them. */
    sites(): string[] {
      prune();
      return [...new Set([...reading.keys(), ...Array.from(entries.values(), (entry) => entry.site)])];
    },

    /** Keeps a draft's answer and returns the id the page passes back when it asks to read the saved key. */
    async remember(key: KeyConfig, outcome: ReadOutcome): Promise<string> {
      const digest = await identityDigest(key);
      prune();
      const id = crypto.randomUUID();
      entries.set(id, { digest, site: key.baseUrl, outcome, at: now() });
      // The oldest go first (a Map keeps insertion order).
      for (const old of entries.keys()) if (entries.size > PROBE_MEMORY_SIZE) entries.delete(old);
      return id;
    },

    /** The answer kept under `id` if it is recent and was read with `key`'s identity; it is then forgotten. */
    async take(id: string, key: KeyConfig): Promise<ReadOutcome | null> {
      prune();
      const entry = entries.get(id);
      if (!entry || entry.digest !== (await identityDigest(key))) return null;
      entries.delete(id);
      return entry.outcome;
    },
  };
}
