import type { FunctionComponent } from 'preact';
import type { KeyConfig } from '@/lib/model';

/** What a kind's own fields add to the key a form produces. */
export type KindDraft = Partial<Pick<KeyConfig, 'userId' | 'watchTokens' | 'custom'>>;

/** Problems by field name, as the form shows them. */
export type Problems = Partial<Record<string, string>>;

export interface KindFieldsProps<S> {
  state: S;
  /** An edit, with the fields whose problems it may have fixed; `null` for a change that edits nothing (a focus). */
  onState: (next: S, fields: readonly string[] | null) => void;
  problems: Problems;
  /** A custom key's endpoint answer from the last Test (redacted). */
  probeAnswer?: unknown;
  /** The unit the form has chosen, for showing figures. */
  currency: string;
}

/**
 * A kind's own form fields, chosen by its manifest's `form` (lib/providers/manifest.ts):
 * their state from a stored key, their check (the key's fields, or what is wrong), and
 * their controls. The form keeps every kind's state, so switching kinds loses nothing typed.
 */
export interface KindFields<S> {
  init(initial?: KeyConfig): S;
  check(state: S): { draft: KindDraft; found: Problems };
  /** The problems these fields can have, cleared when the kind changes. */
  problemKeys: readonly string[];
  View: FunctionComponent<KindFieldsProps<S>>;
}
