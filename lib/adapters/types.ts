import type { HttpOptions } from '../http';
import type { ErrorKind, KeyConfig, ReadOutcome } from '../model';
import type { SiteDisplay } from '../units';

/** What an adapter may use: the transport, the clock, and the site's display settings. */
export interface AdapterContext extends HttpOptions {
  /** The site's display settings from `/api/status` (cached), for kinds that need them. */
  siteDisplay: () => Promise<SiteDisplay>;
  /** Told the JSON answer of a `custom` key's endpoint (the options page's Test shows it). */
  onAnswer?: (body: unknown) => void;
}

/** Reads one key of one kind. Never throws: every failure is a typed `ReadError`. */
export type Adapter = (key: KeyConfig, context: AdapterContext) => Promise<ReadOutcome>;

export const failure = (kind: ErrorKind, message: string): ReadOutcome => ({ ok: false, error: { kind, message } });

/** The secret as typed, without a pasted `Bearer ` scheme or surrounding space. */
export function bareSecret(secret: string): string {
  return secret
    .trim()
    .replace(/^bearer\s+/i, '')
    .trim();
}

/**
 * An `sk-` relay key as the token and billing routes want it. new-api stores keys
 * without the prefix (48 alphanumerics, shared/spec/new-api.md §0) and both routes cut
 * it (§1.2, §5), but one-hub needs it before its 48-character check (§8): add it to a
 * bare new-api-format key, keep everything else as typed.
 */
export function relayKey(secret: string): string {
  const bare = bareSecret(secret);
  return /^[A-Za-z0-9]{48}$/.test(bare) ? `sk-${bare}` : bare;
}
