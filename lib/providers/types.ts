import type { z } from 'zod';
import type { KeyConfig } from '../model';
import type { Adapter, AdapterContext } from './adapter';
import type { Manifest } from './manifest';
import type { PolicyFactory } from './policy';

export type { ExpiryMeaning, KindLabelKey, TopUpRule } from './manifest';

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

/**
 * Everything about one kind of key: its manifest (lib/providers/<id>/manifest.ts) and
 * what reading it takes. A provider is one folder whose `index.ts` exports one of these,
 * and `lib/providers/index.ts` lists them.
 */
export interface Provider extends Manifest {
  /** Extra key fields this kind needs or takes, checked on save and import. */
  fields: z.ZodType<Partial<KeyConfig>>;
  read: Adapter;
  /** Where its reading's unit comes from (the form preselects it where the key chooses). */
  unit: UnitRule;
  /** Rules its sites impose on every read (a rate budget, cached settings, a fallback), made once per engine. */
  policy?: PolicyFactory;
  /**
   * For `auto`: asks the site, without the secret, whether it is this kind (relays.md §7.1
   * rule 3: a public health or settings route). Asked in the registry's order, before the
   * secret goes anywhere; the first yes reads the key as this kind.
   */
  siteProbe?: (baseUrl: string, context: AdapterContext) => Promise<boolean>;
}
