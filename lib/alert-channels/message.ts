/** What a channel sends: made of labels, sites, states and figures, never a key's secret (automation.md §5.1). */

export type ChannelEvent = 'alert' | 'restored' | 'digest' | 'test';

/** One key in a message, as the webhook's `keys` lists it. */
export interface KeyLine {
  label: string;
  /** The key's site host (with port and path prefix when it has them). */
  site: string;
  /** The key's state now (`low`, `capped`, `exhausted`, `expired`, `invalid`, `ok`…). */
  state: string;
  /** For a restored key: the state it came back from; else null. */
  previousState: string | null;
  /** What is left, in `unit`; null when unknown or unlimited. */
  remaining: number | null;
  unit: string | null;
  /** Unix seconds, or null. */
  expiresAt: number | null;
  /** For `capped`: Unix seconds when it works again, or null. */
  resetsAt: number | null;
  /** Why the key is in the message: a state crossing, an expiry warning, a forecast, a restored key, a digest line. */
  kind: 'state' | 'expiring' | 'forecast' | 'restored' | 'digest';
}

/** One message for every channel of a round (or a digest, or a test), rendered in the person's language. */
export interface ChannelMessage {
  event: ChannelEvent;
  title: string;
  /** The lines, one per key (at most 20, then "… and N more"), joined by line breaks. */
  text: string;
  keys: KeyLine[];
}
