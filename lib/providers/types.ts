import type { z } from 'zod';
import type { GeneratedI18nStructure } from '../../.wxt/i18n/structure';
import type { Adapter } from '../adapters/types';
import type { KeyConfig } from '../model';
import type { TopUpRule } from '../top-up';
import type { PolicyFactory } from './policy';

/** The locale key naming a kind (`kindOpenrouter`, …), in all three locales. */
export type KindLabelKey = Extract<keyof GeneratedI18nStructure, `kind${string}`>;

/**
 * What "expiry" means for a kind, so the popup can say the right thing when there is none:
 * `reported` the answer carries one (or says never); `no-expiry` the credential never
 * expires (balances); `never-reported` it may expire, but the answer does not say.
 */
export type ExpiryMeaning = 'reported' | 'no-expiry' | 'never-reported';

/**
 * Where a reading's unit comes from (shared/spec/automation.md §2): stated in the
 * answer; always USD; the site's display settings; or the key's `currency`, else a
 * default (`host`: USD on `.ai`/`.com` hosts and CNY elsewhere).
 */
export type UnitRule =
  | { from: 'answer' }
  | { from: 'fixed'; code: 'USD' }
  | { from: 'site-display' }
  | { from: 'key'; otherwise: 'host' | 'CNY' | 'USD' };

/** How `auto` recognises a key of this kind without asking anyone. */
export interface Detection {
  /** The secret starts with this (after an optional pasted `Bearer `). */
  secretPrefix?: string;
  /** The site's host is one of these. */
  hosts?: readonly string[];
  /** A relay kind that `auto` tries by asking the site (shared/spec/automation.md §2). */
  siteProbe?: boolean;
  /** Never guessed: the user chooses this kind (it needs fields `auto` cannot know). */
  manual?: true;
}

/**
 * Everything about one kind of key: a provider is one file that exports one of these,
 * and `lib/providers/index.ts` lists them.
 */
export interface Provider {
  /** The backup file's `kind`. */
  id: string;
  label: KindLabelKey;
  /** The site root the form fills in when the user leaves it empty. */
  defaultSite?: string;
  /** Other hosts that serve the same API (regional sites). */
  hosts: readonly string[];
  /** Extra key fields this kind needs or takes, checked on save and import. */
  fields: z.ZodType<Partial<KeyConfig>>;
  detect: Detection;
  read: Adapter;
  unit: UnitRule;
  expiry: ExpiryMeaning;
  /** Where a person adds money for a key of this kind, where known (lib/top-up.ts, the table the popup reads). */
  topUp?: TopUpRule;
  /** Rules its sites impose on every read (a rate budget, cached settings, a fallback), made once per engine. */
  policy?: PolicyFactory;
}
