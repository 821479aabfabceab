import type { HttpOptions } from '../http';
import type { ErrorKind, KeyConfig, Reading, ReadOutcome } from '../model';
import type { SiteDisplay } from './newapi/units';

/** What an adapter may use: the transport, the clock, and the site's display settings. */
export interface AdapterContext extends HttpOptions {
  /** The site's display settings from `/api/status` (cached), for kinds that need them. */
  siteDisplay: () => Promise<SiteDisplay>;
  /** Told the JSON answer of a `custom` key's endpoint (the options page's Test shows it). */
  onAnswer?: (body: unknown) => void;
  /** The key's last reading, for kinds that remember how the site answered (GLM's `authScheme`). */
  previous?: Reading | null;
}

/** Reads one key of one kind. Never throws: every failure is a typed `ReadError`. */
export type Adapter = (key: KeyConfig, context: AdapterContext) => Promise<ReadOutcome>;

export const failure = (kind: ErrorKind, message: string): ReadOutcome => ({ ok: false, error: { kind, message } });
