import { type ImportedKey, UNSAFE_CHARACTERS } from '../backup';

/** Where in a file an item was: a line of a text file, or a named account or profile of an All API Hub backup. */
export type ImportPlace = { line: number } | { account: string } | { profile: string } | { key: number };

/** Why an item of a file was not imported. The options page words each reason. */
export type SkipReason =
  | 'cookie-auth'
  | 'needs-token'
  | 'unsupported-site'
  | 'one-api-account'
  | 'paused'
  | 'missing-fields'
  | 'duplicate'
  | 'no-base-url'
  | 'unrecognised'
  | 'bad-link'
  | 'invalid';

/** One item that was left out, and why. `detail` never holds a secret. */
export interface Skipped {
  at: ImportPlace;
  reason: SkipReason;
  detail?: string;
}

/** What a parser made of a file: keys ready to merge, and what it left out. */
export interface ImportBatch {
  keys: ImportedKey[];
  skipped: Skipped[];
}

/** A place's short name for a message (never a secret): shortened, and control or text-direction characters shown as U+FFFD. */
export const clip = (text: string, max = 60) =>
  (text.length > max ? `${text.slice(0, max - 1)}…` : text).replace(new RegExp(UNSAFE_CHARACTERS, 'g'), '\uFFFD');
